import type { IMetricsCollector } from '@libs/monitoring';
import { defaultResilienceRegistry } from '@libs/utils/src/executeWithRetry';
import type { Redis } from 'ioredis';
import { encodeBusMessage, type Invalidation } from '../bus/busMessage';
import { type CacheEntry, deserializeEntry, serializeEntry } from '../cacheEntry';
import { DEFAULT_REMOTE_RETRY_OPTIONS, type RemoteLayerRetryOptions } from '../cacheOptions';
import type { Announcement, RedisDriver } from '../drivers/RedisDriver';
import { isCacheError } from '../errors/CacheError';
import type { CacheLogger } from '../logger';
import { redisTargetOf } from '../redisEndpoint';
import { defaultRedisExecutor, type RedisCallOptions, type RedisExecutor } from './redisExecutor';

export interface RemoteLayerOptions {
  driver: RedisDriver;
  channel: string;
  instanceId: string;
  retry?: RemoteLayerRetryOptions;
  maxPendingInvalidations: number;
  /** See CacheOptions.reapplyBeforeDropMs. */
  reapplyBeforeDropMs: number;
  metrics?: IMetricsCollector;
  logger: CacheLogger;
  executor?: RedisExecutor;
}

/** Thrown internally when the client is not connected: failing fast beats queueing. */
class NotConnected extends Error {
  readonly code = 'REDIS_NOT_CONNECTED';
}

/**
 * The L2 facade. Every call goes through `executeRedisWithRetry` (short timeout, shared
 * breaker) and **never throws**: a failure turns a read into a miss and a write into an
 * L1-only write. An outage is logged once when it starts and once when it ends, and every
 * failure is counted. Invalidations that could not reach Redis are remembered and replayed
 * on recovery, so L2 cannot keep a value that was invalidated during the outage.
 */
export class RemoteLayer {
  readonly #driver: RedisDriver;
  readonly #redis: Redis;
  readonly #channel: string;
  readonly #instanceId: string;
  readonly #call: Omit<RedisCallOptions, 'operationName'>;
  readonly #maxPending: number;
  readonly #metrics: IMetricsCollector | undefined;
  readonly #logger: CacheLogger;
  readonly #executor: RedisExecutor;
  readonly #callOptions = new Map<string, RedisCallOptions>();
  #pending: Invalidation[] = [];
  readonly #reapplyMs: number;
  /** Acknowledged invalidations of the last `#reapplyMs`, oldest first (see `#onClose`). */
  #acknowledged: Array<{ at: number; what: Invalidation }> = [];
  #droppedAt: number | undefined;
  #overflowed = false;
  #downSince: number | undefined;
  #replaying: Promise<void> | undefined;
  #replayTimer: NodeJS.Timeout | undefined;
  #detached = false;

