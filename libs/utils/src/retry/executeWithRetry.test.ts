import { isRetryExhaustedError, RetryExhaustedError } from '../errors/RetryExhaustedError';
import { errorWith } from '../testing/errorWith';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { noJitter, settle, transient, useFakeRetryTime } from '../testing/retryTestKit';
import { ResilienceRegistry } from '../registry/ResilienceRegistry';
import { executeWithRetry } from './executeWithRetry';

useFakeRetryTime();

describe('executeWithRetry', () => {
  it('returns the value after one attempt and records it', async () => {
    const metrics = new FakeMetricsCollector();
    const fn = jest.fn(async ({ attempt }: { attempt: number }) => `ok ${attempt}`);
    await expect(executeWithRetry(fn, undefined, { operationName: 'op' }, metrics)).resolves.toBe('ok 1');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(metrics.operations).toEqual([{ operation: 'op', durationMs: expect.any(Number), success: true, errorCode: undefined }]);
  });

  it('retries transient errors, calls onError per failed attempt and records every attempt', async () => {
    const metrics = new FakeMetricsCollector();
    const onError = jest.fn();
    let calls = 0;
    const result = settle(
      executeWithRetry(
        async () => {
          calls++;
          if (calls < 3) throw transient();
          return 'done';
        },
        onError,
        { operationName: 'flaky', ...noJitter },
        metrics,
      ),
    );
    expect((await result).value).toBe('done');
    expect(calls).toBe(3);
    expect(onError.mock.calls.map(([, attempt]) => attempt)).toEqual([1, 2]);
    expect(metrics.operations.map((o) => [o.success, o.errorCode])).toEqual([
      [false, 'ECONNRESET'],
      [false, 'ECONNRESET'],
      [true, undefined],
    ]);
    expect(metrics.events['retry.retries']).toBe(2);
  });

  it('respects maxRetries and throws RetryExhaustedError with attempts and the last cause', async () => {
    let calls = 0;
    const last = { error: undefined as unknown };
    const { error } = await settle(
      executeWithRetry(
        async () => {
          calls++;
          last.error = transient();
          throw last.error;
        },
        undefined,
        { maxRetries: 2, ...noJitter },
      ),
    );
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(isRetryExhaustedError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'RETRY_EXHAUSTED', attempts: 3, reason: 'max_retries' });
    expect((error as Error).cause).toBe(last.error);
  });

  it('maxRetries 0 makes exactly one attempt', async () => {
    const fn = jest.fn(async () => {
      throw transient();
    });
    const { error } = await settle(executeWithRetry(fn, undefined, { maxRetries: 0 }));
    expect(fn).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ attempts: 1 });
  });

  it.each([
    ['Prisma unique violation', errorWith({ code: 'P2002' })],
    ['Prisma not found', errorWith({ code: 'P2025' })],
    ['validation error', Object.assign(new TypeError('email too long'), { name: 'ZodError' })],
    ['auth failure', errorWith({ status: 401 }, 'unauthorized')],
    ['plain Error', new Error('boom')],
  ])('rethrows a non-retryable error (%s) as is after exactly one attempt', async (_label, thrown) => {
    const fn = jest.fn(async () => {
      throw thrown;
    });
    const onError = jest.fn();
    await expect(executeWithRetry(fn, onError, { ...noJitter })).rejects.toBe(thrown);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(thrown, 1);
  });

  it('isRepeatable false: one attempt, RetryExhaustedError (not_repeatable), and the breaker counts it', async () => {
    const registry = new ResilienceRegistry();
    const lockTimeout = errorWith({ code: '55P03' });
    const fn = jest.fn(async () => {
      throw lockTimeout;
    });
    const options = { registry, breakerKey: 'locked', circuitBreakerThreshold: 2, circuitBreakerResetMs: 600_000, isRepeatable: (e: unknown) => (e as { code?: string }).code !== '55P03', ...noJitter };
    const first = await settle(executeWithRetry(fn, undefined, options));
    expect(first.error).toMatchObject({ code: 'RETRY_EXHAUSTED', attempts: 1, reason: 'not_repeatable' });
    expect((first.error as Error).cause).toBe(lockTimeout);
    expect(fn).toHaveBeenCalledTimes(1);
    await settle(executeWithRetry(fn, undefined, options));
    // Two counted failures opened the breaker: the third call is refused without an attempt.
    expect(registry.breakers.get('locked').state).toBe('open');
    expect((await settle(executeWithRetry(fn, undefined, options))).error).toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(fn).toHaveBeenCalledTimes(2);
    registry.close();
  });

  it('uses a custom isRetryable', async () => {
    let calls = 0;
    const result = settle(
      executeWithRetry(
        async () => {
          if (++calls < 2) throw new Error('my transient');
          return calls;
        },
        undefined,
        { isRetryable: (e) => (e as Error).message === 'my transient', ...noJitter },
      ),
    );
    expect((await result).value).toBe(2);
  });

  it('waits the backoff delay between attempts (jitter none: 100, 200, 400 ms)', async () => {
    const times: number[] = [];
    const start = Date.now();
    const result = settle(
      executeWithRetry(
        async () => {
          times.push(Date.now() - start);
          throw transient();
        },
        undefined,
        { maxRetries: 3, ...noJitter },
      ),
    );
    await result;
    expect(times).toEqual([0, 100, 300, 700]);
  });

  it('caps delays at maxDelayMs', async () => {
    const times: number[] = [];
    const start = Date.now();
    await settle(
      executeWithRetry(
        async () => {
          times.push(Date.now() - start);
          throw transient();
        },
        undefined,
        { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 150, ...noJitter },
      ),
    );
    expect(times).toEqual([0, 100, 250, 400, 550]);
  });

  it('full jitter draws each delay in [0, cap] from the injected random source', async () => {
    const times: number[] = [];
    const start = Date.now();
    await settle(
      executeWithRetry(
        async () => {
          times.push(Date.now() - start);
          throw transient();
        },
        undefined,
        { maxRetries: 2, jitter: 'full', random: () => 0.5, retryBudget: false },
      ),
    );
    expect(times).toEqual([0, 50, 150]);
  });

  it('honours a retryAfterMs hint on the error, capped at maxDelayMs', async () => {
    const times: number[] = [];
    const start = Date.now();
    await settle(
      executeWithRetry(
        async () => {
          times.push(Date.now() - start);
          throw errorWith({ code: 'ECONNRESET', retryAfterMs: 1_000 });
        },
        undefined,
        { maxRetries: 2, maxDelayMs: 700, ...noJitter },
      ),
    );
    expect(times).toEqual([0, 700, 1_400]);
  });

  it('a throwing onError does not replace the error or stop retries', async () => {
    let calls = 0;
    const result = settle(
      executeWithRetry(
        async () => {
          if (++calls < 2) throw transient();
          return 'ok';
        },
        () => {
          throw new Error('callback bug');
        },
        noJitter,
      ),
    );
    expect((await result).value).toBe('ok');
  });

  it('rejects with the synchronous throw of a non-async fn', async () => {
    const thrown = errorWith({ code: 'P2002' });
    const fn = (() => {
      throw thrown;
    }) as unknown as () => Promise<never>;
    await expect(executeWithRetry(fn, undefined, noJitter)).rejects.toBe(thrown);
  });

  it('a throwing logger does not fail the call', async () => {
    const logger = {
      warn: () => {
        throw new Error('logger down');
      },
      error: () => {
        throw new Error('logger down');
      },
    };
    let calls = 0;
    const ok = settle(
      executeWithRetry(
        async () => {
          if (++calls < 2) throw transient();
          return 'ok';
        },
        undefined,
        { logger, ...noJitter },
      ),
    );
    expect((await ok).value).toBe('ok');
    const { error } = await settle(executeWithRetry(async () => Promise.reject(transient()), undefined, { logger, maxRetries: 1, ...noJitter }));
    expect(error).toMatchObject({ code: 'RETRY_EXHAUSTED' });
  });

  it('logs retries at warn and exhaustion at error, without error messages', async () => {
    const logger = { warn: jest.fn(), error: jest.fn(), info: jest.fn(), debug: jest.fn() };
    await settle(
      executeWithRetry(
        async () => {
          throw errorWith({ code: 'ECONNRESET' }, 'password=hunter2');
        },
        undefined,
        { operationName: 'db', maxRetries: 1, logger, ...noJitter },
      ),
    );
    expect(logger.warn).toHaveBeenCalledWith({ op: 'db', attempt: 1, code: 'ECONNRESET', delayMs: 100 }, 'retrying');
    expect(logger.error).toHaveBeenCalledWith({ op: 'db', attempts: 2, code: 'ECONNRESET', reason: 'max_retries' }, 'retries exhausted');
    expect(JSON.stringify([logger.warn.mock.calls, logger.error.mock.calls])).not.toContain('hunter2');
  });
});
