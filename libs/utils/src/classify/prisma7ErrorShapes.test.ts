import { resetCircuitBreakers, resetRetryBudgets } from '../registry/defaultRegistry';
import { executeWithRetry } from '../retry/executeWithRetry';
import { prisma7Error, type Prisma7ErrorName } from '../testing/prisma7Errors';
import { isSafeToRetryWrite } from './isSafeToRetryWrite';
import { isTransientError } from './isTransientError';

/**
 * The classifiers against errors captured from Prisma 7 + adapter-pg on a real Postgres
 * (see testing/prisma7Errors.ts). Prisma 7 reports a killed backend (pg 57P01) as P2039 — P2010
 * for raw queries — and keeps the pg error in `meta.driverAdapterError.cause`, which is not on
 * the `cause` chain: the classifiers must look there.
 */
describe('classifiers on real Prisma 7 errors', () => {
  it('the captured P2039 really hides the pg code off the cause chain', () => {
    const error = prisma7Error('killedBackendCount') as Error & { code: string; meta: { driverAdapterError: { cause: { code: string } } } };
    expect(error.name).toBe('PrismaClientKnownRequestError');
    expect(error.code).toBe('P2039');
    expect(error.cause).toBeUndefined();
    expect(error.meta.driverAdapterError.cause.code).toBe('57P01');
    expect(error.meta.driverAdapterError).toBeInstanceOf(Error);
    expect((error.meta.driverAdapterError as unknown as Error).name).toBe('DriverAdapterError');
  });

  // [captured error, transient (retry reads/idempotent writes), provably not applied (retry any write)]
  it.each<[Prisma7ErrorName, boolean, boolean]>([
    ['killedBackendCount', true, false], // P2039 / 57P01 FATAL, model query
    ['killedBackendCreate', true, false], // the same on a write: it may have committed
    ['killedBackendRaw', true, false], // P2010 / 57P01, raw query
    ['serializationFailureCreate', true, true], // P2034 / TransactionWriteConflict (40001): rolled back
    ['unreachableCount', true, true], // P1001 / DatabaseNotReachable
    ['unreachableRaw', true, true], // P2010 / DatabaseNotReachable (originalCode N/A)
    ['backendSigkilledCount', true, false], // plain Error "Connection terminated unexpectedly"
    ['serverStoppedLockerQuery', true, false], // plain Error "… not queryable"
    ['uniqueViolationCreate', false, false], // P2002 / 23505
  ])('%s: transient %s, safe to retry a write %s', (name, transient, notApplied) => {
    expect(isTransientError(prisma7Error(name))).toBe(transient);
    expect(isSafeToRetryWrite(prisma7Error(name))).toBe(notApplied);
  });

  it('P2039 / P2010 with a pg code that is not transient is not retried', () => {
    for (const name of ['killedBackendCount', 'killedBackendRaw'] as const) {
      const error = prisma7Error(name) as Error & { meta: { driverAdapterError: { cause: Record<string, unknown> } } };
      Object.assign(error.meta.driverAdapterError.cause, { code: '22012', originalCode: '22012', severity: 'ERROR', message: 'division by zero' });
      expect(isTransientError(error)).toBe(false);
    }
  });

  it('still looks inside when the Prisma error is itself the cause of a wrapper (e.g. a repository error)', () => {
    const wrapper = new Error('user.count failed', { cause: prisma7Error('killedBackendCount') });
    expect(isTransientError(wrapper)).toBe(true);
    expect(isTransientError(new Error('user.create failed', { cause: prisma7Error('uniqueViolationCreate') }))).toBe(false);
  });

  describe('executeWithRetry', () => {
    beforeEach(() => {
      resetCircuitBreakers();
      resetRetryBudgets();
    });

    it('retries a read that hit a killed backend and returns the next attempt’s value', async () => {
      let calls = 0;
      const fn = async (): Promise<number> => {
        if (++calls === 1) throw prisma7Error('killedBackendCount');
        return 42;
      };
      await expect(executeWithRetry(fn, undefined, { operationName: 'p2039', baseDelayMs: 0, retryBudget: false })).resolves.toBe(42);
      expect(calls).toBe(2);
    });

    it('with isSafeToRetryWrite, does not resend a create whose backend was killed mid-write', async () => {
      const error = prisma7Error('killedBackendCreate');
      const fn = jest.fn(async () => {
        throw error;
      });
      await expect(executeWithRetry(fn, undefined, { operationName: 'p2039w', isRetryable: isSafeToRetryWrite, baseDelayMs: 0 })).rejects.toBe(error);
      expect(fn).toHaveBeenCalledTimes(1);
    });
  });
});
