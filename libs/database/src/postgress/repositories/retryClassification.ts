import { isSafeToRetryWrite, isTransientError } from '@libs/utils/src/executeWithRetry';

// Serialization failure or deadlock: the whole transaction was rolled back.
const ROLLED_BACK_CODES = new Set(['P2034', '40001', '40P01']);
// The server answered with an error for this statement: it gave up on its lock (lock_timeout)
// or was cancelled (statement_timeout), and rolled back.
const CANCELLED_CODES = new Set(['55P03', '57014']);

const codeOf = (e: Record<string, unknown>): unknown => e['code'] ?? e['originalCode'];

function walk(error: unknown, test: (e: Record<string, unknown>) => boolean): boolean {
  let current = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const e = current as Record<string, unknown>;
    if (test(e)) return true;
    const adapter = (e['meta'] as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError?.cause;
    if (adapter && typeof adapter === 'object' && test(adapter as Record<string, unknown>)) return true;
    current = e['cause'];
  }
  return false;
}

/** Serialization failure or deadlock: the whole transaction was rolled back and may be rerun. */
export function isSerializationError(error: unknown): boolean {
  return walk(error, (e) => {
    const code = codeOf(e);
    return (typeof code === 'string' && ROLLED_BACK_CODES.has(code)) || e['kind'] === 'TransactionWriteConflict';
  });
}

/**
 * `isTransientError`, also looking inside Prisma's wrapper: Prisma 7 reports raw pg failures
 * (57P01 on a killed backend, 08006 …) as P2039/P2010 with the pg error under
 * `meta.driverAdapterError.cause`, which is not on the `cause` chain.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (isTransientError(error)) return true;
  const adapter = (error as { meta?: { driverAdapterError?: { cause?: unknown } } } | null)?.meta?.driverAdapterError?.cause;
  return adapter !== undefined && isTransientError(adapter);
}

// pg-pool's message when every pooled connection stayed busy for the whole connect timeout
// (the request waited in the pool's queue); Prisma's own pool says P2024. A new connection that
// could not be opened in time is pg's "Connection terminated due to connection timeout" instead.
const POOL_WAIT_CODES = new Set(['P2024']);
const POOL_WAIT_MESSAGE = 'timeout exceeded when trying to connect';
const CONNECT_TIMEOUT_MESSAGE = 'Connection terminated due to connection timeout';

const waitedForPool = (e: Record<string, unknown>): boolean => {
  const code = codeOf(e);
  return (typeof code === 'string' && POOL_WAIT_CODES.has(code)) || e['message'] === POOL_WAIT_MESSAGE;
};

/**
 * The attempt failed after waiting out one of the client's bounds: a lock timeout (55P03), a
 * statement timeout (57014), no pooled connection within the connect timeout, or a new
 * connection that did not open within it. Transient — it answers as an outage — but not worth
 * another attempt, which would wait on the same lock, run as long, or queue for the pool again
 * (`RetryOptions.isRepeatable`): without this, one request could wait (1 + maxRetries) × the bound.
 */
export function isSpentWait(error: unknown): boolean {
  return walk(error, (e) => {
    const code = codeOf(e);
    return (typeof code === 'string' && CANCELLED_CODES.has(code)) || waitedForPool(e) || e['message'] === CONNECT_TIMEOUT_MESSAGE;
  });
}

/**
 * No pooled connection was free within the connect timeout: the database answers, this process
 * has more requests than connections. Load, not an outage — the caller answers 503 (it is still
 * transient and not repeated), but the breaker does not count it, so a flood of requests cannot
 * open the breaker and turn every other caller away. A refused or timed-out *new* connection,
 * a terminated backend, a server error: all still count.
 */
export function isPoolWaitTimeout(error: unknown): boolean {
  return walk(error, waitedForPool);
}

/** `isBreakerFailure` of every repository call: a pool-wait timeout is load, not a failing database. */
export const countsForBreaker = (error: unknown): boolean => !isPoolWaitTimeout(error);

/** `isRepeatable` of every repository call: an attempt that waited out its bound is not made again. */
export const repeatAfter = (error: unknown): boolean => !isSpentWait(error);

/** Retry classifier for reads and idempotent writes. */
export const retryIdempotent = (error: unknown): boolean => isTransientDatabaseError(error);

/**
 * A transient failure of a write that may or may not have been applied. Non-idempotent writes
 * are retried with `isSafeToRetryWrite` of `@libs/utils` (the one rule for "provably not applied").
 */
export function isAmbiguousWriteError(error: unknown): boolean {
  return isTransientDatabaseError(error) && !isSafeToRetryWrite(error);
}

/**
 * pg's client and pool fail a connection with a plain `Error` and no `code`: logged as `UNKNOWN`,
 * a failover's dropped connections (HAProxy cutting connections to the old primary, a backend
 * terminated by the promotion, a connect that found no primary behind the write port) could not
 * be told apart from a bug. These codes name them; `connectionFailureCode` finds them.
 */
const CONNECTION_FAILURE_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/^Connection terminated due to connection timeout$/, 'PG_CONNECT_TIMEOUT'],
  [/^timeout exceeded when trying to connect$/, 'PG_POOL_WAIT_TIMEOUT'],
  [/^Connection terminated( unexpectedly)?$/, 'PG_CONNECTION_TERMINATED'],
  [/^Client has encountered a connection error and is not queryable$/, 'PG_CONNECTION_BROKEN'],
  [/^Query read timeout$/, 'PG_QUERY_READ_TIMEOUT'],
  [/terminating connection due to administrator command/, '57P01'],
  [/^(read )?ECONNRESET\b|socket hang up|Connection reset/, 'ECONNRESET'],
];

/** The code of a pg connection failure that carries none (on `error` or its cause chain), or undefined. */
export function connectionFailureCode(error: unknown): string | undefined {
  let code: string | undefined;
  walk(error, (e) => {
    const message = typeof e['message'] === 'string' ? e['message'] : typeof e['originalMessage'] === 'string' ? e['originalMessage'] : undefined;
    if (message === undefined) return false;
    code = CONNECTION_FAILURE_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
    return code !== undefined;
  });
  return code;
}

/**
 * Gives a code-less pg connection failure its `connectionFailureCode`, so the retry log and the
 * operation metrics name it (instead of `UNKNOWN`) and the classifiers above see a code.
 * Errors that already have a code are returned unchanged.
 */
export function withConnectionFailureCode(error: unknown): unknown {
  if (error === null || typeof error !== 'object' || typeof (error as { code?: unknown }).code === 'string') return error;
  const code = connectionFailureCode(error);
  if (code !== undefined) {
    try {
      Object.defineProperty(error, 'code', { value: code, enumerable: true, configurable: true, writable: true });
    } catch {
      // a frozen error keeps its shape
    }
  }
  return error;
}
