import { resetRetryBudgets } from '../budget/budgetRegistry';
import { CircuitOpenError, isCircuitOpenError } from '../errors/CircuitOpenError';
import { executeWithRetry } from '../retry/executeWithRetry';
import type { RetryOptions } from '../retry/RetryOptions';
import { errorWith, FakeMetricsCollector } from '../testing/FakeMetricsCollector';
import {
  configureCircuitBreakerRegistry,
  getCircuitBreaker,
  listCircuitBreakers,
  peekCircuitBreaker,
  resetCircuitBreakers,
} from './breakerRegistry';

const fail = async (): Promise<never> => {
  throw errorWith({ code: 'ECONNREFUSED' });
};
const ok = async (): Promise<string> => 'ok';
const opts = (extra: RetryOptions = {}): RetryOptions => ({
  operationName: 'db.user',
  maxRetries: 0,
  circuitBreakerThreshold: 3,
  circuitBreakerResetMs: 10_000,
  retryBudget: false,
  jitter: 'none',
  ...extra,
});
const outcome = (p: Promise<unknown>): Promise<unknown> => p.then((v) => v, (e: unknown) => e);
const stateOf = (key: string) => listCircuitBreakers().find((b) => b.key === key)?.state;

beforeEach(() => {
  jest.useFakeTimers();
  resetCircuitBreakers();
  resetRetryBudgets();
});
afterEach(() => {
  jest.useRealTimers();
  configureCircuitBreakerRegistry();
});

