import { isBrokenCircuitError } from 'cockatiel';
import type { IMetricsCollector } from '@libs/monitoring';
import { computeDelay, type BackoffSettings } from '../backoff/computeDelay';
import { BreakerPassthrough, type ManagedBreaker } from '../breaker/ManagedBreaker';
import type { RetryBudget } from '../budget/RetryBudget';
import { hasSpentRetrySchedule } from '../classify/hasSpentRetrySchedule';
import { CircuitOpenError } from '../errors/CircuitOpenError';
import { RetryAbortedError } from '../errors/RetryAbortedError';
import { RetryExhaustedError } from '../errors/RetryExhaustedError';
import { errorCodeOf, log, type RetryLogger } from '../logger';
import type { AttemptContextFactory } from './AttemptContext';
import { invokeAttempt } from './invokeAttempt';
import type { RetryContext } from './RetryOptions';
import { sleep } from './sleep';

/** Fully resolved settings of one call; built by the public entry points. */
export interface RetrySettings extends BackoffSettings {
  operationName: string;
  maxRetries: number;
  attemptTimeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  isRetryable: (error: unknown) => boolean;
  /** See `RetryOptions.isRepeatable`; undefined: every retryable failure may be retried. */
  isRepeatable?: (error: unknown) => boolean;
  /** See `RetryOptions.isBreakerFailure`; undefined: every retryable failure counts. */
  isBreakerFailure?: (error: unknown) => boolean;
  logger: RetryLogger | undefined;
  random: () => number;
  breaker: ManagedBreaker | undefined;
  budget: RetryBudget | undefined;
  /** performance.now() after which no retry starts (real-time WebSocket work, token refresh). */
  deadline: number | undefined;
  /**
   * Creates the breaker on the first retryable failure when `breaker` is undefined. WebSocket
   * connections mostly never fail; a cockatiel breaker per socket costs ~6 µs and ~2 KB, so it
   * is made only once there is a failure to record.
   */
  createBreaker: (() => ManagedBreaker) | undefined;
  /** Runs before each retry; throwing stops the loop with that error (WebSocket health check). */
  beforeRetry: ((attempt: number) => Promise<void>) | undefined;
}

/**
 * The retry loop shared by every entry point: attempt → (breaker) → classify → budget →
 * backoff → repeat. Each attempt is recorded in `metrics`; `onError` sees every failed attempt.
 * `makeContext` builds each attempt's context (a fresh one per attempt).
 */
export async function runWithRetry<T, C extends RetryContext>(
  fn: (context: C) => Promise<T>,
  makeContext: AttemptContextFactory<C>,
  onError: ((error: unknown, attempt: number) => void) | undefined,
  s: RetrySettings,
  metrics: IMetricsCollector | undefined,
): Promise<T> {
  const { operationName, budget, signal } = s;
  let breaker = s.breaker;
  // One clock read serves the budget and the first attempt's duration (the happy path).
  let started = performance.now();
  if (budget !== undefined) budget.recordCall(started);
  let lastError: unknown;
  let previousDelay = 0;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw aborted(s, metrics, signal.reason);
    if (attempt > 1) started = performance.now();
    let error: unknown;
    let retryable: boolean;
    try {
      const value =
        breaker === undefined
          ? await invokeAttempt(fn, makeContext, attempt, operationName, s.attemptTimeoutMs, signal)
          : await breaker.policy.execute(() => guardedAttempt(fn, makeContext, attempt, s));
      if (metrics !== undefined) record(metrics, operationName, performance.now() - started, true);
      return value;
    } catch (caught) {
      if (caught instanceof BreakerPassthrough) {
        error = caught.error;
        retryable = caught.retryable;
      } else if (breaker !== undefined && isBrokenCircuitError(caught)) {
        throw circuitOpen(breaker, s, metrics, lastError);
      } else {
        error = caught;
        retryable = breaker !== undefined || classify(s, caught);
      }
    }
    if (error instanceof RetryAbortedError) {
      if (metrics !== undefined) record(metrics, operationName, performance.now() - started, false, error.code);
      throw error;
    }
    if (metrics !== undefined) record(metrics, operationName, performance.now() - started, false, errorCodeOf(error));
    if (onError !== undefined) {
      try {
        onError(error, attempt);
      } catch {
        /* a throwing callback must not replace the operation's own error */
      }
    }
    if (!retryable) throw error;
    lastError = error;
    if (breaker === undefined && s.createBreaker !== undefined) breaker = await recordFirstFailure(s.createBreaker, error);
    if (attempt > s.maxRetries) throw exhausted(s, metrics, attempt, error, 'max_retries');
    if (s.isRepeatable !== undefined && !repeatable(s.isRepeatable, error)) throw exhausted(s, metrics, attempt, error, 'not_repeatable');

    let delay = computeDelay(s, attempt, previousDelay, s.random);
    delay = Math.max(delay, retryAfterHint(error, s.maxDelayMs));
    previousDelay = delay;
    const now = performance.now();
    if (s.deadline !== undefined && now + delay > s.deadline) throw exhausted(s, metrics, attempt, error, 'deadline');
    if (budget !== undefined && !budget.tryRetry(now)) {
      if (metrics !== undefined) safeEvent(metrics, 'retry.budget_exhausted');
      throw exhausted(s, metrics, attempt, error, 'budget');
    }
    if (metrics !== undefined) safeEvent(metrics, 'retry.retries');
    if (s.logger !== undefined) log(s.logger, 'warn', { op: operationName, attempt, code: errorCodeOf(error), delayMs: Math.round(delay) }, 'retrying');
    if (delay > 0) await sleep(delay, signal, (reason) => aborted(s, metrics, reason));
    if (s.beforeRetry !== undefined) await s.beforeRetry(attempt + 1);
  }
}

