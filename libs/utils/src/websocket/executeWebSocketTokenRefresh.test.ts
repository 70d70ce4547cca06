import { CircuitOpenError } from '../errors/CircuitOpenError';
import { errorWith } from '../testing/errorWith';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { outcome, useFakeWebSocketTime } from '../testing/retryTestKit';
import {
  configureWebSocketConnections,
  getWebSocketConnectionState,
  releaseConnection,
  webSocketConnectionCount,
} from '../registry/defaultRegistry';
import { executeWebSocketTokenRefresh } from './executeWebSocketTokenRefresh';
import type { WebSocketTokenRefreshOptions } from './WebSocketRetryOptions';

const base: WebSocketTokenRefreshOptions = { jitter: 'none', retryBudget: false };

useFakeWebSocketTime();

describe('executeWebSocketTokenRefresh', () => {
  it('50 concurrent refreshes on one connection call fn once and share its result', async () => {
    const metrics = new FakeMetricsCollector();
    let release: (v: { accessToken: string }) => void = () => undefined;
    const fn = jest.fn(() => new Promise<{ accessToken: string }>((resolve) => (release = resolve)));
    const calls = Array.from({ length: 50 }, () => executeWebSocketTokenRefresh(fn, undefined, 'conn-1', base, metrics));
    expect(getWebSocketConnectionState('conn-1')?.refreshing).toBe(true);
    release({ accessToken: 'new' });
    const results = await Promise.all(calls);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toEqual({ accessToken: 'new' });
    expect(metrics.events['websocket.token_refresh_shared']).toBe(49);
    expect(getWebSocketConnectionState('conn-1')?.refreshing).toBe(false);
  });

  it('concurrent callers share the failure too, and a later call refreshes again', async () => {
    const denied = errorWith({ error: 'invalid_grant' }, 'refresh token revoked');
    const fn = jest.fn(async () => {
      throw denied;
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => outcome(executeWebSocketTokenRefresh(fn, undefined, 'c', base))));
    expect(results.every((r) => r === denied)).toBe(true);
    expect(fn).toHaveBeenCalledTimes(1);
    const next = jest.fn(async () => 'token-2');
    await expect(executeWebSocketTokenRefresh(next, undefined, 'c', base)).resolves.toBe('token-2');
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('different connections refresh independently', async () => {
    const fn = jest.fn(async ({ connectionId }: { connectionId: string }) => `token-for-${connectionId}`);
    const results = await Promise.all([
      executeWebSocketTokenRefresh(fn, undefined, 'a', base),
      executeWebSocketTokenRefresh(fn, undefined, 'b', base),
      executeWebSocketTokenRefresh(fn, undefined, 'a', base),
      executeWebSocketTokenRefresh(fn, undefined, 'b', base),
    ]);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(results).toEqual(['token-for-a', 'token-for-b', 'token-for-a', 'token-for-b']);
  });

  it('invalid_grant fails at once: one attempt, error rethrown as is, onError told AUTH_FAILED', async () => {
    const denied = errorWith({ error: 'invalid_grant', status: 400 }, 'Token is not active');
    const fn = jest.fn(async () => {
      throw denied;
    });
    const onError = jest.fn();
    await expect(executeWebSocketTokenRefresh(fn, onError, 'c', { ...base, maxRetries: 5 })).rejects.toBe(denied);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0][1]).toMatchObject({ errorType: 'AUTH_FAILED', willRetry: false, isRealTime: true });
  });

  it('retries a transient IdP failure', async () => {
    let attempts = 0;
    const pending = executeWebSocketTokenRefresh(
      async () => {
        if (++attempts < 3) throw errorWith({ status: 503 });
        return 'token';
      },
      undefined,
      'c',
      base,
    );
    await jest.advanceTimersByTimeAsync(5_000);
    await expect(pending).resolves.toBe('token');
    expect(attempts).toBe(3);
  });

  it('its breaker opens after 3 failures (not 5) and stays open 60 s (not 30 s)', async () => {
    const fail = async (): Promise<never> => {
      throw errorWith({ code: 'ECONNREFUSED' });
    };
    for (let i = 0; i < 3; i++) await outcome(executeWebSocketTokenRefresh(fail, undefined, 'c', { ...base, maxRetries: 0 }));
    const fn = jest.fn(async () => 'token');
    const error = await outcome(executeWebSocketTokenRefresh(fn, undefined, 'c', base));
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({ breakerKey: 'websocket:token_refresh', retryAfterMs: 60_000 });
    expect(fn).not.toHaveBeenCalled();
    jest.advanceTimersByTime(30_000);
    expect(await outcome(executeWebSocketTokenRefresh(fn, undefined, 'c', base))).toBeInstanceOf(CircuitOpenError);
    jest.advanceTimersByTime(30_000);
    await expect(executeWebSocketTokenRefresh(fn, undefined, 'c', base)).resolves.toBe('token');
    expect(getWebSocketConnectionState('c')?.breakers).toEqual({ token_refresh: 'closed' });
  });

  it('the token-refresh breaker is separate from the connection operations breaker', async () => {
    const fail = async (): Promise<never> => {
      throw errorWith({ code: 'ECONNREFUSED' });
    };
    for (let i = 0; i < 3; i++) await outcome(executeWebSocketTokenRefresh(fail, undefined, 'c', { ...base, maxRetries: 0 }));
    expect(getWebSocketConnectionState('c')?.breakers).toEqual({ token_refresh: 'open' });
  });

  it('stops retrying once the token expiry plus grace has passed', async () => {
    const times: number[] = [];
    const start = Date.now();
    const pending = outcome(
      executeWebSocketTokenRefresh(
        async () => {
          times.push(Date.now() - start);
          throw errorWith({ code: 'ETIMEDOUT' });
        },
        undefined,
        'c',
        { ...base, tokenExpiresAt: new Date(start + 1_000), gracePeriod: 500, baseDelayMs: 200, maxRetries: 10, circuitBreakerThreshold: 100 },
      ),
    );
    await jest.advanceTimersByTimeAsync(20_000);
    // attempts at 0, 200, 600 (delays 200, 400); the next (800 ms later, at 1,400) is within 1,500;
    // the one after (1,600 ms later) is not.
    expect(times).toEqual([0, 200, 600, 1_400]);
    expect(await pending).toMatchObject({ code: 'RETRY_EXHAUSTED', reason: 'deadline', attempts: 4 });
  });

  it('without tokenExpiresAt the grace period counts from the call', async () => {
    let attempts = 0;
    const pending = outcome(
      executeWebSocketTokenRefresh(
        async () => {
          attempts++;
          throw errorWith({ code: 'ETIMEDOUT' });
        },
        undefined,
        'c',
        { ...base, gracePeriod: 250, baseDelayMs: 200, maxRetries: 10 },
      ),
    );
    await jest.advanceTimersByTimeAsync(20_000);
    expect(await pending).toMatchObject({ reason: 'deadline' });
    expect(attempts).toBe(2);
  });

  it('a refresh started after releaseConnection does not join the old one', async () => {
    let release: (v: string) => void = () => undefined;
    const first = executeWebSocketTokenRefresh(() => new Promise<string>((r) => (release = r)), undefined, 'c', base);
    releaseConnection('c');
    const second = jest.fn(async () => 'second');
    await expect(executeWebSocketTokenRefresh(second, undefined, 'c', base)).resolves.toBe('second');
    release('first');
    await expect(first).resolves.toBe('first');
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('20 × the cap of distinct connection ids leave the map (and its in-flight refreshes) at the cap', async () => {
    // The bound is the registry's LRU cap, not a count of ids: what fails it is one id more than
    // the cap kept. Twenty times the cap (checked after every cap's worth, not only at the end)
    // proves "never above the cap, whatever the number of ids" as a million did, in 1/50 the time
    // (a million took 10–19 s on the loaded CI machine).
    const cap = 1_000;
    configureWebSocketConnections({ maxConnections: cap });
    jest.useRealTimers();
    const sizes: number[] = [];
    for (let i = 0; i < 20 * cap; i++) {
      await executeWebSocketTokenRefresh(async () => i, undefined, `conn-${i}`);
      if ((i + 1) % cap === 0) sizes.push(webSocketConnectionCount());
    }
    expect(sizes).toEqual(Array.from({ length: 20 }, () => cap));
    expect(getWebSocketConnectionState(`conn-${20 * cap - 1}`)?.refreshing).toBe(false);
    expect(getWebSocketConnectionState(`conn-${19 * cap - 1}`)).toBeUndefined();
  });
});
