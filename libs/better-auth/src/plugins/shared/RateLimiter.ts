import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { createRedisClient, isRedisEndpoint, type RedisEndpoint } from '@libs/database/cache';
import type { IMetricsCollector } from '@libs/monitoring';
import { defaultResilienceRegistry, type ResilienceRegistry } from '@libs/utils';
import type { PluginLogger } from './logger';

/** What a rate limiter answers for one hit. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  count: number;
  limit: number;
  /** Milliseconds until the window resets (Retry-After when refused). */
  resetInMs: number;
}

export interface WindowLimit {
  /** Hits allowed per window. */
  max: number;
  /** Window length; counted in whole seconds (rounded up), as Redis expiries are. */
  windowMs: number;
}

export interface RateLimiterOptions {
  /** Redis endpoint (URL or Sentinel) or client; without it counters live in memory (per instance). @default undefined */
  redis?: RedisEndpoint | Redis;
  /** Prefix of the Redis keys. @default 'ratelimit:' */
  prefix?: string;
  /** Timeout of one Redis call before the hit is counted in memory instead. @default 250 */
  redisTimeoutMs?: number;
  /** Circuit breaker over Redis (open: hits go straight to memory, no timeout to wait out). @default 'ratelimit' */
  breakerKey?: string;
  /** How long an open breaker keeps Redis out before trial calls. @default 5_000 */
  breakerResetMs?: number;
  /** Where the breaker lives (the app context's own). @default the process default */
  registry?: ResilienceRegistry;
  /** @default undefined */
  metrics?: IMetricsCollector;
  /** @default silent */
  logger?: PluginLogger;
}

export const DEFAULT_RATE_LIMITER_OPTIONS = { prefix: 'ratelimit:', redisTimeoutMs: 250, breakerKey: 'ratelimit', breakerResetMs: 5_000 } as const;

/** Set on the options of a call that rate-limiter-flexible handed to the insurance limiter. */
interface CallMarker {
  viaInsurance?: boolean;
}

/** The memory limiter, also RateLimiterRedis's insurance: marks the calls that fell back to it. */
class MemoryInsurance extends RateLimiterMemory {
  override consume(key: string | number, points?: number, options?: CallMarker & { [key: string]: unknown }): Promise<RateLimiterRes> {
    if (options) options.viaInsurance = true;
    return super.consume(key, points, options);
  }
}

interface Limiters {
  memory: MemoryInsurance;
  redis: RateLimiterRedis | undefined;
}

const FELL_BACK = new Error('rate limiter: Redis failed, counted in memory');

/**
 * Fixed-window rate limiter on rate-limiter-flexible: `RateLimiterRedis` (shared by every
 * instance) with a `RateLimiterMemory` as its insurance, so a failing Redis call is counted in
 * memory — never fail-open, never an error. A circuit breaker over Redis sends hits straight
 * to memory while Redis keeps failing (a frozen Redis would otherwise cost each hit the timeout).
 */
export class RateLimiter {
  readonly #redis: Redis | undefined;
  readonly #ownsRedis: boolean;
  readonly #prefix: string;
  readonly #options: RateLimiterOptions;
  readonly #limiters = new Map<string, Limiters>();
  #degraded = false;
  #connecting: Promise<void> | undefined;

  constructor(options: RateLimiterOptions = {}) {
    this.#options = options;
    this.#prefix = (options.prefix ?? DEFAULT_RATE_LIMITER_OPTIONS.prefix).replace(/:$/, '');
    const timeout = options.redisTimeoutMs ?? DEFAULT_RATE_LIMITER_OPTIONS.redisTimeoutMs;
    if (options.redis !== undefined && isRedisEndpoint(options.redis)) {
      // Fail fast while disconnected (the insurance takes over instead of queueing); lazyConnect:
      // an app context that never checks a key never opens the connection.
      this.#redis = createRedisClient(options.redis, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: timeout, connectTimeout: 2_000 });
      this.#redis.on('error', () => undefined); // surfaced per call (insurance); an unhandled 'error' would crash
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
    const limiters = this.#limitersFor(limit);
    let res: RateLimiterRes | undefined;
    const client = this.#redis;
    if (limiters.redis && client) {
      const redis = limiters.redis;
      const marker: CallMarker = {};
      try {
        if (client.status === 'wait') await (this.#connecting ??= client.connect().catch(() => undefined));
        await this.#breaker().policy.execute(async () => {
          res = await settled(redis.consume(key, 1, marker as Record<string, unknown>));
          if (marker.viaInsurance) throw FELL_BACK; // counted, in memory: a failure for the breaker
        });
        this.#recovered();
      } catch (error) {
        this.#fellBack(error);
      }
    }
    res ??= await settled(limiters.memory.consume(key, 1));
    return { allowed: res.consumedPoints <= limit.max, count: res.consumedPoints, limit: limit.max, resetInMs: Math.max(0, res.msBeforeNext) };
  }

  async close(): Promise<void> {
    if (!this.#redis || !this.#ownsRedis || this.#redis.status === 'end') return;
    if (this.#redis.status === 'wait') return this.#redis.disconnect();
    await this.#redis.quit().catch(() => this.#redis?.disconnect());
  }

  // One limiter pair per (max, window): rate-limiter-flexible fixes both at construction.
  #limitersFor(limit: WindowLimit): Limiters {
    const duration = Math.max(1, Math.ceil(limit.windowMs / 1_000));
    const id = `${limit.max}/${duration}`;
    let limiters = this.#limiters.get(id);
    if (limiters === undefined) {
      const memory = new MemoryInsurance({ points: limit.max, duration, keyPrefix: this.#prefix });
      const redis = this.#redis ? new RateLimiterRedis({ storeClient: this.#redis, points: limit.max, duration, keyPrefix: this.#prefix, rejectIfRedisNotReady: true, insuranceLimiter: memory }) : undefined;
      limiters = { memory, redis };
      this.#limiters.set(id, limiters);
    }
    return limiters;
  }

  #breaker() {
    const registry = this.#options.registry ?? defaultResilienceRegistry;
    return registry.breakers.get(this.#options.breakerKey ?? DEFAULT_RATE_LIMITER_OPTIONS.breakerKey, { resetMs: this.#options.breakerResetMs ?? DEFAULT_RATE_LIMITER_OPTIONS.breakerResetMs });
  }

  #fellBack(error: unknown): void {
    this.#options.metrics?.incrementEvent('ratelimit.redis_fallback');
    if (this.#degraded) return;
    this.#degraded = true;
    const code = error === FELL_BACK ? 'REDIS_FAILED' : ((error as { code?: string } | null)?.code ?? (error as Error | null)?.name ?? 'UNKNOWN');
    this.#options.logger?.warn({ component: 'rate-limiter', code }, 'rate limiter: Redis unreachable, counting in memory');
  }

  #recovered(): void {
    if (!this.#degraded) return;
    this.#degraded = false;
    this.#options.logger?.info({ component: 'rate-limiter' }, 'rate limiter: Redis back, counting in Redis');
  }
}

/** rate-limiter-flexible rejects a refused hit with its `RateLimiterRes`: both are answers. */
function settled(consumed: Promise<RateLimiterRes>): Promise<RateLimiterRes> {
  return consumed.catch((reason: unknown) => {
    if (reason instanceof RateLimiterRes) return reason;
    throw reason;
  });
}
