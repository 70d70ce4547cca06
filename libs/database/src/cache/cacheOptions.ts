import type { PgBusOptions } from './bus/PgInvalidationBus';
import type { RedisRetryOptions } from '@libs/utils/src/executeWithRetry';
import type { IMetricsCollector } from '@libs/monitoring';
import type { Redis } from 'ioredis';
import type { CacheResource } from './ICache';
import type { CacheLogger } from './logger';
import type { RedisEndpoint } from './redisEndpoint';

/** TTL and windows of one resource type. */
export interface ResourcePolicy {
  /** How long a value is fresh, in ms. */
  ttlMs: number;
  /** How long past expiry a value may still be served when refreshing it fails. @default CacheOptions.staleIfErrorMs */
  staleIfErrorMs?: number;
  /** TTL of a cached `null`/`undefined` loader result; 0 disables negative caching. @default CacheOptions.negativeTtlMs */
  negativeTtlMs?: number;
}

/** Default TTLs per resource type: short for what a ban or revocation must reach quickly. */
export const DEFAULT_RESOURCE_POLICIES: Readonly<Record<string, ResourcePolicy>> = Object.freeze({
  default: { ttlMs: 60_000 },
  user: { ttlMs: 300_000 },
  session: { ttlMs: 60_000 },
  apiKey: { ttlMs: 300_000 },
  role: { ttlMs: 600_000 },
  permissions: { ttlMs: 300_000 },
});

/** L1 (in-process memory) bounds. */
export interface MemoryLayerOptions {
  /** Maximum number of entries. @default 10_000 */
  maxEntries?: number;
  /** Maximum total size in bytes (measured as serialized length). @default 67_108_864 (64 MiB) */
  maxBytes?: number;
  /**
   * Store values serialized and parse (and decode) them on every hit, so every caller gets
   * its own mutable copy (bentocache's `serializeL1`). Costs a JSON parse per hit.
   * @default false
   */
  serialize?: boolean;
  /**
   * When not serializing: deep-freeze values once as they enter L1 (Dates, Maps and Sets
   * become read-only subclasses) and return that same object on every hit. A caller that
   * tries to change a cached value gets a TypeError and must copy it first; no caller can
   * change what the next one gets. `false` shares the stored object unprotected.
   * @default true
   */
  freeze?: boolean;
}

export const DEFAULT_MEMORY_LAYER_OPTIONS: Required<MemoryLayerOptions> = Object.freeze({
  maxEntries: 10_000,
  maxBytes: 64 * 1024 * 1024,
  serialize: false,
  freeze: true,
});

/**
 * How L2 calls are retried and broken: the fields of `executeRedisWithRetry`'s options the cache
 * lets you set. Defaults are the cache's own, `DEFAULT_REMOTE_RETRY_OPTIONS` (maxRetries 1 — a
 * cache favours falling back over waiting —, attemptTimeoutMs 250, threshold 5, reset 5_000 ms);
 * `breakerKey` defaults to `'cache.l2:<host>:<port>'` or `'cache.l2:sentinel:<master>'` (caches
 * sharing a Redis share a breaker); `registry` (the app context's own) to the process default.
 */
export type RemoteLayerRetryOptions = Pick<RedisRetryOptions, 'maxRetries' | 'attemptTimeoutMs' | 'circuitBreakerThreshold' | 'circuitBreakerResetMs' | 'breakerKey' | 'registry'>;

export const DEFAULT_REMOTE_RETRY_OPTIONS = Object.freeze({
  maxRetries: 1,
  attemptTimeoutMs: 250,
  circuitBreakerThreshold: 5,
  circuitBreakerResetMs: 5_000,
});

export interface CacheOptions {
  /**
   * Redis for L2 and the invalidation bus: a URL, Sentinel settings (`{ sentinels, masterName }`:
   * the cache follows the master across failovers), or an ioredis client (the cache then
   * duplicates it for the subscriber and does not close it). Absent: L1-only mode, logged once.
   * @default undefined
   */
  redis?: RedisEndpoint | Redis;
  /** Prefix of every Redis key the cache writes (`<prefix>:k:<key>`, `<prefix>:t:<tag>`). @default 'cache' */
  prefix?: string;
  /** Pub/sub channel for invalidations. @default '<prefix>:bus' */
  channel?: string;
  /** L1 bounds, or `false` for no L1 (every read goes to Redis). @default DEFAULT_MEMORY_LAYER_OPTIONS */
  memory?: MemoryLayerOptions | false;
  /** TTL policy per resource type, merged over DEFAULT_RESOURCE_POLICIES. @default DEFAULT_RESOURCE_POLICIES */
  resources?: Partial<Record<CacheResource, ResourcePolicy>>;
  /** Stale-if-error window for resources that set none. @default 30_000 */
  staleIfErrorMs?: number;
  /** Negative-result TTL for resources that set none; 0 = do not cache null/undefined. @default 0 */
  negativeTtlMs?: number;
  /** Failed L2 invalidations remembered for replay when Redis is back; past it, recovery clears L2. @default 10_000 */
  maxPendingInvalidations?: number;
  /**
   * Invalidations Redis acknowledged this long before a connection drop are applied again once it
   * is back: Redis replicates asynchronously, so a failover may promote a replica that never got
   * them (and would serve a banned user's cached row). 0 turns this off. @default 5_000
   */
  reapplyBeforeDropMs?: number;
  /** L2 retry and breaker settings. @default DEFAULT_REMOTE_RETRY_OPTIONS */
  retry?: RemoteLayerRetryOptions;
  /** Identifies this instance on the bus so it ignores its own messages. @default a random UUID */
  instanceId?: string;
  /** Receives hit/miss/stale/L2-error counters and L2 operation timings. @default undefined */
  metrics?: IMetricsCollector;
  /** pino-shaped logger; keys are never logged above debug, values never. @default silent */
  logger?: CacheLogger;
  /**
   * Observes, in seconds, how long each invalidation from another instance took from its publish
   * to being applied here (e.g. a prom-client `Histogram`). Wall clocks of both hosts: skew shows
   * as lag, and a negative difference is observed as 0. @default undefined
   */
  invalidationLag?: InvalidationLagObserver;
  /**
   * The second invalidation bus: LISTEN on Postgres for the changes the repositories NOTIFY in
   * their write transactions (revocation keeps working while Redis is down). @default undefined
   */
  postgresBus?: PgBusOptions;
  /**
   * Tags every security-relevant entry carries (sessions, users, keys, permissions: the
   * repositories' `SECURITY_CACHE_TAGS`). They are dropped when a bus may have missed messages,
   * and bounded by `untrustedL1Ms` while no bus is healthy. @default [] (no such bound)
   */
  securityTags?: readonly string[];
  /**
   * While a bus is configured but none is healthy (Redis bus and Postgres listener both down),
   * security-relevant L1 entries are dropped this often: trusted at most this long. @default 1_000
   */
  untrustedL1Ms?: number;
}

/** Where the bus reports invalidation lag: prom-client's `Histogram` (and `Summary`) fit. */
export interface InvalidationLagObserver {
  observe(seconds: number): void;
}

export const DEFAULT_CACHE_OPTIONS = Object.freeze({
  prefix: 'cache',
  staleIfErrorMs: 30_000,
  negativeTtlMs: 0,
  maxPendingInvalidations: 10_000,
  reapplyBeforeDropMs: 5_000,
  untrustedL1Ms: 1_000,
});
