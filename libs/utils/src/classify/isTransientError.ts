/**
 * The default retryability classifier. Retrying is only safe and useful for failures that say
 * "try again later": the dependency was unreachable, the connection dropped, a lock or
 * serialization conflict aborted the transaction, a pool was exhausted. Everything else —
 * validation, not found, unique/foreign-key conflicts, authentication — would fail the same way
 * again, so it is not retried.
 */
import { MAX_CAUSE_DEPTH, nextCause } from './nextCause';

/** Prisma codes that mean "the database was unreachable or contended", not "your query is wrong". */
export const TRANSIENT_PRISMA_CODES: ReadonlySet<string> = new Set([
  'P1001', // can't reach database server
  'P1002', // database server reached but timed out
  'P1008', // operations timed out
  'P1017', // server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error (e.g. transaction expired/closed by timeout)
  'P2034', // write conflict or deadlock, retry the transaction
  'P2037', // too many database connections opened
]);

/** Postgres SQLSTATEs that are safe to retry (class 08 is matched by prefix). */
export const TRANSIENT_PG_CODES: ReadonlySet<string> = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '57P01', // admin_shutdown (server restarting)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
  '55P03', // lock_not_available: lock_timeout ran out waiting on a lock (the statement rolled back)
  '57014', // query_canceled: statement_timeout (or a cancel request) stopped it (rolled back)
]);

/** Node/libuv socket errors. */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ATTEMPT_TIMEOUT',
]);

/** Prisma 7 driver-adapter error kinds that are transient. */
const TRANSIENT_ADAPTER_KINDS: ReadonlySet<string> = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'TransactionWriteConflict',
  'TooManyConnections',
  'SocketTimeout',
]);

// Messages of errors that carry no code: pg's pool/client and ioredis connection errors.
const TRANSIENT_MESSAGE =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|Connection is closed\.?|Stream isn't writeable.*|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Reached the max retries per request limit.*|Query read timeout)$/;

const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set(['MaxRetriesPerRequestError', 'TimeoutError']);


/** True when `error` (or an error in its `cause` chain) is a transient failure worth retrying. */
export function isTransientError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current !== null && typeof current === 'object'; depth++) {
    const verdict = classifyOne(current as Record<string, unknown>);
    if (verdict !== undefined) return verdict;
    current = nextCause(current);
  }
  return false;
}

function isTransientCode(code: string): boolean {
  if (TRANSIENT_PRISMA_CODES.has(code) || TRANSIENT_PG_CODES.has(code) || TRANSIENT_NETWORK_CODES.has(code)) return true;
  return code.length === 5 && code.startsWith('08'); // pg connection_exception class
}

/** true / false when this error decides it; undefined to look at its cause. */
function classifyOne(error: Record<string, unknown>): boolean | undefined {
  // An explicit flag wins, so callers can mark their own errors either way.
  if (typeof error.retryable === 'boolean') return error.retryable;
  const code = typeof error.code === 'string' ? error.code : typeof error.errorCode === 'string' ? error.errorCode : undefined;
  // Prisma adapter payloads keep the database's own code as `originalCode`.
  if (typeof error.originalCode === 'string' && isTransientCode(error.originalCode)) return true;
  if (code !== undefined) {
    if (isTransientCode(code)) return true;
    // Our own typed errors that must never be retried by an outer loop.
    if (code === 'CIRCUIT_OPEN' || code === 'RETRY_EXHAUSTED' || code === 'RETRY_ABORTED' || code === 'CONCURRENCY_LIMIT') return false;
  }
  if (typeof error.kind === 'string' && TRANSIENT_ADAPTER_KINDS.has(error.kind)) return true;
  if (typeof error.name === 'string' && TRANSIENT_ERROR_NAMES.has(error.name)) return true;
  if (typeof error.message === 'string' && TRANSIENT_MESSAGE.test(error.message)) return true;
  // AggregateError (e.g. happy-eyeballs connect to both ::1 and 127.0.0.1): transient if all are.
  if (Array.isArray(error.errors) && error.errors.length > 0) return error.errors.every((e) => isTransientError(e));
  return undefined;
}
