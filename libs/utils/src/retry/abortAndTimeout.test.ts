import { isAttemptTimeoutError } from '../errors/AttemptTimeoutError';
import { isRetryAbortedError } from '../errors/RetryAbortedError';
import { noJitter, settle, transient, useFakeRetryTime } from '../testing/retryTestKit';
import { executeWithRetry } from './executeWithRetry';

useFakeRetryTime();

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

  it('a finished attempt leaves nothing to fire: its deadline passes without effect and the shared timer goes away', async () => {
    const onError = jest.fn();
    const fn = jest.fn(async () => 'fast');
    await expect(executeWithRetry(fn, onError, { attemptTimeoutMs: 1_000 })).resolves.toBe('fast');
    // At most the lane's one shared timer remains (unref'd, see the real-timer test below) …
    expect(jest.getTimerCount()).toBeLessThanOrEqual(1);
    await jest.advanceTimersByTimeAsync(5_000);
    // … and when it fires it finds nothing due and is not re-armed.
    expect(jest.getTimerCount()).toBe(0);
    expect(onError).not.toHaveBeenCalled();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('attempts started at different times time out at their own deadlines, one shared timer for all', async () => {
    const timedOutAt: Record<string, number> = {};
    const start = performance.now();
    const hang = (label: string) =>
      executeWithRetry(() => new Promise<never>(() => undefined), undefined, { attemptTimeoutMs: 1_000, maxRetries: 0, ...noJitter }).catch((e: unknown) => {
        expect(e).toMatchObject({ code: 'RETRY_EXHAUSTED', cause: { code: 'ATTEMPT_TIMEOUT' } });
        timedOutAt[label] = performance.now() - start;
      });
    const fast = executeWithRetry(() => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 100)), undefined, { attemptTimeoutMs: 1_000 });
    const a = hang('a');
    await jest.advanceTimersByTimeAsync(300);
    const b = hang('b');
    await jest.advanceTimersByTimeAsync(300);
    const c = hang('c');
    // Three pending attempts with the same timeout share one timer.
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(399);
    expect(timedOutAt).toEqual({});
    await jest.advanceTimersByTimeAsync(2_000);
    await Promise.all([a, b, c]);
    await expect(fast).resolves.toBe('ok');
    expect(timedOutAt).toEqual({ a: 1_000, b: 1_300, c: 1_600 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('different timeouts run side by side', async () => {
    const order: string[] = [];
    const hang = (label: string, attemptTimeoutMs: number) =>
      executeWithRetry(() => new Promise<never>(() => undefined), undefined, { attemptTimeoutMs, maxRetries: 0 }).catch(() => order.push(label));
    const all = Promise.all([hang('slow', 900), hang('fast', 200), hang('medium', 500)]);
    await jest.advanceTimersByTimeAsync(1_000);
    await all;
    expect(order).toEqual(['fast', 'medium', 'slow']);
  });
});

describe('per-attempt timeout with real timers', () => {
  beforeEach(() => jest.useRealTimers());
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('keeps the process alive while an attempt is pending, and not after it finished', async () => {
    const before = timers();
    let release: ((value: string) => void) | undefined;
    const pending = executeWithRetry(() => new Promise<string>((resolve) => (release = resolve)), undefined, {
      operationName: 'alive',
      attemptTimeoutMs: 3_600_000,
    });
    while (release === undefined) await new Promise((resolve) => setImmediate(resolve));
    expect(timers()).toBe(before + 1);
    release('done');
    await expect(pending).resolves.toBe('done');
    expect(timers()).toBe(before);
  });
});
