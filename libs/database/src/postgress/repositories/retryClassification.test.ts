import { isSafeToRetryWrite } from '@libs/utils/src/executeWithRetry';
import { countsForBreaker, isPoolWaitTimeout, isTransientDatabaseError, repeatAfter } from './retryClassification';

const adapter = (originalCode: string) => Object.assign(new Error('adapter'), { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode } } } });

describe('retry classification of waits that ran out', () => {
  it.each([
    ['lock_timeout (55P03)', adapter('55P03')],
    ['statement_timeout (57014)', adapter('57014')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['Prisma pool timeout', Object.assign(new Error('pool'), { code: 'P2024' })],
  ])('%s: transient, not applied, and not repeated', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(isSafeToRetryWrite(error)).toBe(true);
    expect(repeatAfter(error)).toBe(false);
  });

  it.each([
    ['a refused connection', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })],
    ['a serialization failure', adapter('40001')],
    ['a backend killed by a restart', adapter('57P01')],
  ])('%s is repeated (the next attempt may well succeed)', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(repeatAfter(error)).toBe(true);
  });
});

describe('pool-wait timeouts are load, not an outage', () => {
  const poolWait = new Error('timeout exceeded when trying to connect');
  it.each([
    ['pg-pool: no pooled connection free in time', poolWait],
    ['the same under Prisma\'s adapter wrapper', Object.assign(new Error('adapter'), { code: 'P2010', meta: { driverAdapterError: { cause: poolWait } } })],
    ['the same on the cause chain', new Error('wrapped', { cause: poolWait })],
    ['Prisma pool timeout', Object.assign(new Error('pool'), { code: 'P2024' })],
  ])('%s: not counted by the breaker, still transient and not repeated', (_label, error) => {
    expect(isPoolWaitTimeout(error)).toBe(true);
    expect(countsForBreaker(error)).toBe(false);
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(repeatAfter(error)).toBe(false);
  });

  it.each([
    ['a new connection that did not open in time', new Error('Connection terminated due to connection timeout', { cause: new Error('timeout') })],
    ['a refused connection', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })],
    ['an unreachable database (P1001)', Object.assign(new Error('unreachable'), { code: 'P1001' })],
    ['a backend killed by a restart', adapter('57P01')],
    ['a statement timeout', adapter('57014')],
  ])('%s counts toward opening the breaker', (_label, error) => {
    expect(isPoolWaitTimeout(error)).toBe(false);
    expect(countsForBreaker(error)).toBe(true);
  });
});
