import { isTransientError } from './isTransientError';
import { MAX_CAUSE_DEPTH, nextCause } from './nextCause';

/**
 * Failures after which a non-idempotent write (INSERT without a unique key, `increment`,
 * Better-Auth's `consumeOne`) can be retried safely, because the database provably did not
 * apply it: the connection was never made, no pooled connection was handed out, or the
 * transaction was rolled back (serialization failure, deadlock). A reset or timeout *after*
 * the query was sent is ambiguous — it may have committed — so it is not in this list.
 * The database library's repositories retry their non-idempotent writes with exactly this.
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
  '55P03', // lock_not_available: the statement gave up waiting for its lock, rolled back
  '57014', // query_canceled (statement_timeout): the server stopped the statement, rolled back
]);

const NOT_APPLIED_KINDS: ReadonlySet<string> = new Set(['DatabaseNotReachable', 'TooManyConnections', 'TransactionWriteConflict']);

// pg's errors without a code for a connection that was never handed out: pg-pool's wait for a
// free pooled connection ran out, or a new connection did not open within the connect timeout.
const NOT_APPLIED_MESSAGE = /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)$/;

/**
 * `isRetryable` for non-idempotent writes: true only for transient errors that guarantee the
 * write was not applied. Use as `executeWithRetry(write, onError, { isRetryable: isSafeToRetryWrite })`.
 */
export function isSafeToRetryWrite(error: unknown): boolean {
  if (!isTransientError(error)) return false;
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current !== null && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; errorCode?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown };
    for (const code of [e.code, e.errorCode, e.originalCode]) if (typeof code === 'string' && NOT_APPLIED_CODES.has(code)) return true;
    if (typeof e.kind === 'string' && NOT_APPLIED_KINDS.has(e.kind)) return true;
    if (typeof e.message === 'string' && NOT_APPLIED_MESSAGE.test(e.message)) return true;
    current = nextCause(current);
  }
  return false;
}
