/**
 * The caller's `AbortSignal` fired before the operation settled (during an attempt or while
 * waiting to retry). `cause` is the signal's reason. Never retried.
 */
export class RetryAbortedError extends Error {
  readonly code = 'RETRY_ABORTED' as const;
  readonly operationName: string;

  constructor(operationName: string, cause: unknown) {
    super(`"${operationName}" was aborted`, { cause });
    this.name = 'RetryAbortedError';
    this.operationName = operationName;
  }
}

export function isRetryAbortedError(error: unknown): error is RetryAbortedError {
  return error instanceof RetryAbortedError;
}