describe('circuit breaker (cockatiel ConsecutiveBreaker, shared by key)', () => {
  it('closed → open at the threshold → half-open after the reset time → closed on success', async () => {
    const metrics = new FakeMetricsCollector();
    for (let i = 0; i < 2; i++) await outcome(executeWithRetry(fail, undefined, opts(), metrics));
    expect(stateOf('db.user')).toBe('closed');
    await outcome(executeWithRetry(fail, undefined, opts(), metrics));
    expect(stateOf('db.user')).toBe('open');

    const fn = jest.fn(ok);
    jest.advanceTimersByTime(4_000);
    const rejected = await outcome(executeWithRetry(fn, undefined, opts(), metrics));
    expect(rejected).toBeInstanceOf(CircuitOpenError);
    expect(rejected).toMatchObject({ code: 'CIRCUIT_OPEN', breakerKey: 'db.user', retryAfterMs: 6_000, state: 'open' });
    expect(fn).not.toHaveBeenCalled();

    jest.advanceTimersByTime(6_000);
    let stateDuringProbe: string | undefined;
    await expect(
      executeWithRetry(
        async () => {
          stateDuringProbe = stateOf('db.user');
          return 'probe';
        },
        undefined,
        opts(),
        metrics,
      ),
    ).resolves.toBe('probe');
    expect(stateDuringProbe).toBe('half-open');
    expect(stateOf('db.user')).toBe('closed');
    expect(metrics.breakerStates.map((s) => s.state)).toEqual(['closed', 'open', 'half-open', 'closed']);
    expect(metrics.operations.filter((o) => o.errorCode === 'CIRCUIT_OPEN')).toHaveLength(1);
    expect(metrics.events['retry.circuit_open']).toBe(1);
  });

  it('half-open failure opens it again for another reset period', async () => {
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, opts()));
    jest.advanceTimersByTime(10_000);
    const probe = jest.fn(fail);
    await outcome(executeWithRetry(probe, undefined, opts()));
    expect(probe).toHaveBeenCalledTimes(1);
    expect(stateOf('db.user')).toBe('open');
    const error = await outcome(executeWithRetry(ok, undefined, opts()));
    expect(isCircuitOpenError(error)).toBe(true);
    expect((error as CircuitOpenError).retryAfterMs).toBe(10_000);
  });

  it('opens within one call that keeps retrying, and stops that call with CircuitOpenError carrying the last error', async () => {
    const fn = jest.fn(fail);
    const pending = outcome(executeWithRetry(fn, undefined, opts({ maxRetries: 10, baseDelayMs: 1 })));
    await jest.advanceTimersByTimeAsync(1_000);
    const error = await pending;
    expect(fn).toHaveBeenCalledTimes(3);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('shares state across calls with the same key (operationName or breakerKey)', async () => {
    await outcome(executeWithRetry(fail, undefined, opts({ operationName: 'a', breakerKey: 'pg' })));
    await outcome(executeWithRetry(fail, undefined, opts({ operationName: 'b', breakerKey: 'pg' })));
    await outcome(executeWithRetry(fail, undefined, opts({ operationName: 'c', breakerKey: 'pg' })));
    const error = await outcome(executeWithRetry(ok, undefined, opts({ operationName: 'd', breakerKey: 'pg' })));
    expect(error).toMatchObject({ code: 'CIRCUIT_OPEN', breakerKey: 'pg' });
  });

  it('keeps keys isolated: an open breaker on one key does not affect another', async () => {
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, opts({ operationName: 'redis' })));
    expect(stateOf('redis')).toBe('open');
    await expect(executeWithRetry(ok, undefined, opts({ operationName: 'postgres' }))).resolves.toBe('ok');
    expect(stateOf('postgres')).toBe('closed');
  });

  it('does not count non-retryable errors (the dependency answered) toward opening', async () => {
    const notFound = async (): Promise<never> => {
      throw errorWith({ code: 'P2025' });
    };
    for (let i = 0; i < 10; i++) await outcome(executeWithRetry(notFound, undefined, opts()));
    expect(stateOf('db.user')).toBe('closed');
  });

  it('a success resets the consecutive count', async () => {
    for (let round = 0; round < 3; round++) {
      await outcome(executeWithRetry(fail, undefined, opts()));
      await outcome(executeWithRetry(fail, undefined, opts()));
      await executeWithRetry(ok, undefined, opts());
    }
    expect(stateOf('db.user')).toBe('closed');
  });

  it('enableCircuitBreaker false never opens and registers nothing', async () => {
    const fn = jest.fn(fail);
    for (let i = 0; i < 10; i++) await outcome(executeWithRetry(fn, undefined, opts({ enableCircuitBreaker: false })));
    expect(fn).toHaveBeenCalledTimes(10);
    expect(listCircuitBreakers()).toEqual([]);
  });

  it('an isolated breaker rejects with state isolated and an infinite retryAfterMs until disposed', async () => {
    await executeWithRetry(ok, undefined, opts());
    const handle = peekCircuitBreaker('db.user')!.policy.isolate();
    const error = await outcome(executeWithRetry(ok, undefined, opts()));
    expect(error).toMatchObject({ code: 'CIRCUIT_OPEN', state: 'isolated', retryAfterMs: Number.POSITIVE_INFINITY });
    expect(stateOf('db.user')).toBe('isolated');
    handle.dispose();
    await expect(executeWithRetry(ok, undefined, opts())).resolves.toBe('ok');
  });

  it('keeps the first settings for a key and warns once when a caller asks for others', () => {
    const logger = { warn: jest.fn() };
    const first = getCircuitBreaker('k', 3, 1_000);
    expect(getCircuitBreaker('k', 9, 5_000, logger)).toBe(first);
    getCircuitBreaker('k', 9, 5_000, logger);
    expect(first.threshold).toBe(3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('the registry is bounded: least recently used breakers are evicted past the cap', async () => {
    configureCircuitBreakerRegistry({ maxBreakers: 100 });
    for (let i = 0; i < 5_000; i++) await executeWithRetry(ok, undefined, opts({ operationName: `op-${i}` }));
    const list = listCircuitBreakers();
    expect(list).toHaveLength(100);
    expect(list.map((b) => b.key)).toContain('op-4999');
    expect(list.map((b) => b.key)).not.toContain('op-0');
  });

  it('metrics and logger errors never fail the call', async () => {
    const metrics = new FakeMetricsCollector();
    metrics.recordCircuitBreakerState = () => {
      throw new Error('broken collector');
    };
    metrics.recordOperation = () => {
      throw new Error('broken collector');
    };
    const logger = {
      warn: () => {
        throw new Error('broken logger');
      },
    };
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, opts({ logger }), metrics));
    expect(stateOf('db.user')).toBe('open');
    jest.advanceTimersByTime(10_000);
    await expect(executeWithRetry(ok, undefined, opts(), metrics)).resolves.toBe('ok');
  });
});
