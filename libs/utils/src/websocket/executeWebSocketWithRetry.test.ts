import { ConcurrencyLimitError, isConcurrencyLimitError } from '../errors/ConcurrencyLimitError';
import { CircuitOpenError } from '../errors/CircuitOpenError';
import { RetryExhaustedError } from '../errors/RetryExhaustedError';
import { errorWith } from '../testing/errorWith';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { outcome, useFakeWebSocketTime } from '../testing/retryTestKit';
import {
  configureWebSocketConnections,
  getWebSocketConnectionState,
  releaseConnection,
  webSocketConnectionCount,
} from '../registry/defaultRegistry';
import { executeWebSocketWithRetry } from './executeWebSocketWithRetry';
import { WebSocketError } from './WebSocketError';
import type { WebSocketRetryOptions } from './WebSocketRetryOptions';

const lost = () => errorWith({ closeCode: 1006 }, 'abnormal closure');
const base: WebSocketRetryOptions = { operationName: 'ws.push', jitter: 'none', retryBudget: false };

useFakeWebSocketTime();

describe('executeWebSocketWithRetry', () => {
  it('passes the connection id and attempt to fn and retries a lost connection', async () => {
    const seen: Array<[string, number]> = [];
    const pending = executeWebSocketWithRetry(
      async ({ connectionId, attempt }) => {
        seen.push([connectionId, attempt]);
        if (attempt < 3) throw lost();
        return 'sent';
      },
      undefined,
      'conn-1',
      base,
    );
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(pending).resolves.toBe('sent');
    expect(seen).toEqual([
      ['conn-1', 1],
      ['conn-1', 2],
      ['conn-1', 3],
    ]);
  });

  it('calls onError(error, context, attempt) with the classified type', async () => {
    const onError = jest.fn();
    const pending = outcome(
      executeWebSocketWithRetry(
        async () => {
          throw lost();
        },
        onError,
        'conn-1',
        { ...base, maxRetries: 1 },
      ),
    );
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await pending).toBeInstanceOf(RetryExhaustedError);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError.mock.calls[0][1]).toMatchObject({
      connectionId: 'conn-1',
      operationName: 'ws.push',
      errorType: 'CONNECTION_LOST',
      willRetry: true,
      isRealTime: false,
    });
    expect(onError.mock.calls[1][1]).toMatchObject({ willRetry: false });
    expect(onError.mock.calls.map((c) => c[2])).toEqual([1, 2]);
  });

  it.each([
    ['AUTH_FAILED', errorWith({ status: 401 })],
    ['CONNECTION_CLOSED', errorWith({ closeCode: 1000 })],
    ['invalid_grant', errorWith({ error: 'invalid_grant' })],
  ])('does not retry %s and rethrows it as is', async (_label, thrown) => {
    const fn = jest.fn(async () => {
      throw thrown;
    });
    await expect(executeWebSocketWithRetry(fn, undefined, 'conn-1', base)).rejects.toBe(thrown);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  describe('per-connection circuit breaker', () => {
    const opts = { ...base, maxRetries: 0, circuitBreakerThreshold: 2, circuitBreakerResetMs: 5_000 };
    const fail = async (): Promise<never> => {
      throw lost();
    };

    it('opens for the failing connection only', async () => {
      await outcome(executeWebSocketWithRetry(fail, undefined, 'bad', opts));
      await outcome(executeWebSocketWithRetry(fail, undefined, 'bad', opts));
      const fn = jest.fn(async () => 'ok');
      const error = await outcome(executeWebSocketWithRetry(fn, undefined, 'bad', opts));
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error).toMatchObject({ breakerKey: 'websocket:operations', retryAfterMs: 5_000 });
      expect(fn).not.toHaveBeenCalled();
      await expect(executeWebSocketWithRetry(fn, undefined, 'good', opts)).resolves.toBe('ok');
      expect(getWebSocketConnectionState('bad')?.breakers).toEqual({ operations: 'open' });
      expect(getWebSocketConnectionState('good')?.breakers).toEqual({});
    });

    it('half-opens after the reset time and closes on success', async () => {
      await outcome(executeWebSocketWithRetry(fail, undefined, 'c', opts));
      await outcome(executeWebSocketWithRetry(fail, undefined, 'c', opts));
      jest.advanceTimersByTime(5_000);
      await expect(executeWebSocketWithRetry(async () => 'probe', undefined, 'c', opts)).resolves.toBe('probe');
      expect(getWebSocketConnectionState('c')?.breakers).toEqual({ operations: 'closed' });
    });

    it('releaseConnection forgets the state (a new socket with the same id starts closed)', async () => {
      await outcome(executeWebSocketWithRetry(fail, undefined, 'c', opts));
      await outcome(executeWebSocketWithRetry(fail, undefined, 'c', opts));
      expect(releaseConnection('c')).toBe(true);
      expect(releaseConnection('c')).toBe(false);
      await expect(executeWebSocketWithRetry(async () => 'fresh', undefined, 'c', opts)).resolves.toBe('fresh');
    });

    it('does not touch the shared breaker registry (connection ids are not metric labels)', async () => {
      const metrics = new FakeMetricsCollector();
      await outcome(executeWebSocketWithRetry(fail, undefined, 'c', opts, metrics));
      await outcome(executeWebSocketWithRetry(fail, undefined, 'c', opts, metrics));
      expect(metrics.breakerStates).toEqual([]);
      expect(metrics.operations.every((o) => o.operation === 'ws.push')).toBe(true);
      expect(metrics.events['websocket.breaker.operations.open']).toBe(1);
    });
  });

  describe('concurrency limit', () => {
    it('rejects the operation past maxConcurrentOperations at once, typed, and frees the slot after', async () => {
      const metrics = new FakeMetricsCollector();
      const gates: Array<() => void> = [];
      const slow = () => new Promise<string>((resolve) => gates.push(() => resolve('done')));
      const opts = { ...base, maxConcurrentOperations: 2 };
      const first = executeWebSocketWithRetry(slow, undefined, 'c', opts, metrics);
      const second = executeWebSocketWithRetry(slow, undefined, 'c', opts, metrics);
      const third = await outcome(executeWebSocketWithRetry(slow, undefined, 'c', opts, metrics));
      expect(third).toBeInstanceOf(ConcurrencyLimitError);
      expect(isConcurrencyLimitError(third)).toBe(true);
      expect(third).toMatchObject({ code: 'CONCURRENCY_LIMIT', limit: 2, connectionId: 'c' });
      expect(metrics.events['websocket.concurrency_rejected']).toBe(1);
      // another connection has its own limit
      const other = executeWebSocketWithRetry(slow, undefined, 'other', opts);
      expect(getWebSocketConnectionState('c')?.inFlight).toBe(2);
      gates.forEach((open) => open());
      await expect(Promise.all([first, second, other])).resolves.toEqual(['done', 'done', 'done']);
      expect(getWebSocketConnectionState('c')?.inFlight).toBe(0);
      await expect(executeWebSocketWithRetry(async () => 'again', undefined, 'c', opts)).resolves.toBe('again');
    });

    it('frees the slot when the operation fails', async () => {
      const opts = { ...base, maxConcurrentOperations: 1 };
      await outcome(executeWebSocketWithRetry(async () => Promise.reject(errorWith({ status: 401 })), undefined, 'c', opts));
      expect(getWebSocketConnectionState('c')?.inFlight).toBe(0);
      await expect(executeWebSocketWithRetry(async () => 1, undefined, 'c', opts)).resolves.toBe(1);
    });
  });

  describe('real-time grace period', () => {
    it('a real-time operation starts no retry past gracePeriod and ends with reason deadline', async () => {
      const times: number[] = [];
      const start = Date.now();
      const pending = outcome(
        executeWebSocketWithRetry(
          async () => {
            times.push(Date.now() - start);
            throw lost();
          },
          undefined,
          'c',
          { ...base, isRealTime: true, gracePeriod: 500, baseDelayMs: 200, maxRetries: 10 },
        ),
      );
      await jest.advanceTimersByTimeAsync(10_000);
      const error = await pending;
      // delays 200, 400 → the third retry would start at 1,400 ms > 500 ms
      expect(times).toEqual([0, 200]);
      expect(error).toMatchObject({ code: 'RETRY_EXHAUSTED', reason: 'deadline', attempts: 2 });
    });

    it('a non-real-time operation keeps retrying up to maxRetries', async () => {
      let attempts = 0;
      const pending = outcome(
        executeWebSocketWithRetry(
          async () => {
            attempts++;
            throw lost();
          },
          undefined,
          'c',
          { ...base, gracePeriod: 500, baseDelayMs: 200, maxRetries: 4, circuitBreakerThreshold: 100 },
        ),
      );
      await jest.advanceTimersByTimeAsync(10_000);
      expect(await pending).toMatchObject({ reason: 'max_retries', attempts: 5 });
      expect(attempts).toBe(5);
    });
  });

  describe('health check', () => {
    it('is asked before each retry, not before the first attempt', async () => {
      const healthCheck = jest.fn(() => true);
      let attempts = 0;
      const pending = executeWebSocketWithRetry(
        async () => {
          if (++attempts < 3) throw lost();
          return 'ok';
        },
        undefined,
        'c',
        { ...base, healthCheck },
      );
      await jest.advanceTimersByTimeAsync(1_000);
      await expect(pending).resolves.toBe('ok');
      expect(healthCheck).toHaveBeenCalledTimes(2);
      expect(healthCheck).toHaveBeenCalledWith('c');
    });

    it('a hanging check counts as unhealthy after attemptTimeoutMs', async () => {
      const fn = jest.fn(async () => {
        throw lost();
      });
      const pending = outcome(
        executeWebSocketWithRetry(fn, undefined, 'c', { ...base, attemptTimeoutMs: 300, healthCheck: () => new Promise<boolean>(() => undefined) }),
      );
      await jest.advanceTimersByTimeAsync(1_000);
      expect(await pending).toMatchObject({ code: 'CONNECTION_CLOSED' });
      expect(fn).toHaveBeenCalledTimes(1);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('an unhealthy (or throwing) check stops with CONNECTION_CLOSED', async () => {
      for (const healthCheck of [async () => false, () => Promise.reject(new Error('ping failed'))]) {
        const metrics = new FakeMetricsCollector();
        const fn = jest.fn(async () => {
          throw lost();
        });
        const pending = outcome(executeWebSocketWithRetry(fn, undefined, `c-${Math.random()}`, { ...base, healthCheck }, metrics));
        await jest.advanceTimersByTimeAsync(1_000);
        const error = await pending;
        expect(error).toBeInstanceOf(WebSocketError);
        expect(error).toMatchObject({ code: 'CONNECTION_CLOSED' });
        expect(fn).toHaveBeenCalledTimes(1);
        expect(metrics.events['websocket.health_check_failed']).toBe(1);
      }
    });
  });

  describe('bounded state', () => {
    it('20 × the cap of distinct connection ids leave the map at its cap, keeping the newest', async () => {
      // The bound is the registry's LRU cap: what fails it is one id more than the cap kept, or the
      // wrong ones kept. Twenty times the cap, checked after every cap's worth, proves the same as a
      // million ids did (a million took 7–13 s on the loaded CI machine); the edges prove LRU order.
      const cap = 1_000;
      configureWebSocketConnections({ maxConnections: cap });
      jest.useRealTimers();
      const sizes: number[] = [];
      for (let i = 0; i < 20 * cap; i++) {
        await executeWebSocketWithRetry(async () => i, undefined, `conn-${i}`);
        if ((i + 1) % cap === 0) sizes.push(webSocketConnectionCount());
      }
      expect(sizes).toEqual(Array.from({ length: 20 }, () => cap));
      expect(getWebSocketConnectionState(`conn-${20 * cap - 1}`)).toBeDefined();
      expect(getWebSocketConnectionState(`conn-${19 * cap}`)).toBeDefined();
      expect(getWebSocketConnectionState(`conn-${19 * cap - 1}`)).toBeUndefined();
      expect(getWebSocketConnectionState('conn-0')).toBeUndefined();
    });

    it('forgets idle connections after the TTL', async () => {
      configureWebSocketConnections({ maxConnections: 100, connectionTtlMs: 1_000 });
      // lru-cache reads an entry start time of 0 as "no TTL"; the fake clock starts at 0.
      jest.advanceTimersByTime(1);
      await executeWebSocketWithRetry(async () => 1, undefined, 'idle');
      expect(getWebSocketConnectionState('idle')).toBeDefined();
      jest.advanceTimersByTime(1_001);
      expect(getWebSocketConnectionState('idle')).toBeUndefined();
    });
  });
});
