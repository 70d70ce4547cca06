import { isCircuitOpenError, isRetryExhaustedError } from '@libs/utils/src/executeWithRetry';
import { ZodError } from 'zod';
import { isTransientDatabaseError } from '../postgress/repositories/retryClassification';
import { RepositoryError, type RepositoryErrorCode } from './RepositoryError';

interface PrismaLikeError {
  name?: string;
  code?: string;
  meta?: { target?: unknown; modelName?: string; driverAdapterError?: { cause?: { originalCode?: string; kind?: string; constraint?: { index?: string; fields?: string[] }; table?: string } } };
}

const VALIDATION_PRISMA_CODES = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2013', 'P2019', 'P2020', 'P2023']);
const TIMEOUT_CODES = new Set(['P1008', 'P2024', 'ATTEMPT_TIMEOUT', '57014', '55P03', 'TIMEOUT']);

function adapterCause(error: PrismaLikeError) {
  return error.meta?.driverAdapterError?.cause;
}

/** `User_email_key` → ['email']; `RolePermission_roleId_permission_key` → ['roleId', 'permission']. */
export function fieldsFromConstraint(constraint: string | undefined, table: string | undefined): string[] | undefined {
  if (!constraint) return undefined;
  let name = constraint;
  if (table && name.startsWith(`${table}_`)) name = name.slice(table.length + 1);
  name = name.replace(/_(key|fkey|pkey)$/, '');
  return name.split('_').filter(Boolean);
}

function codeOf(error: unknown): string | undefined {
  const e = error as PrismaLikeError | undefined;
  return adapterCause(e ?? {})?.originalCode ?? (typeof e?.code === 'string' ? e.code : undefined);
}

function isTimeout(error: unknown): boolean {
  const code = codeOf(error);
  const prismaCode = (error as PrismaLikeError | undefined)?.code;
  return (code !== undefined && TIMEOUT_CODES.has(code)) || (prismaCode !== undefined && TIMEOUT_CODES.has(prismaCode));
}

/**
 * Maps anything a repository call can throw to a `RepositoryError` with a stable code,
 * keeping the original as `cause`. `ambiguous` marks a write that may have been applied.
 */
export function toRepositoryError(error: unknown, operation: string, options: { ambiguous?: boolean } = {}): RepositoryError {
  if (error instanceof RepositoryError) return error;
  const make = (code: RepositoryErrorCode, message: string, extra: Partial<ConstructorParameters<typeof RepositoryError>[2]> = {}) =>
    new RepositoryError(code, `${operation}: ${message}`, { operation, cause: error, ...extra });

  if (error instanceof ZodError) {
    const fields = [...new Set(error.issues.map((i) => i.path.join('.')).filter(Boolean))];
    return make('VALIDATION', `invalid input (${fields.join(', ') || 'root'})`, { fields });
  }
  if (isCircuitOpenError(error)) {
    return make('CIRCUIT_OPEN', `circuit open, retry in ${Math.round(error.retryAfterMs)} ms`, { retryAfterMs: error.retryAfterMs });
  }
  if (isRetryExhaustedError(error)) {
    const last = error.cause;
    return make(isTimeout(last) ? 'TIMEOUT' : 'TRANSIENT', `gave up after ${error.attempts} attempts`, {
      attempts: error.attempts,
      ambiguous: options.ambiguous,
      exhausted: true,
    });
  }
  const prisma = error as PrismaLikeError;
  const cause = adapterCause(prisma);
  switch (prisma.code) {
    case 'P2002': {
      const target = Array.isArray(prisma.meta?.target) ? (prisma.meta?.target as string[]) : undefined;
      const constraint = cause?.constraint?.index;
      const fields = cause?.constraint?.fields ?? target ?? fieldsFromConstraint(constraint, cause?.table ?? prisma.meta?.modelName);
      return make('UNIQUE_VIOLATION', `unique constraint violated on ${fields?.join(', ') ?? 'unknown field'}`, { fields, constraint });
    }
    case 'P2003': {
      const constraint = cause?.constraint?.index;
      return make('FOREIGN_KEY', 'foreign key constraint violated', { constraint, fields: fieldsFromConstraint(constraint, prisma.meta?.modelName) });
    }
    case 'P2025':
    case 'P2001':
    case 'P2015':
    case 'P2018':
      return make('NOT_FOUND', 'record not found');
  }
  if (prisma.name === 'PrismaClientValidationError' || (prisma.code && VALIDATION_PRISMA_CODES.has(prisma.code))) {
    return make('VALIDATION', 'the database rejected the input');
  }
  const pgCode = codeOf(error);
  if (pgCode === '23505') return make('UNIQUE_VIOLATION', 'unique constraint violated', { constraint: cause?.constraint?.index });
  if (pgCode === '23503') return make('FOREIGN_KEY', 'foreign key constraint violated', { constraint: cause?.constraint?.index });
  if (pgCode?.startsWith('22') || pgCode === '23502' || pgCode === '23514') return make('VALIDATION', `the database rejected the input (${pgCode})`);
  if (isTimeout(error)) return make('TIMEOUT', 'timed out', { ambiguous: options.ambiguous });
  if (isTransientDatabaseError(error)) return make('TRANSIENT', 'database unavailable', { ambiguous: options.ambiguous });
  return make('UNKNOWN', 'unexpected database error');
}