/**
 * The attempt as the breaker sees it: errors the caller classes as non-retryable (and aborts)
 * are wrapped so cockatiel does not count them as the dependency failing.
 */
async function guardedAttempt<T, C extends RetryContext>(
  fn: (context: C) => Promise<T>,
  makeContext: AttemptContextFactory<C>,
  attempt: number,
  s: RetrySettings,
): Promise<T> {
  try {
    return await invokeAttempt(fn, makeContext, attempt, s.operationName, s.attemptTimeoutMs, s.signal);
  } catch (error) {
    if (error instanceof RetryAbortedError || !classify(s, error)) throw new BreakerPassthrough(error);
    // Retryable, but load rather than an outage: the breaker does not count it.
    if (s.isBreakerFailure !== undefined && !breakerFailure(s.isBreakerFailure, error)) throw new BreakerPassthrough(error, true);
    throw error;
  }
}

/** Makes the lazily created breaker and records the failure that made it necessary. */
async function recordFirstFailure(create: () => ManagedBreaker, error: unknown): Promise<ManagedBreaker> {
  const breaker = create();
  await breaker.policy
    .execute(() => {
      throw error;
    })
    .catch(() => undefined);
  return breaker;
}

function classify(s: RetrySettings, error: unknown): boolean {
  // Checked before the classifier: one request never pays for more than one schedule.
  if (hasSpentRetrySchedule(error)) return false;
  try {
    return s.isRetryable(error) === true;
  } catch {
    return false; // a broken classifier must not cause a retry storm
  }
}

function breakerFailure(isBreakerFailure: (error: unknown) => boolean, error: unknown): boolean {
  try {
    return isBreakerFailure(error) !== false;
  } catch {
    return true; // a broken classifier keeps the breaker's protection
  }
}

function repeatable(isRepeatable: (error: unknown) => boolean, error: unknown): boolean {
  try {
    return isRepeatable(error) !== false;
  } catch {
    return false; // like a broken classifier: no retry storm
  }
}

/** Honors a server's "retry after" (e.g. a rate-limit error carrying `retryAfterMs`), capped. */
function retryAfterHint(error: unknown, maxDelayMs: number): number {
  if (error === null || typeof error !== 'object') return 0;
  const hint = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof hint === 'number' && hint > 0 && Number.isFinite(hint) ? Math.min(hint, maxDelayMs) : 0;
}

function circuitOpen(breaker: ManagedBreaker, s: RetrySettings, metrics: IMetricsCollector | undefined, lastError: unknown): CircuitOpenError {
  const state = breaker.state === 'isolated' ? 'isolated' : 'open';
  const error = new CircuitOpenError(breaker.key, breaker.retryAfterMs(), { state, cause: lastError });
  if (metrics !== undefined) {
    record(metrics, s.operationName, 0, false, error.code);
    safeEvent(metrics, 'retry.circuit_open');
  }
  log(s.logger, 'debug', { op: s.operationName, breaker: breaker.key, retryAfterMs: error.retryAfterMs }, 'circuit open; call rejected');
  return error;
}

function exhausted(
  s: RetrySettings,
  metrics: IMetricsCollector | undefined,
  attempts: number,
  cause: unknown,
  reason: RetryExhaustedError['reason'],
): RetryExhaustedError {
  if (metrics !== undefined) safeEvent(metrics, 'retry.exhausted');
  log(s.logger, 'error', { op: s.operationName, attempts, code: errorCodeOf(cause), reason }, 'retries exhausted');
  return new RetryExhaustedError(s.operationName, attempts, cause, reason);
}

function aborted(s: RetrySettings, metrics: IMetricsCollector | undefined, reason: unknown): RetryAbortedError {
  if (metrics !== undefined) safeEvent(metrics, 'retry.aborted');
  return new RetryAbortedError(s.operationName, reason);
}

// The collector contract says it never throws; a broken one still must not break the call.
function record(metrics: IMetricsCollector, op: string, ms: number, ok: boolean, code?: string): void {
  try {
    metrics.recordOperation(op, ms, ok, code);
  } catch {
    /* ignored */
  }
}

function safeEvent(metrics: IMetricsCollector, event: string): void {
  try {
    metrics.incrementEvent(event);
  } catch {
    /* ignored */
  }
}
