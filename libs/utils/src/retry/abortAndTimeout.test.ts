import { resetCircuitBreakers } from '../breaker/breakerRegistry';
import { resetRetryBudgets } from '../budget/budgetRegistry';
import { isAttemptTimeoutError } from '../errors/AttemptTimeoutError';
import { isRetryAbortedError } from '../errors/RetryAbortedError';
import { errorWith } from '../testing/FakeMetricsCollector';
import { executeWithRetry } from './executeWithRetry';

const transient = () => errorWith({ code: 'ECONNRESET' }, 'socket reset');
const noJitter = { jitter: 'none' as const, retryBudget: false as const };

beforeEach(() => {
  jest.useFakeTimers();
  resetCircuitBreakers();
  resetRetryBudgets();
});
afterEach(() => jest.useRealTimers());

async function settle<T>(promise: Promise<T>, ms = 60_000): Promise<{ value?: T; error?: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await jest.advanceTimersByTimeAsync(ms);
  return outcome;
}

describe('executeWithRetry: abort signal and per-attempt timeout', () => {
  describe('abort', () => {
    it('does not call fn when the signal is already aborted', async () => {
      const fn = jest.fn(async () => 1);
      const controller = new AbortController();
      controller.abort(new Error('shutdown'));
      const error = await executeWithRetry(fn, undefined, { signal: controller.signal }).catch((e: unknown) => e);
      expect(isRetryAbortedError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'RETRY_ABORTED', cause: controller.signal.reason });
      expect(fn).not.toHaveBeenCalled();
    });

    it('stops during the backoff wait and makes no further attempt', async () => {
      const controller = new AbortController();
      const fn = jest.fn(async () => {
        throw transient();
      });
      const outcome = executeWithRetry(fn, undefined, { signal: controller.signal, ...noJitter }).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(50);
      controller.abort();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(isRetryAbortedError(await outcome)).toBe(true);
      expect(fn).toHaveBeenCalledTimes(1);
    });

    it('rejects an in-flight attempt at once and aborts its signal', async () => {
      const controller = new AbortController();
      let attemptSignal: AbortSignal | undefined;
      const outcome = executeWithRetry(
        ({ signal }) => {
          attemptSignal = signal;
          return new Promise<never>(() => undefined);
        },
        undefined,
        { signal: controller.signal },
      ).catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(10);
      controller.abort();
      expect(isRetryAbortedError(await outcome)).toBe(true);
      expect(attemptSignal?.aborted).toBe(true);
    });
  });

  describe('per-attempt timeout', () => {
    it('times out a hung attempt with ATTEMPT_TIMEOUT, aborts its signal and retries', async () => {
      const signals: AbortSignal[] = [];
      const onError = jest.fn();
      const outcome = settle(
        executeWithRetry(
          ({ signal, attempt }) => {
            signals.push(signal);
            return attempt < 3 ? new Promise<string>(() => undefined) : Promise.resolve('third time');
          },
          onError,
          { attemptTimeoutMs: 1_000, ...noJitter },
        ),
      );
      expect((await outcome).value).toBe('third time');
      expect(signals).toHaveLength(3);
      expect(signals[0].aborted && signals[1].aborted).toBe(true);
      expect(signals[2].aborted).toBe(false);
      const firstError = onError.mock.calls[0][0];
      expect(isAttemptTimeoutError(firstError)).toBe(true);
      expect(firstError).toMatchObject({ code: 'ATTEMPT_TIMEOUT', name: 'TimeoutError', timeoutMs: 1_000 });
      expect(signals[0].reason).toBe(firstError);
    });

    it('ends with RetryExhaustedError whose cause is the timeout', async () => {
      const { error } = await settle(
        executeWithRetry(() => new Promise<never>(() => undefined), undefined, { attemptTimeoutMs: 500, maxRetries: 1, ...noJitter }),
      );
      expect(error).toMatchObject({ code: 'RETRY_EXHAUSTED', attempts: 2, cause: { code: 'ATTEMPT_TIMEOUT' } });
    });

    it('does not time out an attempt that finishes in time', async () => {
      const outcome = settle(
        executeWithRetry(
          () => new Promise<string>((resolve) => setTimeout(() => resolve('in time'), 400)),
          undefined,
          { attemptTimeoutMs: 500, ...noJitter },
        ),
      );
      expect((await outcome).value).toBe('in time');
      expect(jest.getTimerCount()).toBe(0);
    });
  });


  it('with the breaker on, an abort does not count as a dependency failure', async () => {
    for (let i = 0; i < 10; i++) {
      const controller = new AbortController();
      const pending = executeWithRetry(() => new Promise<never>(() => undefined), undefined, { operationName: 'ab', signal: controller.signal }).catch(
        (e: unknown) => e,
      );
      controller.abort();
      expect(isRetryAbortedError(await pending)).toBe(true);
    }
    await expect(executeWithRetry(async () => 'still closed', undefined, { operationName: 'ab' })).resolves.toBe('still closed');
  });

  it('a timeout with no signal aborts only its own attempt and clears its timer', async () => {
    await expect(executeWithRetry(async () => 'fast', undefined, { attemptTimeoutMs: 1_000 })).resolves.toBe('fast');
    expect(jest.getTimerCount()).toBe(0);
  });
});