  constructor(options: RemoteLayerOptions) {
    this.#driver = options.driver;
    this.#redis = options.driver.client;
    this.#channel = options.channel;
    this.#instanceId = options.instanceId;
    const retry = { ...DEFAULT_REMOTE_RETRY_OPTIONS, ...options.retry };
    this.#call = {
      breakerKey: retry.breakerKey ?? `cache.l2:${redisTargetOf(this.#redis)}`,
      maxRetries: retry.maxRetries,
      attemptTimeoutMs: retry.attemptTimeoutMs,
      circuitBreakerThreshold: retry.circuitBreakerThreshold,
      circuitBreakerResetMs: retry.circuitBreakerResetMs,
      registry: retry.registry,
    };
    this.#maxPending = options.maxPendingInvalidations;
    this.#reapplyMs = options.reapplyBeforeDropMs;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#executor = options.executor ?? defaultRedisExecutor;
    this.#redis.on('ready', this.#onReady);
    this.#redis.on('close', this.#onClose);
  }

  /** True while an outage is in progress (from the first failure to the next success). */
  get degraded(): boolean {
    return this.#downSince !== undefined;
  }

  /** Invalidations waiting for Redis to come back. */
  get pendingInvalidations(): number {
    return this.#pending.length;
  }

  detach(): void {
    this.#detached = true;
    this.#redis.off('ready', this.#onReady);
    this.#redis.off('close', this.#onClose);
    clearTimeout(this.#replayTimer);
    this.#replayTimer = undefined;
  }

  /** The entry (possibly stale, within grace), or undefined on a miss or an L2 failure. */
  async get<T>(key: string): Promise<CacheEntry<T> | undefined> {
    const text = await this.#run('get', (d) => d.get(key));
    return text ? this.#parse<T>(key, text) : undefined;
  }

  async mget<T>(keys: readonly string[]): Promise<Array<CacheEntry<T> | undefined>> {
    const texts = await this.#run('mget', (d) => d.mget(keys));
    return keys.map((key, i) => {
      const text = texts?.[i];
      return text ? this.#parse<T>(key, text) : undefined;
    });
  }

  /**
   * For a load: the entry plus the invalidation counters to hand back to `setIfUnchanged`.
   * `stamp` is undefined when L2 could not be read (the load's result then stays local).
   */
  async getForLoad<T>(key: string, tags: readonly string[]): Promise<{ entry: CacheEntry<T> | undefined; stamp: string[] | undefined }> {
    const read = await this.#run('get', (d) => d.getStamped(key, tags));
    if (read === undefined) return { entry: undefined, stamp: undefined };
    return { entry: read.text ? this.#parse<T>(key, read.text) : undefined, stamp: read.stamp };
  }

  /**
   * Writes a loaded entry unless the key (or one of its tags, or the whole cache) was
   * invalidated since `stamp` was read. Resolves 'refused' in that case.
   */
  async setIfUnchanged(key: string, entry: CacheEntry, valueText: string, stamp: readonly string[]): Promise<'written' | 'refused' | 'failed'> {
    const pxMs = entry.graceUntil - Date.now();
    if (pxMs <= 0) return 'refused';
    const text = serializeEntry(entry, valueText);
    const written = await this.#run('set', (d) => d.setIfUnchanged(key, text, pxMs, entry.tags, stamp, this.#announce({ type: 'keys', keys: [key] })));
    if (written === undefined) {
      this.#remember({ type: 'keys', keys: [key] });
      return 'failed';
    }
    return written ? 'written' : 'refused';
  }

  /** Writes the entry and tells other instances to drop their copy. */
  async set(key: string, entry: CacheEntry, valueText?: string): Promise<void> {
    const pxMs = entry.graceUntil - Date.now();
    if (pxMs <= 0) return this.invalidate({ type: 'keys', keys: [key] });
    const text = serializeEntry(entry, valueText);
    const ok = await this.#run('set', async (d) => {
      await d.set(key, text, pxMs, entry.tags, this.#announce({ type: 'keys', keys: [key] }));
      return true;
    });
    // Other instances may hold the old value and the old value may still be in L2.
    if (!ok) this.#remember({ type: 'keys', keys: [key] });
  }

  /**
   * Reads and deletes the entry atomically and tells other instances to drop their copy.
   * `'failed'` when Redis could not be reached (the delete is then replayed on recovery).
   */
  async take<T>(key: string): Promise<CacheEntry<T> | null | 'failed'> {
    const text = await this.#run('take', (d) => d.take(key, this.#announce({ type: 'keys', keys: [key] })));
    if (text === undefined) {
      this.#remember({ type: 'keys', keys: [key] });
      return 'failed';
    }
    // A one-time value must stay taken on a promoted replica too.
    this.#acknowledge({ type: 'keys', keys: [key] });
    return text ? (this.#parse<T>(key, text) ?? null) : null;
  }

  /** The counter after one increment, or undefined when Redis could not be reached. */
  increment(key: string, ttlMs: number): Promise<number | undefined> {
    return this.#run('increment', (d) => d.increment(key, ttlMs));
  }

  /** Applies an invalidation to L2, then publishes it (receivers re-read L2 after dropping L1). */
  async invalidate(what: Invalidation): Promise<void> {
    const ok = await this.#run(`invalidate_${what.type}`, (d) => this.#apply(d, what));
    if (ok) this.#acknowledge(what);
    else this.#remember(what);
  }

  /** Keeps an acknowledged invalidation for `#reapplyMs`, bounded like the pending list. */
  #acknowledge(what: Invalidation): void {
    if (this.#reapplyMs <= 0) return;
    const now = Date.now();
    const recent = this.#acknowledged;
    while (recent.length && (recent[0].at < now - this.#reapplyMs || recent.length >= this.#maxPending)) recent.shift();
    recent.push({ at: now, what });
  }

  async #apply(d: RedisDriver, what: Invalidation): Promise<true> {
    const announce = this.#announce(what);
    switch (what.type) {
      case 'keys':
        await d.delete(what.keys, announce);
        break;
      case 'tags':
        await d.deleteByTags(what.tags, announce);
        break;
      case 'prefix':
        await d.deleteByPrefix(what.prefix, announce);
        break;
      case 'clear':
        await d.clear(announce);
        break;
    }
    return true;
  }

  #announce(what: Invalidation): Announcement {
    return { channel: this.#channel, message: encodeBusMessage({ instanceId: this.#instanceId, ...what }) };
  }

  #parse<T>(key: string, text: string): CacheEntry<T> | undefined {
    try {
      return deserializeEntry<T>(text);
    } catch (error) {
      // A corrupt or foreign value is a miss, not an outage; drop it so it is rewritten.
      this.#metrics?.incrementEvent('cache.l2.corrupt');
      this.#logger.warn?.({ code: isCacheError(error) ? error.code : 'UNKNOWN' }, 'cache L2: unreadable entry dropped');
      void this.#run('delete', (d) => d.delete([key]));
      return undefined;
    }
  }

  async #run<T>(op: string, fn: (driver: RedisDriver) => Promise<T>): Promise<T | undefined> {
    try {
      if (this.#redis.status !== 'ready') throw new NotConnected(`redis is ${this.#redis.status}`);
      const result = await this.#executor(this.#redis, () => fn(this.#driver), this.#optionsFor(op), this.#metrics, this.#logger);
      if (this.#downSince !== undefined) this.#recovered();
      return result;
    } catch (error) {
      this.#failed(op, error);
      return undefined;
    }
  }

  /** Per-operation options, built once: this runs on every L2 call. */
  #optionsFor(op: string): RedisCallOptions {
    let options = this.#callOptions.get(op);
    if (options === undefined) {
      options = Object.freeze({ ...this.#call, operationName: `cache.l2.${op}` });
      this.#callOptions.set(op, options);
    }
    return options;
  }

  #failed(op: string, error: unknown): void {
    this.#metrics?.incrementEvent('cache.l2.error');
    if (this.#downSince !== undefined) return;
    this.#downSince = Date.now();
    this.#metrics?.incrementEvent('cache.l2.outage');
    const code = (error as { code?: unknown } | null)?.code;
    this.#logger.warn?.(
      { op, code: typeof code === 'string' ? code : 'UNKNOWN', breakerKey: this.#call.breakerKey },
      'cache L2 unavailable: serving from L1 and loaders until Redis is back',
    );
  }

  #recovered(): void {
    const downForMs = Date.now() - (this.#downSince ?? Date.now());
    this.#downSince = undefined;
    this.#logger.info?.({ downForMs, pending: this.#pending.length }, 'cache L2 recovered');
    void this.#replay();
  }

  #remember(what: Invalidation): void {
    if (this.#overflowed) return;
    if (this.#pending.length >= this.#maxPending) {
      // Too much was missed to replay it item by item: recovery clears this cache's L2.
      this.#overflowed = true;
      this.#pending = [];
      this.#metrics?.incrementEvent('cache.l2.pending_overflow');
      this.#retryReplayLater();
      return;
    }
    this.#pending.push(what);
    // Replay without waiting for the next cache call: an instance serving everything from L1
    // makes none, and its peers would keep invalidated entries until then (a frozen Redis
    // answers nothing and never reconnects, so 'ready' does not come either).
    this.#retryReplayLater();
  }

  readonly #onClose = (): void => {
    this.#droppedAt ??= Date.now();
  };

  /**
   * After a drop, what Redis acknowledged shortly before it goes back on the pending list: if a
   * failover promoted a replica, that replica may never have received it. Re-applying is
   * idempotent (a delete, a counter bump, a bus message peers answer by dropping L1).
   */
  #reapplyAcknowledged(): void {
    const droppedAt = this.#droppedAt;
    this.#droppedAt = undefined;
    if (droppedAt === undefined || this.#overflowed) return;
    const since = droppedAt - this.#reapplyMs;
    const again = this.#acknowledged.filter((entry) => entry.at >= since).map((entry) => entry.what);
    this.#acknowledged = [];
    if (!again.length) return;
    this.#metrics?.incrementEvent('cache.l2.reapplied', again.length);
    this.#pending.unshift(...again.slice(0, Math.max(0, this.#maxPending - this.#pending.length)));
  }

  readonly #onReady = (): void => {
    this.#reapplyAcknowledged();
    // A reconnect is a healthy signal: an open L2 breaker lets its next calls through as trials
    // instead of sitting out its reset.
    (this.#call.registry ?? defaultResilienceRegistry).breakers.probe([this.#call.breakerKey]);
    if (this.#pending.length || this.#overflowed) void this.#replay();
  };

  /** Replays remembered invalidations in order; stops at the first failure and keeps the rest. */
  #replay(): Promise<void> {
    this.#replaying ??= (async () => {
      try {
        if (this.#overflowed) {
          this.#overflowed = false;
          if (!(await this.#run('invalidate_clear', (d) => this.#apply(d, { type: 'clear' })))) {
            this.#overflowed = true;
            return this.#retryReplayLater();
          }
        }
        while (this.#pending.length) {
          const next = this.#pending[0];
          if (!(await this.#run(`replay_${next.type}`, (d) => this.#apply(d, next)))) return this.#retryReplayLater();
          this.#pending.shift();
          this.#acknowledge(next);
          this.#metrics?.incrementEvent('cache.l2.replayed');
        }
      } finally {
        this.#replaying = undefined;
      }
    })();
    return this.#replaying;
  }

  /**
   * A replay that failed (e.g. the breaker is still open) is retried after the breaker's
   * reset time, so pending invalidations do not wait for the next cache call.
   */
  #retryReplayLater(): void {
    if (this.#replayTimer || this.#detached) return;
    this.#replayTimer = setTimeout(() => {
      this.#replayTimer = undefined;
      if (this.#pending.length || this.#overflowed) void this.#replay();
    }, this.#call.circuitBreakerResetMs);
    this.#replayTimer.unref();
  }

  /** Resolves when remembered invalidations have been replayed (or replay stopped on a failure). */
  async settle(): Promise<void> {
    await this.#replaying;
  }
}
