/** Why the retry loop gave up on a retryable error. */
export type RetryExhaustedReason = 'max_retries' | 'budget' | 'deadline' | 'not_repeatable';

/**
 * Thrown when an operation kept failing with retryable errors and no further attempt is
 * allowed: `maxRetries` used up, the retry budget for its key spent, (WebSocket real-time
 * operations, token refresh) its deadline passed, or `isRepeatable` said another attempt would
 * fail the same way. `cause` is the last attempt's error.
 */
export class RetryExhaustedError extends Error {
  readonly code = 'RETRY_EXHAUSTED' as const;
  readonly attempts: number;
  readonly operationName: string;
  readonly reason: RetryExhaustedReason;

  constructor(operationName: string, attempts: number, cause: unknown, reason: RetryExhaustedReason = 'max_retries') {
    super(`"${operationName}" failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (${reason})`, { cause });
    this.name = 'RetryExhaustedError';
    this.operationName = operationName;
    this.attempts = attempts;
    this.reason = reason;
  }
}

export function isRetryExhaustedError(error: unknown): error is RetryExhaustedError {
  return error instanceof RetryExhaustedError;
}
