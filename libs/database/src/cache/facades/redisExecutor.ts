import type { IMetricsCollector } from '@libs/monitoring';
import { executeRedisWithRetry, type RedisRetryOptions, type ResilienceRegistry } from '@libs/utils/src/executeWithRetry';
import type { Redis } from 'ioredis';
import type { CacheLogger } from '../logger';

/** Settings of one L2 call, as `RemoteLayer` hands them to the executor. */
export interface RedisCallOptions {
  operationName: string;
  breakerKey: string;
  maxRetries: number;
  attemptTimeoutMs: number;
  circuitBreakerThreshold: number;
  circuitBreakerResetMs: number;
  registry: ResilienceRegistry | undefined;
}

/** Runs one Redis call with retry, timeout and breaker; throws when it finally fails. */
export type RedisExecutor = <T>(
  redis: Redis,
  fn: (redis: Redis) => Promise<T>,
  options: RedisCallOptions,
  metrics: IMetricsCollector | undefined,
  logger: CacheLogger,
) => Promise<T>;

const resolved = new WeakMap<RedisCallOptions, WeakMap<CacheLogger, RedisRetryOptions>>();

/** The options object for `executeRedisWithRetry`, built once per (call options, logger). */
function retryOptions(options: RedisCallOptions, logger: CacheLogger): RedisRetryOptions {
  let byLogger = resolved.get(options);
  if (byLogger === undefined) resolved.set(options, (byLogger = new WeakMap()));
  let result = byLogger.get(logger);
  if (result === undefined) {
    result = {
      ...options,
      enableCircuitBreaker: true,
      // The cache reports outages itself, once; per-attempt chatter stays at debug.
      logger: logger.debug ? { debug: logger.debug.bind(logger) } : undefined,
    };
    byLogger.set(logger, result);
  }
  return result;
}

/** The default executor: the team's `executeRedisWithRetry` (the seed's Example 5). */
export const defaultRedisExecutor: RedisExecutor = (redis, fn, options, metrics, logger) =>
  executeRedisWithRetry(redis, fn, undefined, retryOptions(options, logger), metrics);
