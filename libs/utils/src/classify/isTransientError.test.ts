import { errorWith } from '../testing/errorWith';
import { isRedisTransientError } from './isRedisTransientError';
import { isTransientError } from './isTransientError';

describe('isTransientError', () => {
  it.each(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034', 'P2037'])('retries Prisma %s', (code) => {
    expect(isTransientError(errorWith({ code }))).toBe(true);
  });

  it('reads Prisma initialization errors by errorCode', () => {
    expect(isTransientError(errorWith({ errorCode: 'P1001', name: 'PrismaClientInitializationError' }))).toBe(true);
  });

  it.each(['40001', '40P01', '57P01', '57P03', '08000', '08006', '08003', '53300', '55P03', '57014'])('retries pg SQLSTATE %s', (code) => {
    expect(isTransientError(errorWith({ code }))).toBe(true);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ATTEMPT_TIMEOUT'])('retries network code %s', (code) => {
    expect(isTransientError(errorWith({ code }))).toBe(true);
  });

  it.each([
    ['unique violation P2002', errorWith({ code: 'P2002' })],
    ['record not found P2025', errorWith({ code: 'P2025' })],
    ['foreign key P2003', errorWith({ code: 'P2003' })],
    ['pg unique 23505', errorWith({ code: '23505' })],
    ['pg syntax 42601', errorWith({ code: '42601' })],
    ['pg auth 28P01', errorWith({ code: '28P01' })],
    ['validation', Object.assign(new Error('bad'), { name: 'ZodError' })],
    ['HTTP 401', errorWith({ status: 401 })],
    ['plain Error', new Error('nope')],
    ['a string', 'ECONNRESET'],
    ['null', null],
    ['undefined', undefined],
    ['circuit open', errorWith({ code: 'CIRCUIT_OPEN' })],
    ['retry exhausted', errorWith({ code: 'RETRY_EXHAUSTED', cause: errorWith({ code: 'ECONNRESET' }) })],
  ])('does not retry %s', (_label, error) => {
    expect(isTransientError(error)).toBe(false);
  });

  it('looks through the cause chain (Prisma wrapping a pg error)', () => {
    const pg = errorWith({ code: '40P01' }, 'deadlock detected');
    const prisma = errorWith({ name: 'PrismaClientUnknownRequestError' }, 'wrapped');
    prisma.cause = pg;
    expect(isTransientError(prisma)).toBe(true);
  });

  it('reads Prisma 7 driver-adapter error kinds', () => {
    expect(isTransientError(errorWith({ name: 'DriverAdapterError', cause: { kind: 'ConnectionClosed' } }))).toBe(true);
    expect(isTransientError(errorWith({ name: 'DriverAdapterError', cause: { kind: 'postgres', code: '40001' } }))).toBe(true);
    expect(isTransientError(errorWith({ name: 'DriverAdapterError', cause: { kind: 'UniqueConstraintViolation' } }))).toBe(false);
  });

  it('looks into meta.driverAdapterError of Prisma 7 P2039/P2010 errors', () => {
    const adapterError = errorWith({ name: 'DriverAdapterError', cause: { kind: 'postgres', code: '57P01', originalCode: '57P01' } });
    expect(isTransientError(errorWith({ code: 'P2039', meta: { driverAdapterError: adapterError } }))).toBe(true);
    const closed = errorWith({ name: 'DriverAdapterError', cause: { kind: 'ConnectionClosed' } });
    expect(isTransientError(errorWith({ code: 'P2010', meta: { driverAdapterError: closed } }))).toBe(true);
    const unique = errorWith({ name: 'DriverAdapterError', cause: { kind: 'postgres', code: '23505', originalCode: '23505' } });
    expect(isTransientError(errorWith({ code: 'P2039', meta: { driverAdapterError: unique } }))).toBe(false);
    expect(isTransientError(errorWith({ code: 'P2039', meta: null }))).toBe(false);
  });

  it('reads originalCode of adapter payloads', () => {
    expect(isTransientError({ kind: 'GenericJs', originalCode: '08006' })).toBe(true);
  });

  it('recognises code-less pg and ioredis connection messages', () => {
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isTransientError(new Error('Connection is closed.'))).toBe(true);
    expect(isTransientError(Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
  });

  it('AggregateError is transient only when every inner error is', () => {
    expect(isTransientError(new AggregateError([errorWith({ code: 'ECONNREFUSED' }), errorWith({ code: 'ECONNREFUSED' })]))).toBe(true);
    expect(isTransientError(new AggregateError([errorWith({ code: 'ECONNREFUSED' }), new Error('other')]))).toBe(false);
  });

  it('honours an explicit retryable flag either way', () => {
    expect(isTransientError(errorWith({ retryable: true }))).toBe(true);
    expect(isTransientError(errorWith({ retryable: false, code: 'ECONNRESET' }))).toBe(false);
  });

  it('terminates on a cyclic cause chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isTransientError(a)).toBe(false);
  });
});

describe('isRedisTransientError', () => {
  it.each([
    'LOADING Redis is loading the dataset in memory',
    "READONLY You can't write against a read only replica.",
    'TRYAGAIN Multiple keys request during rehashing of slot',
    'CLUSTERDOWN The cluster is down',
    'MASTERDOWN Link with MASTER is down',
  ])('retries "%s"', (message) => {
    expect(isRedisTransientError(Object.assign(new Error(message), { name: 'ReplyError' }))).toBe(true);
  });

  it('retries connection errors', () => {
    expect(isRedisTransientError(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisTransientError(errorWith({ code: 'ECONNRESET' }))).toBe(true);
    expect(isRedisTransientError(Object.assign(new Error('Reached the max retries per request limit (which is 20).'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
  });

  it.each(['WRONGTYPE Operation against a key holding the wrong kind of value', 'NOAUTH Authentication required.', "ERR unknown command 'FOO'"])(
    'does not retry "%s"',
    (message) => {
      expect(isRedisTransientError(Object.assign(new Error(message), { name: 'ReplyError' }))).toBe(false);
    },
  );
});
