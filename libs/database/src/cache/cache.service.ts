import { randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { InvalidationBus } from './bus/InvalidationBus';
import { PgInvalidationBus } from './bus/PgInvalidationBus';
import { CacheCore } from './CacheCore';
import { type CacheOptions, DEFAULT_CACHE_OPTIONS } from './cacheOptions';
import { CacheNamespace } from './CacheNamespace';
import { MemoryDriver } from './drivers/MemoryDriver';
import { RedisDriver } from './drivers/RedisDriver';
import { CacheError, CacheErrorCodes } from './errors/CacheError';
import type { InvalidationEvent } from './invalidationEvent';
import { L1Bound } from './L1Bound';
import type { RedisExecutor } from './facades/redisExecutor';
import { RemoteLayer } from './facades/RemoteLayer';
import { silentLogger } from './logger';
import { createRedisClient, isRedisEndpoint, type RedisEndpoint } from './redisEndpoint';

/** ioredis settings for the connections the cache opens itself. */
const COMMAND_CONNECTION: RedisOptions = {
  // Fail fast while disconnected: the cache falls back to L1 and loaders instead of queueing.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
};
const SUBSCRIBER_CONNECTION: RedisOptions = {
  // SUBSCRIBE may be issued before the connection is up (and a duplicated client may have
  // inherited `false`): queue it rather than fail.
  enableOfflineQueue: true,
  connectTimeout: 2_000,
};

interface Connections {
  command: Redis;
  subscriber: Redis;
  ownsCommand: boolean;
}

function connect(redis: RedisEndpoint | Redis): Connections {
  if (isRedisEndpoint(redis)) {
    return { command: createRedisClient(redis, COMMAND_CONNECTION), subscriber: createRedisClient(redis, SUBSCRIBER_CONNECTION), ownsCommand: true };
  }
  return { command: redis, subscriber: redis.duplicate(SUBSCRIBER_CONNECTION), ownsCommand: false };
}

/**
 * The seed's `ResilientCacheService`: memory L1 (lru-cache) + Redis L2 (ioredis) behind
 * `ICache`, every Redis call through `executeRedisWithRetry` with metrics, cross-instance
 * invalidation on a pub/sub channel, stampede protection and stale-if-error. Without
 * `redis` it runs L1-only. See README.md in this folder.
 */
export class ResilientCacheService extends CacheNamespace {
  readonly instanceId: string;
  readonly #connections: Connections | undefined;
  readonly #remote: RemoteLayer | undefined;
  readonly #bus: InvalidationBus | undefined;
  readonly #pgBus: PgInvalidationBus | undefined;
  readonly #bound: L1Bound | undefined;
  readonly #subscribed: Promise<boolean>;
  #closed = false;

  /** `executor` replaces `executeRedisWithRetry` (tests only). */
  constructor(options: CacheOptions = {}, executor?: RedisExecutor) {
    const logger = options.logger ?? silentLogger;
    const prefix = options.prefix ?? DEFAULT_CACHE_OPTIONS.prefix;
    const instanceId = options.instanceId ?? randomUUID();
    const memory = options.memory === false ? undefined : new MemoryDriver(options.memory);
    if (!memory && !options.redis) {
      throw new CacheError(CacheErrorCodes.INVALID_OPTIONS, 'a cache needs L1 (memory) or L2 (redis); both are off');
    }
    const connections = options.redis ? connect(options.redis) : undefined;
    const remote = connections
      ? new RemoteLayer({
          driver: new RedisDriver(connections.command, prefix),
          channel: options.channel ?? `${prefix}:bus`,
          instanceId,
          retry: options.retry,
          maxPendingInvalidations: options.maxPendingInvalidations ?? DEFAULT_CACHE_OPTIONS.maxPendingInvalidations,
          reapplyBeforeDropMs: options.reapplyBeforeDropMs ?? DEFAULT_CACHE_OPTIONS.reapplyBeforeDropMs,
          metrics: options.metrics,
          logger,
          executor,
        })
      : undefined;
    const core = new CacheCore({
      memory,
      remote,
      resources: options.resources ?? {},
      staleIfErrorMs: options.staleIfErrorMs ?? DEFAULT_CACHE_OPTIONS.staleIfErrorMs,
      negativeTtlMs: options.negativeTtlMs ?? DEFAULT_CACHE_OPTIONS.negativeTtlMs,
      metrics: options.metrics,
      logger,
      securityTags: options.securityTags,
      instanceId,
    });
    super(core, '');
    this.instanceId = instanceId;
    this.#connections = connections;
    this.#remote = remote;
    if (connections) {
      // Without a listener ioredis prints every reconnect error; RemoteLayer reports outages.
      if (connections.ownsCommand) connections.command.on('error', () => undefined);
      this.#bus = new InvalidationBus(
        connections.subscriber,
        options.channel ?? `${prefix}:bus`,
        instanceId,
        { onMessage: (message) => core.applyRemote(message), onReconnect: () => core.forgetLocal(), lag: options.invalidationLag },
        logger,
      );
      this.#subscribed = this.#bus.start().then(
        () => true,
        (error: unknown) => {
          logger.warn?.({ code: (error as { code?: string }).code ?? 'UNKNOWN' }, 'cache bus: subscribe failed; retried on reconnect');
          return false;
        },
      );
    } else {
      logger.info?.({ prefix }, 'cache: no Redis configured, running L1-only');
      this.#subscribed = Promise.resolve(false);
    }
    const bound = () => this.#bound?.check();
    this.#pgBus = options.postgresBus
      ? new PgInvalidationBus(
          options.postgresBus,
          instanceId,
          { onMessage: (message) => core.applyChange(message), onReconnect: () => core.forgetSecurity(true), onHealth: bound, lag: options.invalidationLag },
          logger,
        )
      : undefined;
    const pgBus = this.#pgBus;
    const redisBus = this.#bus;
    if ((redisBus || pgBus) && (options.securityTags?.length ?? 0) > 0) {
      // Trusted while a bus can tell us every change: Redis listening, or the Postgres bus covering (see `covering`).
      this.#bound = new L1Bound(() => Boolean(redisBus?.healthy) || Boolean(pgBus?.covering), () => core.forgetSecurity(false), options.untrustedL1Ms ?? DEFAULT_CACHE_OPTIONS.untrustedL1Ms, logger);
    }
    void this.#pgBus?.start();
    this.#bound?.start();
  }

  /** True while the Postgres bus listens (undefined without one). */
  get postgresBusHealthy(): boolean | undefined {
    return this.#pgBus?.healthy;
  }

  /** 'l1' (no Redis), 'l2' (memory off) or 'l1+l2'. */
  get mode(): 'l1' | 'l2' | 'l1+l2' {
    if (!this.#remote) return 'l1';
    return this.core.hasMemory ? 'l1+l2' : 'l2';
  }

  /** True while Redis is failing and the cache runs on L1 and loaders. */
  get degraded(): boolean {
    return this.#remote?.degraded ?? false;
  }

  /** Invalidations that failed to reach Redis and wait for its return. */
  get pendingInvalidations(): number {
    return this.#remote?.pendingInvalidations ?? 0;
  }

  /**
   * Resolves `true` once Redis answers and the bus is subscribed, `false` in L1-only mode
   * or when that takes longer than `timeoutMs`. Never rejects: the cache works either way.
   */
  async ready(timeoutMs = 5_000): Promise<boolean> {
    const connections = this.#connections;
    if (!connections) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    let onReady: (() => void) | undefined;
    const connected = (async () => {
      if (connections.command.status !== 'ready') {
        await new Promise<void>((resolve) => connections.command.once('ready', (onReady = resolve)));
      }
      return this.#subscribed;
    })();
    try {
      return await Promise.race([connected, timeout]);
    } finally {
      clearTimeout(timer);
      if (onReady) connections.command.off('ready', onReady);
    }
  }

  /**
   * Every typed change this instance applies — its own writes' and, over either bus, every other
   * instance's — plus `may-have-missed` after a bus reconnect or a clear. Watchers of revocation
   * use it; L1-only mode sees this instance's own.
   */
  onInvalidation(listener: (event: InvalidationEvent) => void): () => void {
    return this.core.onInvalidation(listener);
  }

  /** Resolves once invalidations remembered during an outage have been replayed (or replay stopped). */
  async settle(): Promise<void> {
    await this.#remote?.settle();
  }

  /** Unsubscribes and closes the connections the cache opened (a client passed in stays open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#remote?.detach();
    this.#bound?.stop();
    await this.#pgBus?.stop();
    await this.#bus?.stop();
    const connections = this.#connections;
    if (connections?.ownsCommand) connections.command.disconnect();
  }
}
