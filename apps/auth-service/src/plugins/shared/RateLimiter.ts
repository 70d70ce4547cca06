import { Redis } from 'ioredis';
import type { IMetricsCollector } from '@libs/monitoring';
import { executeRedisWithRetry, type ResilienceRegistry } from '@libs/utils';
import { MemoryWindow, type RateLimitDecision, type WindowLimit } from './MemoryWindow';
import type { PluginLogger } from './logger';

export interface RateLimiterOptions {
  /** Redis URL or client; without it counters live in memory (per instance). @default undefined */
  redis?: string | Redis;
  /** Prefix of the Redis keys. @default 'ratelimit:' */
  prefix?: string;
  /** Keys tracked in memory (LRU beyond that). @default 100_000 */
  memoryMaxKeys?: number;
  /** Timeout of one Redis call before falling back to memory. @default 250 */
  redisTimeoutMs?: number;
  /** Circuit breaker shared by limiters with the same key (open: straight to memory). @default 'ratelimit' */
  breakerKey?: string;
  /** How long an open breaker keeps Redis out before a trial call. @default 5_000 */
  breakerResetMs?: number;
  /** Where the Redis breaker lives (the app context's own). @default the process default */
  registry?: ResilienceRegistry;
  /** @default undefined */
  metrics?: IMetricsCollector;
  /** @default silent */
  logger?: PluginLogger;
}

export const DEFAULT_RATE_LIMITER_OPTIONS = { prefix: 'ratelimit:', memoryMaxKeys: 100_000, redisTimeoutMs: 250, breakerKey: 'ratelimit', breakerResetMs: 5_000 } as const;

type Settings = { -readonly [K in keyof typeof DEFAULT_RATE_LIMITER_OPTIONS]: (typeof DEFAULT_RATE_LIMITER_OPTIONS)[K] extends string ? string : number };

// INCR and PEXPIRE in one atomic step: a counter can never be left without an expiry
// (which would lock the key out for good), and the PTTL read is the Retry-After.
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}`;

/**
 * Fixed-window rate limiter: counted in Redis when configured (shared by every instance),
 * in memory otherwise. When Redis fails the hit is counted in memory instead — never
 * fail-open (no limit at all) and never fail the request because Redis is down.
 */
export class RateLimiter {
  readonly #memory: MemoryWindow;
  readonly #redis: Redis | undefined;
  readonly #ownsRedis: boolean;
  readonly #options: Settings;
  readonly #metrics: IMetricsCollector | undefined;
  readonly #logger: PluginLogger | undefined;
  readonly #registry: ResilienceRegistry | undefined;
  #degraded = false;
  #connecting: Promise<void> | undefined;

  constructor(options: RateLimiterOptions = {}) {
    this.#options = {
      prefix: options.prefix ?? DEFAULT_RATE_LIMITER_OPTIONS.prefix,
      memoryMaxKeys: options.memoryMaxKeys ?? DEFAULT_RATE_LIMITER_OPTIONS.memoryMaxKeys,
      redisTimeoutMs: options.redisTimeoutMs ?? DEFAULT_RATE_LIMITER_OPTIONS.redisTimeoutMs,
      breakerKey: options.breakerKey ?? DEFAULT_RATE_LIMITER_OPTIONS.breakerKey,
      breakerResetMs: options.breakerResetMs ?? DEFAULT_RATE_LIMITER_OPTIONS.breakerResetMs,
    };
    this.#memory = new MemoryWindow(this.#options.memoryMaxKeys);
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#registry = options.registry;
    if (typeof options.redis === 'string') {
      // Fail fast while disconnected: the memory window takes over instead of queueing.
      // lazyConnect: an app context that never checks a key never opens the connection.
      this.#redis = new Redis(options.redis, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000) });
      this.#redis.on('error', () => undefined); // surfaced per call below; an unhandled 'error' would crash
      this.#ownsRedis = true;
    } else {
      this.#redis = options.redis;
      this.#ownsRedis = false;
    }
  }

  /** 'redis' while Redis answers, 'memory' without Redis or while falling back. */
  get mode(): 'redis' | 'memory' {
    return this.#redis && !this.#degraded ? 'redis' : 'memory';
  }

  /** Counts one hit on `key` and says whether it is within `limit`. Never throws. */
  async hit(key: string, limit: WindowLimit): Promise<RateLimitDecision> {
    const redis = this.#redis;
    if (!redis) return this.#memory.hit(key, limit);
    try {
      if (redis.status === 'wait') await (this.#connecting ??= redis.connect());
      const [count, ttl] = await executeRedisWithRetry(
        redis,
        (r) => r.eval(HIT_SCRIPT, 1, `${this.#options.prefix}${key}`, String(limit.windowMs)) as Promise<[number, number]>,
        undefined,
        // INCR is not idempotent: a timed-out attempt may have counted, so no retry.
        { operationName: 'ratelimit_hit', breakerKey: this.#options.breakerKey, circuitBreakerResetMs: this.#options.breakerResetMs, maxRetries: 0, attemptTimeoutMs: this.#options.redisTimeoutMs, registry: this.#registry },
        this.#metrics,
      );
      this.#recovered();
      return { allowed: count <= limit.max, count, limit: limit.max, resetInMs: Math.max(0, ttl) };
    } catch (error) {
      this.#fellBack(error);
      return this.#memory.hit(key, limit);
    }
  }

  async close(): Promise<void> {
    if (!this.#redis || !this.#ownsRedis || this.#redis.status === 'end') return;
    if (this.#redis.status === 'wait') return this.#redis.disconnect();
    await this.#redis.quit().catch(() => this.#redis?.disconnect());
  }

  #fellBack(error: unknown): void {
    this.#metrics?.incrementEvent('ratelimit.redis_fallback');
    if (this.#degraded) return;
    this.#degraded = true;
    const code = (error as { code?: string } | null)?.code ?? (error as Error | null)?.name ?? 'UNKNOWN';
    this.#logger?.warn({ component: 'rate-limiter', code }, 'rate limiter: Redis unreachable, counting in memory');
  }

  #recovered(): void {
    if (!this.#degraded) return;
    this.#degraded = false;
    this.#logger?.info({ component: 'rate-limiter' }, 'rate limiter: Redis back, counting in Redis');
  }
}
