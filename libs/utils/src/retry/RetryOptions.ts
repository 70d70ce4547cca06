import type { JitterStrategy } from '../backoff/computeDelay';
import { defaultBreakerOptions } from '../breaker/BreakerOptions';
import type { RetryBudgetOptions } from '../budget/RetryBudget';
import { isTransientError } from '../classify/isTransientError';
import type { RetryLogger } from '../logger';
import type { ResilienceRegistry } from '../registry/ResilienceRegistry';

/** What the operation receives on each attempt (a new context per attempt). */
export interface RetryContext {
  /** 1 for the first attempt, 2 for the first retry … */
  readonly attempt: number;
  /**
   * Aborted when the caller's signal aborts or this attempt times out; pass it to anything
   * cancellable (fetch, pg query cancellation) so a timed-out attempt stops working. Created
   * on first read (a getter, so `{ ...context }` does not copy it); read after the attempt
   * timed out or was aborted, it is already aborted with the same reason.
   */
  readonly signal: AbortSignal;
}

/** Options of `executeWithRetry`. Every field is optional. */
export interface RetryOptions {
  /**
   * Name used in metrics and logs, and the default breaker key. Give every distinct dependency
   * call its own name: calls without one share the `operation` breaker.
   * @default 'operation'
   */
  operationName?: string;
  /**
   * Key of the shared circuit breaker and retry budget. Calls with the same key share state.
   * @default operationName
   */
  breakerKey?: string;
  /**
   * Retries after the first attempt (so at most `maxRetries + 1` attempts).
   * @default 3
   */
  maxRetries?: number;
  /**
   * Delay scale of the first retry.
   * @default 100
   */
  baseDelayMs?: number;
  /**
   * Cap of any single delay.
   * @default 5_000
   */
  maxDelayMs?: number;
  /**
   * Jitter scheme (see `computeDelay`).
   * @default 'full'
   */
  jitter?: JitterStrategy;
  /**
   * Per-attempt timeout; a timed-out attempt fails with `AttemptTimeoutError` (retryable) and
   * its `signal` is aborted. Undefined: no timeout.
   * @default undefined
   */
  attemptTimeoutMs?: number;
  /**
   * Aborts the whole operation (current attempt and pending retry) with `RetryAbortedError`.
   * @default undefined
   */
  signal?: AbortSignal;
  /**
   * Guard calls with the cockatiel circuit breaker shared by `breakerKey`.
   * @default true
   */
  enableCircuitBreaker?: boolean;
  /**
   * Consecutive retryable failures that open the breaker.
   * @default 5
   */
  circuitBreakerThreshold?: number;
  /**
   * Time a freshly opened breaker waits before letting half-open trials through; doubles after
   * each failed round of trials, up to `circuitBreakerMaxResetMs`. A health signal
   * (`BreakerRegistry.probe`, `watchRecovery`) ends the wait early.
   * @default 1_000
   */
  circuitBreakerResetMs?: number;
  /**
   * Longest wait between rounds of half-open trials while they keep failing.
   * @default 30_000
   */
  circuitBreakerMaxResetMs?: number;
  /**
   * Calls let through at once while half-open; all must succeed to close, one failure reopens.
   * @default 3
   */
  circuitBreakerHalfOpenCalls?: number;
  /**
   * Where the breaker and retry budget of `breakerKey` live (and, for the WebSocket family, the
   * connection state). An app context owns one so that its breakers are its own.
   * @default defaultResilienceRegistry
   */
  registry?: ResilienceRegistry;
  /**
   * Decides whether an error is worth another attempt (and counts against the breaker).
   * Non-retryable errors are rethrown as they are after one attempt.
   * @default isTransientError
   */
  isRetryable?: (error: unknown) => boolean;
  /**
   * After a retryable failure (one the breaker counts), whether another attempt is worth making.
   * False ends the call at once with `RetryExhaustedError` (reason `not_repeatable`): a lock or
   * statement timeout says the dependency is struggling (the breaker should know), but a second
   * attempt would wait on the same lock. Undefined: every retryable failure is retried.
   * @default undefined
   */
  isRepeatable?: (error: unknown) => boolean;
  /**
   * Whether a retryable failure counts toward opening the breaker. False for failures that are
   * load rather than an outage — a pooled connection not free within the connect timeout while
   * the database answers every other caller — so a flood of requests cannot open the breaker
   * and turn every caller away; the failure is still retryable/repeatable as classified.
   * @default undefined (every retryable failure counts)
   */
  isBreakerFailure?: (error: unknown) => boolean;
  /**
   * Retry budget per `breakerKey`, or `false` to retry without one.
   * @default { ratio: 0.1, minRetriesPerSecond: 10, windowMs: 10_000 }
   */
  retryBudget?: false | RetryBudgetOptions;
  /**
   * pino-shaped logger: `warn` per retry and breaker opening, `error` when retries run out.
   * @default undefined (silent)
   */
  logger?: RetryLogger;
  /**
   * Source of randomness for jitter, in [0, 1). For deterministic tests.
   * @default Math.random
   */
  random?: () => number;
}

/** Resolved defaults of an entry point (every `RetryOptions` field but the per-call ones). */
export interface RetryDefaults {
  operationName: string;
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: JitterStrategy;
  attemptTimeoutMs?: number;
  enableCircuitBreaker: boolean;
  circuitBreakerThreshold: number;
  circuitBreakerResetMs: number;
  circuitBreakerMaxResetMs: number;
  circuitBreakerHalfOpenCalls: number;
  isRetryable: (error: unknown) => boolean;
  retryBudget: false | RetryBudgetOptions;
  random: () => number;
}

/** Default values of `RetryOptions` (`breakerKey` defaults to the operation name). */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryDefaults> = {
  operationName: 'operation',
  maxRetries: 3,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  jitter: 'full',
  enableCircuitBreaker: true,
  circuitBreakerThreshold: defaultBreakerOptions.threshold,
  circuitBreakerResetMs: defaultBreakerOptions.resetMs,
  circuitBreakerMaxResetMs: defaultBreakerOptions.maxResetMs,
  circuitBreakerHalfOpenCalls: defaultBreakerOptions.halfOpenCalls,
  isRetryable: isTransientError,
  retryBudget: { ratio: 0.1, minRetriesPerSecond: 10, windowMs: 10_000 },
  random: Math.random,
};
