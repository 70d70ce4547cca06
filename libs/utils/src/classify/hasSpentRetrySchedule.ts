import { MAX_CAUSE_DEPTH, nextCause } from './nextCause';

// Codes of our own errors that end a retry schedule: retries ran out, or a breaker refused.
const SPENT_CODES: ReadonlySet<unknown> = new Set(['RETRY_EXHAUSTED', 'CIRCUIT_OPEN']);

/**
 * True when `error` — or an error it wraps (`cause`) — already went through a retry schedule:
 * an inner `executeWithRetry` ran out of retries (`RetryExhaustedError`) or was refused by its
 * breaker (`CircuitOpenError`), even after a wrapper such as a repository's `RepositoryError`
 * mapped it. The retry loop never retries such an error, whatever its classifier says, so
 * nested retry layers cost one schedule, not the product of theirs.
 */
export function hasSpentRetrySchedule(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current !== null && typeof current === 'object'; depth++) {
    if (SPENT_CODES.has((current as { code?: unknown }).code)) return true;
    current = nextCause(current);
  }
  return false;
}
