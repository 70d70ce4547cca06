import type { IMetricsCollector } from '@libs/monitoring';
import { isRedisTransientError } from '../classify/isRedisTransientError';
import { createAttemptContext } from './AttemptContext';
import { DEFAULT_RETRY_OPTIONS, type RetryDefaults, type RetryOptions } from './RetryOptions';
import { resolveSettings } from './resolveSettings';
import { runWithRetry } from './runWithRetry';

/**
 * Options of `executeRedisWithRetry`: the same fields as `RetryOptions`, Redis-tuned defaults.
 * A cache call should fail fast — the caller usually has a fallback (L1, the database).
 */
export interface RedisRetryOptions extends RetryOptions {
  /** @default 'redis' */
  operationName?: string;
  /** @default 2 */
  maxRetries?: number;
  /** @default 20 */
  baseDelayMs?: number;
  /** @default 200 */
  maxDelayMs?: number;
  /**
   * A timed-out command may still run on the server: fine for reads and idempotent writes
   * (SET, DEL), not for INCR/LPUSH — pass `maxRetries: 0` or your own `isRetryable` for those.
   * @default 500
   */
  attemptTimeoutMs?: number;
  /** @default true */
  enableCircuitBreaker?: boolean;
  /** @default isRedisTransientError (ioredis connection errors, LOADING, READONLY, TRYAGAIN, CLUSTERDOWN, MASTERDOWN, MaxRetriesPerRequestError) */
  isRetryable?: (error: unknown) => boolean;
}

export const DEFAULT_REDIS_RETRY_OPTIONS: Readonly<RetryDefaults> = {
  ...DEFAULT_RETRY_OPTIONS,
  operationName: 'redis',
  maxRetries: 2,
  baseDelayMs: 20,
  maxDelayMs: 200,
  attemptTimeoutMs: 500,
  enableCircuitBreaker: true,
  isRetryable: isRedisTransientError,
};

/**
 * `executeWithRetry` for Redis: `fn` receives the client (typed as you pass it, e.g. an ioredis
 * `Redis`), and the defaults are a few fast retries, a 500 ms attempt timeout and the breaker on.
 */
export function executeRedisWithRetry<R, T>(
  redis: R,
  fn: (redis: R) => Promise<T>,
  onError?: (error: unknown, attempt: number) => void,
  options?: RedisRetryOptions,
  metrics?: IMetricsCollector,
): Promise<T> {
  let settings;
  try {
    settings = resolveSettings(options, DEFAULT_REDIS_RETRY_OPTIONS);
  } catch (error) {
    return Promise.reject(error);
  }
  if (settings.breaker !== undefined && (metrics !== undefined || options?.logger !== undefined)) settings.breaker.attach(metrics, options?.logger);
  // `fn` gets the client, not the context, so the attempt's AbortSignal is never created.
  return runWithRetry(() => fn(redis), createAttemptContext, onError, settings, metrics);
}
