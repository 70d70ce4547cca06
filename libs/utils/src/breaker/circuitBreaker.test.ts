import { configureCircuitBreakerRegistry, getCircuitBreaker, listCircuitBreakers, peekCircuitBreaker, resetCircuitBreakers, resetRetryBudgets } from '../registry/defaultRegistry';
import { CircuitOpenError, isCircuitOpenError } from '../errors/CircuitOpenError';
import { executeWithRetry } from '../retry/executeWithRetry';
import type { RetryOptions } from '../retry/RetryOptions';
import { errorWith } from '../testing/errorWith';
import { FakeMetricsCollector } from '@libs/monitoring/testing';

const fail = async (): Promise<never> => {
  throw errorWith({ code: 'ECONNREFUSED' });
};
const ok = async (): Promise<string> => 'ok';
const opts = (extra: RetryOptions = {}): RetryOptions => ({
  operationName: 'db.user',
  maxRetries: 0,
  circuitBreakerThreshold: 3,
  circuitBreakerResetMs: 10_000,
  circuitBreakerMaxResetMs: 40_000,
  circuitBreakerHalfOpenCalls: 1,
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

  it('half-open failure opens it again for twice the wait, up to the maximum; closing starts over', async () => {
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, opts()));
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const error = await outcome(executeWithRetry(ok, undefined, opts()));
      expect(isCircuitOpenError(error)).toBe(true);
      waits.push((error as CircuitOpenError).retryAfterMs);
      jest.advanceTimersByTime((error as CircuitOpenError).retryAfterMs);
      const probe = jest.fn(fail);
      await outcome(executeWithRetry(probe, undefined, opts()));
      expect(probe).toHaveBeenCalledTimes(1);
      expect(stateOf('db.user')).toBe('open');
    }
    expect(waits).toEqual([10_000, 20_000, 40_000, 40_000]);
    jest.advanceTimersByTime(40_000);
    await expect(executeWithRetry(ok, undefined, opts())).resolves.toBe('ok');
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, opts()));
    expect(await outcome(executeWithRetry(ok, undefined, opts()))).toMatchObject({ retryAfterMs: 10_000 });
  });

  it('lets several half-open trials through at once and closes once all succeed; callers beyond them wait for the verdict', async () => {
    const three = opts({ circuitBreakerHalfOpenCalls: 3 });
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, three));
    jest.advanceTimersByTime(10_000);
    const gate: Array<() => void> = [];
    let running = 0;
    let maxRunning = 0;
    const slowOk = () =>
      new Promise<string>((resolve) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        gate.push(() => {
          running--;
          resolve('ok');
        });
      });
    const calls = Array.from({ length: 5 }, () => executeWithRetry(slowOk, undefined, three));
    await jest.advanceTimersByTimeAsync(0);
    expect(running).toBe(3);
    expect(stateOf('db.user')).toBe('half-open');
    gate.splice(0).forEach((release) => release());
    await jest.advanceTimersByTimeAsync(0);
    expect(stateOf('db.user')).toBe('closed');
    // The two that waited now run on the closed breaker.
    gate.splice(0).forEach((release) => release());
    await expect(Promise.all(calls)).resolves.toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(maxRunning).toBe(3);
  });

  it('one failed trial reopens it; the other trials in flight do not decide', async () => {
    const three = opts({ circuitBreakerHalfOpenCalls: 3 });
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, three));
    jest.advanceTimersByTime(10_000);
    const outcomes = await Promise.all([outcome(executeWithRetry(fail, undefined, three)), outcome(executeWithRetry(ok, undefined, three))]);
    expect(outcomes[1]).toBe('ok');
    expect(stateOf('db.user')).toBe('open');
  });

  it('probe() ends the wait of an open breaker: its next calls are trials', async () => {
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, opts()));
    const breaker = peekCircuitBreaker('db.user')!;
    expect(breaker.state).toBe('open');
    expect(breaker.probe()).toBe(true);
    expect(breaker.probe()).toBe(false);
    expect(breaker.state).toBe('half-open');
    expect(breaker.retryAfterMs()).toBe(0);
    await expect(executeWithRetry(ok, undefined, opts())).resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(breaker.probe()).toBe(false);
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
    const first = getCircuitBreaker('k', { threshold: 3, resetMs: 1_000 });
    expect(getCircuitBreaker('k', { threshold: 9, resetMs: 5_000 }, logger)).toBe(first);
    getCircuitBreaker('k', { threshold: 9, resetMs: 5_000 }, logger);
    expect(first.threshold).toBe(3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('the registry is bounded: least recently used closed breakers are evicted past the cap', async () => {
    configureCircuitBreakerRegistry({ maxBreakers: 100 });
    for (let i = 0; i < 5_000; i++) await executeWithRetry(ok, undefined, opts({ operationName: `op-${i}` }));
    const list = listCircuitBreakers();
    expect(list).toHaveLength(100);
    expect(list.map((b) => b.key)).toContain('op-4999');
    expect(list.map((b) => b.key)).not.toContain('op-0');
  });

  it('never evicts an open breaker: it stays open past the cap and closes only through its trials', async () => {
    configureCircuitBreakerRegistry({ maxBreakers: 10 });
    for (let i = 0; i < 3; i++) await outcome(executeWithRetry(fail, undefined, opts({ operationName: 'pg' })));
    for (let i = 0; i < 100; i++) await executeWithRetry(ok, undefined, opts({ operationName: `op-${i}` }));
    expect(stateOf('pg')).toBe('open');
    const fn = jest.fn(ok);
    expect(await outcome(executeWithRetry(fn, undefined, opts({ operationName: 'pg' })))).toBeInstanceOf(CircuitOpenError);
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(10_000);
    await expect(executeWithRetry(fn, undefined, opts({ operationName: 'pg' }))).resolves.toBe('ok');
    // Closed again, it is an ordinary LRU entry once more.
    for (let i = 100; i < 120; i++) await executeWithRetry(ok, undefined, opts({ operationName: `op-${i}` }));
    expect(stateOf('pg')).toBeUndefined();
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
