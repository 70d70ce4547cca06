/**
 * One attempt took longer than `attemptTimeoutMs`. The attempt's `signal` is aborted with this
 * error so the operation can stop; it is retryable (the default classifier says so).
 * Named `TimeoutError` like the DOM's, so code that checks `error.name` keeps working.
 */
export class AttemptTimeoutError extends Error {
  readonly code = 'ATTEMPT_TIMEOUT' as const;
  readonly timeoutMs: number;
  readonly operationName: string;

  constructor(operationName: string, timeoutMs: number) {
    super(`"${operationName}" attempt timed out after ${timeoutMs} ms`);
    this.name = 'TimeoutError';
    this.operationName = operationName;
    this.timeoutMs = timeoutMs;
  }
}

export function isAttemptTimeoutError(error: unknown): error is AttemptTimeoutError {
  return error instanceof AttemptTimeoutError;
}
