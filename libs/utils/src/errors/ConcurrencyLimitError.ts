/**
 * A WebSocket connection already runs `maxConcurrentOperations` operations. Rejected at once
 * rather than queued, so a stalled socket cannot pile up unbounded work; not retried.
 */
export class ConcurrencyLimitError extends Error {
  readonly code = 'CONCURRENCY_LIMIT' as const;
  readonly connectionId: string;
  readonly limit: number;

  constructor(connectionId: string, limit: number) {
    super(`connection already runs ${limit} operations`);
    this.name = 'ConcurrencyLimitError';
    this.connectionId = connectionId;
    this.limit = limit;
  }
}

export function isConcurrencyLimitError(error: unknown): error is ConcurrencyLimitError {
  return error instanceof ConcurrencyLimitError;
}
