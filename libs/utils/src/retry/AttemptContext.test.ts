import { releaseConnection, resetCircuitBreakers, resetRetryBudgets } from '../registry/defaultRegistry';
import { isAttemptTimeoutError } from '../errors/AttemptTimeoutError';
import { isRetryAbortedError } from '../errors/RetryAbortedError';
import { errorWith } from '../testing/errorWith';
import { executeWebSocketWithRetry } from '../websocket/executeWebSocketWithRetry';
import type { WebSocketRetryContext } from '../websocket/WebSocketRetryOptions';
import { AttemptContext, NEVER_ABORTED } from './AttemptContext';
import { executeRedisWithRetry } from './executeRedisWithRetry';
import { executeWithRetry } from './executeWithRetry';
import type { RetryContext } from './RetryOptions';

const Original = globalThis.AbortController;
const noJitter = { jitter: 'none' as const, retryBudget: false as const };
const hang = () => new Promise<never>(() => undefined);
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Counts AbortControllers created while `body` runs. */
async function countControllers(body: () => Promise<unknown>): Promise<number> {
  const Original = globalThis.AbortController;
  let created = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      created++;
    }
  };
  try {
    await body();
  } finally {
    globalThis.AbortController = Original;
  }
  return created;
}

beforeEach(() => {
  jest.useFakeTimers();
  resetCircuitBreakers();
  resetRetryBudgets();
});
afterEach(() => jest.useRealTimers());

describe('AttemptContext: the lazily created attempt signal', () => {
  it('without a timeout or caller signal, every attempt gets the shared never-aborted signal', () => {
    const context = new AttemptContext(1, undefined);
    expect(context.signal).toBe(NEVER_ABORTED);
    expect(context.signal.aborted).toBe(false);
    expect(context.attempt).toBe(1);
  });

  it('creates no AbortController for an attempt that never reads its signal', async () => {
    const created = await countControllers(async () => {
      await executeWithRetry(async () => 1, undefined, { attemptTimeoutMs: 1_000 });
      await executeWithRetry(async () => 2, undefined, { attemptTimeoutMs: 1_000, signal: new Original().signal });
      await executeRedisWithRetry({ get: async () => 'v' }, (r) => r.get());
    });
    expect(created).toBe(0);
  });

  it('creates one when the signal is read', async () => {
    const created = await countControllers(() => executeWithRetry(async ({ signal }) => signal.aborted, undefined, { attemptTimeoutMs: 1_000 }));
    expect(created).toBe(1);
  });

  it('a signal first read after the attempt started still aborts on timeout', async () => {
    const seen: Array<{ aborted: boolean; reason: unknown }> = [];
    const outcome = executeWithRetry(
      async (context) => {
        await wait(300); // the operation only looks at its signal later
        const { signal } = context;
        expect(signal.aborted).toBe(false);
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        seen.push({ aborted: signal.aborted, reason: signal.reason });
        return 'late';
      },
      undefined,
      { attemptTimeoutMs: 1_000, maxRetries: 0 },
    ).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(999);
    expect(seen).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toMatchObject({ code: 'RETRY_EXHAUSTED', cause: { code: 'ATTEMPT_TIMEOUT' } });
    expect(seen).toHaveLength(1);
    expect(seen[0].aborted).toBe(true);
    expect(isAttemptTimeoutError(seen[0].reason)).toBe(true);
    expect(seen[0].reason).toBe((error as { cause: unknown }).cause);
  });

  it('a signal first read after the attempt timed out is already aborted with the timeout error', async () => {
    const contexts: RetryContext[] = [];
    const outcome = executeWithRetry(
      (context) => {
        contexts.push(context);
        return hang();
      },
      undefined,
      { attemptTimeoutMs: 500, maxRetries: 1, ...noJitter },
    ).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(10_000);
    const error = (await outcome) as { cause: unknown };
    expect(contexts.map((c) => c.attempt)).toEqual([1, 2]);
    expect(contexts.every((c) => c.signal.aborted)).toBe(true);
    expect(isAttemptTimeoutError(contexts[1].signal.reason)).toBe(true);
    expect(contexts[1].signal.reason).toBe(error.cause);
    expect(contexts[0].signal.reason).not.toBe(contexts[1].signal.reason); // each attempt its own
  });

  it('a signal read after the attempt succeeded never aborts', async () => {
    let kept: RetryContext | undefined;
    await executeWithRetry(
      async (context) => {
        kept = context;
        return 1;
      },
      undefined,
      { attemptTimeoutMs: 100 },
    );
    await jest.advanceTimersByTimeAsync(1_000);
    expect(kept?.signal.aborted).toBe(false);
  });

  it('a signal read during the attempt aborts on the caller abort, with the caller reason', async () => {
    const caller = new AbortController();
    let context: RetryContext | undefined;
    const outcome = executeWithRetry(
      (c) => {
        context = c;
        return hang();
      },
      undefined,
      { signal: caller.signal },
    ).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(10);
    const signal = context!.signal; // read before the abort …
    const reason = new Error('shutting down');
    caller.abort(reason);
    expect(isRetryAbortedError(await outcome)).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('a signal first read after the caller aborted is already aborted, with the caller reason', async () => {
    const caller = new AbortController();
    let context: RetryContext | undefined;
    const outcome = executeWithRetry(
      (c) => {
        context = c;
        return hang();
      },
      undefined,
      { signal: caller.signal, attemptTimeoutMs: 5_000 },
    ).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(10);
    caller.abort('bye');
    expect(isRetryAbortedError(await outcome)).toBe(true);
    expect(context!.signal.aborted).toBe(true); // … first read after
    expect(context!.signal.reason).toBe('bye');
    // The attempt's timeout was cancelled with it: nothing fires later.
    await jest.advanceTimersByTimeAsync(10_000);
    expect(context!.signal.reason).toBe('bye');
  });

  it('an operation that throws synchronously is handled like a rejection', async () => {
    const error = errorWith({ code: 'P2002' }, 'unique');
    const outcome = executeWithRetry(
      () => {
        throw error;
      },
      undefined,
      { attemptTimeoutMs: 1_000 },
    ).catch((e: unknown) => e);
    expect(await outcome).toBe(error);
  });

  it('WebSocket attempts get the connection id and the same lazy signal', async () => {
    const contexts: WebSocketRetryContext[] = [];
    const outcome = executeWebSocketWithRetry(
      (context) => {
        contexts.push(context);
        return context.attempt === 1 ? hang() : Promise.resolve('second');
      },
      undefined,
      'conn-ctx',
      { attemptTimeoutMs: 200, ...noJitter, baseDelayMs: 1 },
    );
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(outcome).resolves.toBe('second');
    expect(contexts.map((c) => [c.attempt, c.connectionId, c.signal.aborted])).toEqual([
      [1, 'conn-ctx', true],
      [2, 'conn-ctx', false],
    ]);
    releaseConnection('conn-ctx');
  });
});
