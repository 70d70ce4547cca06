import { getCircuitBreaker } from '../breaker/breakerRegistry';
import { getRetryBudget } from '../budget/budgetRegistry';
import { DEFAULT_RETRY_OPTIONS, type RetryDefaults, type RetryOptions } from './RetryOptions';
import type { RetrySettings } from './runWithRetry';

/**
 * Merges `options` over `defaults` into the engine's settings and looks up the shared breaker
 * and budget for the key. Field by field rather than `{ ...defaults, ...options }` so an
 * explicit `undefined` in options still means "default".
 */
export function resolveSettings(options: RetryOptions | undefined, defaults: Readonly<RetryDefaults> = DEFAULT_RETRY_OPTIONS): RetrySettings {
  const o = options ?? {};
  const operationName = o.operationName ?? defaults.operationName;
  const key = o.breakerKey ?? operationName;
  const budgetOptions = o.retryBudget === undefined ? defaults.retryBudget : o.retryBudget;
  return {
    operationName,
    maxRetries: Math.max(0, Math.floor(o.maxRetries ?? defaults.maxRetries)),
    baseDelayMs: o.baseDelayMs ?? defaults.baseDelayMs,
    maxDelayMs: o.maxDelayMs ?? defaults.maxDelayMs,
    jitter: o.jitter ?? defaults.jitter,
    attemptTimeoutMs: o.attemptTimeoutMs ?? defaults.attemptTimeoutMs,
    signal: o.signal,
    isRetryable: o.isRetryable ?? defaults.isRetryable,
    logger: o.logger,
    random: o.random ?? defaults.random,
    breaker:
      (o.enableCircuitBreaker ?? defaults.enableCircuitBreaker)
        ? getCircuitBreaker(key, o.circuitBreakerThreshold ?? defaults.circuitBreakerThreshold, o.circuitBreakerResetMs ?? defaults.circuitBreakerResetMs, o.logger)
        : undefined,
    budget: budgetOptions === false ? undefined : getRetryBudget(key, budgetOptions),
    deadline: undefined,
    createBreaker: undefined,
    beforeRetry: undefined,
  };
}
