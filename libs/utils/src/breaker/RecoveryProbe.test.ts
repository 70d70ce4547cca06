import { executeWithRetry } from '../retry/executeWithRetry';
import type { RetryOptions } from '../retry/RetryOptions';
import { ResilienceRegistry } from '../registry/ResilienceRegistry';
import { errorWith } from '../testing/errorWith';
import { outcome, useFakeRetryTime } from '../testing/retryTestKit';

const fail = async (): Promise<never> => {
  throw errorWith({ code: 'ECONNREFUSED' });
};
const ok = async (): Promise<string> => 'ok';

describe('BreakerRegistry.watchRecovery (RecoveryProbe)', () => {
  useFakeRetryTime();
  let registry: ResilienceRegistry;
  let healthy: boolean;
  let checks: number;
  const check = async () => {
    checks++;
    return healthy;
  };
  const opts = (key: string): RetryOptions => ({
    operationName: key,
    maxRetries: 0,
    circuitBreakerThreshold: 2,
    circuitBreakerResetMs: 60_000,
    circuitBreakerHalfOpenCalls: 1,
    retryBudget: false,
    registry,
  });
  const open = async (key: string) => {
    for (let i = 0; i < 2; i++) await outcome(executeWithRetry(fail, undefined, opts(key)));
    expect(registry.breakers.peek(key)?.state).toBe('open');
  };

  beforeEach(() => {
    registry = new ResilienceRegistry();
    healthy = false;
    checks = 0;
  });

  it('checks only while a watched breaker is open, and releases every open one as soon as the check answers', async () => {
    const watch = registry.breakers.watchRecovery(['db.user'], { check, intervalMs: 100 });
    watch.add('db.session');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(checks).toBe(0);
    await open('db.user');
    await open('db.session');
    await jest.advanceTimersByTimeAsync(300);
    expect(checks).toBe(3);
    expect(registry.breakers.peek('db.user')?.state).toBe('open');

    healthy = true;
    await jest.advanceTimersByTimeAsync(100);
    expect(registry.breakers.list().map((b) => b.state)).toEqual(['half-open', 'half-open']);
    // Long before the 60 s reset: the next calls are trials and close the breakers.
    await expect(executeWithRetry(ok, undefined, opts('db.user'))).resolves.toBe('ok');
    await expect(executeWithRetry(ok, undefined, opts('db.session'))).resolves.toBe('ok');
    expect(registry.breakers.list().map((b) => b.state)).toEqual(['closed', 'closed']);
    const after = checks;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(checks).toBe(after);
    watch.stop();
  });

  it('a breaker outside the watched keys is left alone', async () => {
    registry.breakers.watchRecovery(['db.user'], { check, intervalMs: 100 });
    healthy = true;
    await open('redis');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(checks).toBe(0);
    expect(registry.breakers.peek('redis')?.state).toBe('open');
  });

  it('when the check says healthy but the trials fail, it waits twice as long before the next check', async () => {
    registry.breakers.watchRecovery(['db.user'], { check, intervalMs: 100 });
    healthy = true;
    await open('db.user');
    await jest.advanceTimersByTimeAsync(100);
    expect(checks).toBe(1);
    await outcome(executeWithRetry(fail, undefined, opts('db.user')));
    expect(registry.breakers.peek('db.user')?.state).toBe('open');
    await jest.advanceTimersByTimeAsync(100);
    expect(checks).toBe(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(checks).toBe(2);
    await expect(executeWithRetry(ok, undefined, opts('db.user'))).resolves.toBe('ok');
  });

  it('a check that never answers counts as unhealthy after timeoutMs; one check runs at a time', async () => {
    let started = 0;
    registry.breakers.watchRecovery(['db.user'], { check: () => (started++, new Promise<boolean>(() => undefined)), intervalMs: 100, timeoutMs: 500 });
    await open('db.user');
    await jest.advanceTimersByTimeAsync(550);
    expect(started).toBe(1);
    await jest.advanceTimersByTimeAsync(150);
    expect(started).toBe(2);
    expect(registry.breakers.peek('db.user')?.state).toBe('open');
  });

  it('starts at once for a breaker that is already open, and stops when unwatched', async () => {
    await open('db.user');
    const watch = registry.breakers.watchRecovery(['db.user'], { check, intervalMs: 100 });
    await jest.advanceTimersByTimeAsync(100);
    expect(checks).toBe(1);
    watch.stop();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(checks).toBe(1);
  });

  it('stopRecoveryWatches ends every watch', async () => {
    registry.breakers.watchRecovery(['db.user'], { check, intervalMs: 100 });
    await open('db.user');
    registry.breakers.stopRecoveryWatches();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(checks).toBe(0);
  });

  it('probe(keys) is the passive form: a reconnect signal releases the open breakers it names', async () => {
    await open('redis');
    expect(registry.breakers.probe(['redis', 'unknown'])).toBe(1);
    await expect(executeWithRetry(ok, undefined, opts('redis'))).resolves.toBe('ok');
  });
});
