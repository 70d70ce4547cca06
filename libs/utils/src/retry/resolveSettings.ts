import type { BreakerOptions } from '../breaker/BreakerOptions';
import { defaultResilienceRegistry, type ResilienceRegistry } from '../registry/ResilienceRegistry';
import { DEFAULT_RETRY_OPTIONS, type RetryDefaults, type RetryOptions } from './RetryOptions';
import type { RetrySettings } from './runWithRetry';

/** The registry a call's shared state lives in. */
export function registryOf(options: RetryOptions | undefined): ResilienceRegistry {
  return options?.registry ?? defaultResilienceRegistry;
}

/** The breaker settings of a call (its `circuitBreaker…` fields over the entry point's defaults). */
export function breakerOptionsOf(o: RetryOptions, defaults: Readonly<RetryDefaults>): BreakerOptions {
  return {
    threshold: o.circuitBreakerThreshold ?? defaults.circuitBreakerThreshold,
    resetMs: o.circuitBreakerResetMs ?? defaults.circuitBreakerResetMs,
    maxResetMs: o.circuitBreakerMaxResetMs ?? defaults.circuitBreakerMaxResetMs,
    halfOpenCalls: o.circuitBreakerHalfOpenCalls ?? defaults.circuitBreakerHalfOpenCalls,
  };
}

/**
 * Merges `options` over `defaults` into the engine's settings and looks up the shared breaker
 * and budget for the key in the call's registry. Field by field rather than
 * `{ ...defaults, ...options }` so an explicit `undefined` in options still means "default".
 */
export function resolveSettings(options: RetryOptions | undefined, defaults: Readonly<RetryDefaults> = DEFAULT_RETRY_OPTIONS): RetrySettings {
  const o = options ?? {};
  const registry = o.registry ?? defaultResilienceRegistry;
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
    isRepeatable: o.isRepeatable,
    isBreakerFailure: o.isBreakerFailure,
    logger: o.logger,
    random: o.random ?? defaults.random,
    breaker: (o.enableCircuitBreaker ?? defaults.enableCircuitBreaker) ? registry.breakers.get(key, breakerOptionsOf(o, defaults), o.logger) : undefined,
    budget: budgetOptions === false ? undefined : registry.budgets.get(key, budgetOptions),
    deadline: undefined,
    createBreaker: undefined,
    beforeRetry: undefined,
  };
}
