import { isCircuitOpenError, isRetryExhaustedError } from '@libs/utils/src/executeWithRetry';
import { isRepositoryError } from '../../errors/RepositoryError';
import { isTransientDatabaseError } from './retryClassification';

/**
 * True for errors that come from the database path (Prisma, pg, sockets, our retry family),
 * as opposed to errors thrown by a caller's own code inside a transaction callback.
 */
export function isDatabaseError(error: unknown): boolean {
  if (isRepositoryError(error) || isCircuitOpenError(error) || isRetryExhaustedError(error)) return true;
  if (error === null || typeof error !== 'object') return false;
  const e = error as { name?: unknown; code?: unknown; severity?: unknown; errno?: unknown };
  if (typeof e.name === 'string' && e.name.startsWith('PrismaClient')) return true;
  if (typeof e.code === 'string' && /^P\d{4}$/.test(e.code)) return true;
  if (typeof e.severity === 'string' || typeof e.errno === 'number') return true;
  // pg's own connection errors carry neither a code nor a severity: "Connection terminated
  // unexpectedly" from pool.connect() when Prisma starts a transaction while Postgres goes down.
  return isTransientDatabaseError(error);
}
