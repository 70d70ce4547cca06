import { errorWith } from '../testing/errorWith';
import { isSafeToRetryWrite } from './isSafeToRetryWrite';

describe('isSafeToRetryWrite', () => {
  it.each(['ECONNREFUSED', 'P1001', 'P2024', 'P2034', '40001', '40P01', '57P03', '55P03', '57014'])('allows %s (the write was not applied)', (code) => {
    expect(isSafeToRetryWrite(errorWith({ code }))).toBe(true);
  });

  it.each(['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout'])('allows pg\'s "%s" (no connection was handed out)', (message) => {
    expect(isSafeToRetryWrite(new Error(message))).toBe(true);
    expect(isSafeToRetryWrite(new Error('wrapped', { cause: new Error(message) }))).toBe(true);
  });

  it('reads causes and adapter kinds', () => {
    expect(isSafeToRetryWrite(errorWith({ name: 'DriverAdapterError', cause: { kind: 'DatabaseNotReachable' } }))).toBe(true);
    expect(isSafeToRetryWrite(new Error('wrapped', { cause: errorWith({ code: '40001' }) }))).toBe(true);
    const adapter = errorWith({ name: 'DriverAdapterError', cause: { kind: 'postgres', code: '40P01', originalCode: '40P01' } });
    expect(isSafeToRetryWrite(errorWith({ code: 'P2039', meta: { driverAdapterError: adapter } }))).toBe(true);
  });

  it.each([
    ['a reset after sending', errorWith({ code: 'ECONNRESET' })],
    ['a timeout', errorWith({ code: 'ATTEMPT_TIMEOUT' })],
    ['a closed connection mid-query', errorWith({ code: 'P1017' })],
    ['Connection terminated', new Error('Connection terminated unexpectedly')],
    ['a unique violation', errorWith({ code: 'P2002' })],
  ])('refuses %s (ambiguous or permanent)', (_label, error) => {
    expect(isSafeToRetryWrite(error)).toBe(false);
  });
});
