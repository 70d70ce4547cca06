import type { IMetricsCollector } from '@libs/monitoring';
import { createAttemptContext } from './AttemptContext';
import type { RetryContext, RetryOptions } from './RetryOptions';
import { resolveSettings } from './resolveSettings';
import { runWithRetry } from './runWithRetry';

/**
 * Runs `fn` with retries (exponential backoff with jitter), the circuit breaker shared by
 * `breakerKey`, a retry budget and optional per-attempt timeout and abort signal.
 *
 * - Success: resolves with `fn`'s value.
 * - Non-retryable error (per `isRetryable`, default `isTransientError`): rethrown as is after
 *   that attempt, so callers can still map e.g. Prisma `P2002`.
 * - Retryable errors until `maxRetries` or the budget runs out: `RetryExhaustedError`
 *   (`attempts`, `reason`, `cause` = last error).
 * - Breaker open: `CircuitOpenError` (`breakerKey`, `retryAfterMs`) without calling `fn`.
 * - Caller's signal aborted: `RetryAbortedError`.
 *
 * `onError(error, attempt)` runs after every failed attempt; `metrics` receives every
 * attempt's duration and outcome and the breaker's state changes.
 */
export function executeWithRetry<T>(
  fn: (context: RetryContext) => Promise<T>,
  onError?: (error: unknown, attempt: number) => void,
  options?: RetryOptions,
  metrics?: IMetricsCollector,
): Promise<T> {
  let settings;
  try {
    settings = resolveSettings(options);
  } catch (error) {
    return Promise.reject(error);
  }
  if (settings.breaker !== undefined && (metrics !== undefined || options?.logger !== undefined)) settings.breaker.attach(metrics, options?.logger);
  return runWithRetry(fn, createAttemptContext, onError, settings, metrics);
}
