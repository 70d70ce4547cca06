import { isSafeToRetryWrite } from '@libs/utils/src/executeWithRetry';
import { connectionFailureCode, countsForBreaker, isPoolWaitTimeout, isTransientDatabaseError, repeatAfter, withConnectionFailureCode } from './retryClassification';

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

describe('code-less pg connection failures get a code (logged instead of UNKNOWN)', () => {
  it.each([
    ['a new connection that did not open in time (no primary behind the write port)', 'Connection terminated due to connection timeout', 'PG_CONNECT_TIMEOUT'],
    ['no pooled connection free in time', 'timeout exceeded when trying to connect', 'PG_POOL_WAIT_TIMEOUT'],
    ['HAProxy cutting the connection to a demoted primary', 'Connection terminated unexpectedly', 'PG_CONNECTION_TERMINATED'],
    ['a client whose connection already failed', 'Client has encountered a connection error and is not queryable', 'PG_CONNECTION_BROKEN'],
  ])('%s → %s', (_label, message, code) => {
    const error = withConnectionFailureCode(new Error(message)) as Error & { code?: string };
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    // The classification is the same as before the code was added.
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(isTransientDatabaseError(new Error(message))).toBe(true);
    expect(repeatAfter(error)).toBe(repeatAfter(new Error(message)));
    expect(isSafeToRetryWrite(error)).toBe(isSafeToRetryWrite(new Error(message)));
    expect(countsForBreaker(error)).toBe(countsForBreaker(new Error(message)));
  });

  it('finds the failure under Prisma\'s adapter wrapper and on the cause chain', () => {
    expect(connectionFailureCode(Object.assign(new Error('adapter'), { meta: { driverAdapterError: { cause: new Error('Connection terminated unexpectedly') } } }))).toBe('PG_CONNECTION_TERMINATED');
    expect(connectionFailureCode(new Error('wrapped', { cause: new Error('Connection terminated due to connection timeout') }))).toBe('PG_CONNECT_TIMEOUT');
  });

  it('leaves errors with a code, and errors it does not know, as they are', () => {
    const coded = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'P2010' });
    expect((withConnectionFailureCode(coded) as { code: string }).code).toBe('P2010');
    const other = new Error('something else');
    expect((withConnectionFailureCode(other) as { code?: string }).code).toBeUndefined();
    expect(connectionFailureCode('a string')).toBeUndefined();
  });
});
