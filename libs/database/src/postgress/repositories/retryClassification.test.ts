import { isNotAppliedError, isTransientDatabaseError, repeatAfter } from './retryClassification';

const adapter = (originalCode: string) => Object.assign(new Error('adapter'), { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode } } } });

describe('retry classification of waits that ran out', () => {
  it.each([
    ['lock_timeout (55P03)', adapter('55P03')],
    ['statement_timeout (57014)', adapter('57014')],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
    ['Prisma pool timeout', Object.assign(new Error('pool'), { code: 'P2024' })],
  ])('%s: transient (an outage, counted by the breaker), not applied, and not repeated', (_label, error) => {
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(isNotAppliedError(error)).toBe(true);
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
