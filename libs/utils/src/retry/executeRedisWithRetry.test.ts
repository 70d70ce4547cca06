import { listCircuitBreakers, resetCircuitBreakers, resetRetryBudgets } from '../registry/defaultRegistry';
import { errorWith } from '../testing/errorWith';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { DEFAULT_REDIS_RETRY_OPTIONS, executeRedisWithRetry } from './executeRedisWithRetry';

class FakeRedis {
  store = new Map<string, string>();
  failures: Error[] = [];
  hang = false;
  calls = 0;
  async get(key: string): Promise<string | null> {
    this.calls++;
    if (this.hang) return new Promise(() => undefined);
    const failure = this.failures.shift();
    if (failure) throw failure;
    return this.store.get(key) ?? null;
  }
}

const outcome = (p: Promise<unknown>): Promise<unknown> => p.then((v) => v, (e: unknown) => e);

beforeEach(() => {
  jest.useFakeTimers();
  resetCircuitBreakers();
  resetRetryBudgets();
});
afterEach(() => jest.useRealTimers());

describe('executeRedisWithRetry', () => {
  it('passes the client to fn and returns its value', async () => {
    const redis = new FakeRedis();
    redis.store.set('k', '{"a":1}');
    const value = await executeRedisWithRetry(redis, async (r) => JSON.parse((await r.get('k')) ?? 'null') as unknown);
    expect(value).toEqual({ a: 1 });
  });

  it('has Redis-tuned defaults: breaker on, 2 retries, 20/200 ms delays, 500 ms attempt timeout', () => {
    expect(DEFAULT_REDIS_RETRY_OPTIONS).toMatchObject({
      operationName: 'redis',
      enableCircuitBreaker: true,
      maxRetries: 2,
      baseDelayMs: 20,
      maxDelayMs: 200,
      attemptTimeoutMs: 500,
    });
  });

  it('retries LOADING and connection errors at most twice by default', async () => {
    const redis = new FakeRedis();
    redis.failures = [new Error('LOADING Redis is loading the dataset in memory'), new Error('Connection is closed.'), new Error('Connection is closed.')];
    const onError = jest.fn();
    const pending = outcome(executeRedisWithRetry(redis, (r) => r.get('k'), onError));
    await jest.advanceTimersByTimeAsync(2_000);
    expect(await pending).toMatchObject({ code: 'RETRY_EXHAUSTED', attempts: 3 });
    expect(redis.calls).toBe(3);
    expect(onError).toHaveBeenCalledTimes(3);
  });

  it('does not retry WRONGTYPE', async () => {
    const redis = new FakeRedis();
    const wrongType = errorWith({ name: 'ReplyError' }, 'WRONGTYPE Operation against a key holding the wrong kind of value');
    redis.failures = [wrongType];
    await expect(executeRedisWithRetry(redis, (r) => r.get('k'))).rejects.toBe(wrongType);
    expect(redis.calls).toBe(1);
  });

  it('times out a hung command after 500 ms per attempt', async () => {
    const redis = new FakeRedis();
    redis.hang = true;
    const pending = outcome(executeRedisWithRetry(redis, (r) => r.get('k')));
    await jest.advanceTimersByTimeAsync(499);
    expect(redis.calls).toBe(1);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(await pending).toMatchObject({ code: 'RETRY_EXHAUSTED', attempts: 3, cause: { code: 'ATTEMPT_TIMEOUT' } });
  });

  it('uses operationName as the breaker key and reports its state to metrics', async () => {
    const metrics = new FakeMetricsCollector();
    const redis = new FakeRedis();
    redis.failures = Array.from({ length: 5 }, () => errorWith({ code: 'ECONNREFUSED' }));
    for (let i = 0; i < 5; i++) await outcome(executeRedisWithRetry(redis, (r) => r.get('k'), undefined, { operationName: 'redis_get', maxRetries: 0 }, metrics));
    expect(listCircuitBreakers()).toEqual([{ key: 'redis_get', state: 'open' }]);
    expect(await outcome(executeRedisWithRetry(redis, (r) => r.get('k'), undefined, { operationName: 'redis_get' }, metrics))).toMatchObject({
      code: 'CIRCUIT_OPEN',
    });
    expect(metrics.breakerStates).toEqual([
      { breaker: 'redis_get', state: 'closed' },
      { breaker: 'redis_get', state: 'open' },
    ]);
  });
});
