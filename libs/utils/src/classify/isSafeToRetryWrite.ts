import { isTransientError } from './isTransientError';

/**
 * Failures after which a non-idempotent write (INSERT without a unique key, `increment`,
 * Better-Auth's `consumeOne`) can be retried safely, because the database provably did not
 * apply it: the connection was never made, no pooled connection was handed out, or the
 * transaction was rolled back (serialization failure, deadlock). A reset or timeout *after*
 * the query was sent is ambiguous — it may have committed — so it is not in this list.
 */
const NOT_APPLIED_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'P1001', // can't reach database server
  'P2024', // no connection from the pool
  'P2034', // write conflict / deadlock: rolled back
  'P2037', // too many connections (refused at connect)
  '40001', // serialization_failure: rolled back
  '40P01', // deadlock_detected: rolled back
  '57P03', // cannot_connect_now
  '53300', // too_many_connections (at connect)
]);

const NOT_APPLIED_KINDS: ReadonlySet<string> = new Set(['DatabaseNotReachable', 'TooManyConnections', 'TransactionWriteConflict']);

const MAX_CAUSE_DEPTH = 5;

/**
 * `isRetryable` for non-idempotent writes: true only for transient errors that guarantee the
 * write was not applied. Use as `executeWithRetry(write, onError, { isRetryable: isSafeToRetryWrite })`.
 */
export function isSafeToRetryWrite(error: unknown): boolean {
  if (!isTransientError(error)) return false;
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current !== null && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; errorCode?: unknown; kind?: unknown; cause?: unknown };
    const code = typeof e.code === 'string' ? e.code : typeof e.errorCode === 'string' ? e.errorCode : undefined;
    if (code !== undefined && NOT_APPLIED_CODES.has(code)) return true;
    if (typeof e.kind === 'string' && NOT_APPLIED_KINDS.has(e.kind)) return true;
    current = e.cause;
  }
  return false;
}
