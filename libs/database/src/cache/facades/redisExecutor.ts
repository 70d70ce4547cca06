import type { IMetricsCollector } from '@libs/monitoring';
import { executeRedisWithRetry } from '@libs/utils/src/executeWithRetry';
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
}

/** Runs one Redis call with retry, timeout and breaker; throws when it finally fails. */
export type RedisExecutor = <T>(
  redis: Redis,
  fn: (redis: Redis) => Promise<T>,
  options: RedisCallOptions,
  metrics: IMetricsCollector | undefined,
  logger: CacheLogger,
) => Promise<T>;

/** The default executor: the team's `executeRedisWithRetry` (the seed's Example 5). */
export const defaultRedisExecutor: RedisExecutor = (redis, fn, options, metrics, logger) =>
  executeRedisWithRetry(
    redis,
    fn,
    undefined,
    {
      ...options,
      enableCircuitBreaker: true,
      // The cache reports outages itself, once; per-attempt chatter stays at debug.
      logger: { debug: logger.debug?.bind(logger) },
    },
    metrics,
  );
