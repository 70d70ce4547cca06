import { CircuitOpenError, isSafeToRetryWrite, RetryExhaustedError } from '@libs/utils/src/executeWithRetry';
import { z } from 'zod';
import { isAmbiguousWriteError, isSerializationError } from '../postgress/repositories/retryClassification';
import { isRepositoryError } from './RepositoryError';
import { fieldsFromConstraint, toRepositoryError } from './toRepositoryError';

const adapterError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('db'), { name: 'PrismaClientKnownRequestError', code: 'P2039', meta: { driverAdapterError: { cause: { originalCode: code, code, kind: 'postgres', ...extra } } } });

describe('toRepositoryError', () => {
  it('names unique fields from the constraint', () => {
    expect(fieldsFromConstraint('User_email_key', 'User')).toEqual(['email']);
    expect(fieldsFromConstraint('RolePermission_roleId_permission_key', 'RolePermission')).toEqual(['roleId', 'permission']);
  });

  it('maps each family to its code and keeps the cause', () => {
    const zod = z.object({ a: z.string() }).safeParse({ a: 1 }).error;
    expect(toRepositoryError(zod, 'x.create')).toMatchObject({ code: 'VALIDATION', fields: ['a'], operation: 'x.create' });
    const open = new CircuitOpenError('db.x', 1_000);
    expect(toRepositoryError(open, 'x.read')).toMatchObject({ code: 'CIRCUIT_OPEN', retryAfterMs: 1_000, retryable: false, cause: open });
    expect(toRepositoryError(adapterError('57014'), 'x.read')).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(toRepositoryError(adapterError('57P01'), 'x.read')).toMatchObject({ code: 'TRANSIENT', retryable: true });
    expect(toRepositoryError(adapterError('57P01'), 'x.create', { ambiguous: true })).toMatchObject({ code: 'TRANSIENT', ambiguous: true, retryable: false });
    expect(toRepositoryError(adapterError('22P02'), 'x.read').code).toBe('VALIDATION');
    expect(toRepositoryError(new Error('???'), 'x.read').code).toBe('UNKNOWN');
    const mapped = toRepositoryError(adapterError('57P01'), 'x');
    expect(toRepositoryError(mapped, 'y')).toBe(mapped);
    expect(isRepositoryError(mapped, 'TRANSIENT')).toBe(true);
  });

  it('a failure that spent the repository’s retry schedule is transient but not retryable again', () => {
    const spent = toRepositoryError(new RetryExhaustedError('x.read', 4, adapterError('57P01')), 'x.read');
    expect(spent).toMatchObject({ code: 'TRANSIENT', attempts: 4, exhausted: true, retryable: false });
    expect(toRepositoryError(new RetryExhaustedError('x.read', 2, adapterError('57014')), 'x.read')).toMatchObject({ code: 'TIMEOUT', exhausted: true, retryable: false });
    // A single failed statement inside a transaction had no schedule of its own: the transaction may rerun.
    expect(toRepositoryError(adapterError('57P01'), 'x.read')).toMatchObject({ exhausted: false, retryable: true });
  });
});

describe('write retry classification', () => {
  it('tells writes that never landed from ambiguous ones', () => {
    expect(isSafeToRetryWrite(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isSafeToRetryWrite(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isSafeToRetryWrite(adapterError('40001'))).toBe(true);
    expect(isSerializationError(adapterError('40P01'))).toBe(true);
    expect(isAmbiguousWriteError(adapterError('57P01'))).toBe(true);
    expect(isAmbiguousWriteError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isAmbiguousWriteError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isAmbiguousWriteError(adapterError('23505'))).toBe(false);
  });
});
