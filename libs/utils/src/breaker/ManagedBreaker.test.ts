import { CircuitState } from 'cockatiel';
import { defaultBreakerOptions, resolveBreakerOptions, sameBreakerOptions } from './BreakerOptions';
import { ManagedBreaker } from './ManagedBreaker';
import { ResetBackoff } from './ResetBackoff';

const failOnce = (breaker: ManagedBreaker) =>
  breaker.policy
    .execute(() => {
      throw new Error('down');
    })
    .catch(() => undefined);

describe('BreakerOptions', () => {
  it('resolves defaults and clamps what cockatiel would reject', () => {
    expect(resolveBreakerOptions()).toEqual(defaultBreakerOptions);
    expect(resolveBreakerOptions({ threshold: 0, resetMs: -5, maxResetMs: -1, halfOpenCalls: 0.5 })).toEqual({ threshold: 1, resetMs: 0, maxResetMs: 0, halfOpenCalls: 1 });
    expect(resolveBreakerOptions({ resetMs: 10_000, maxResetMs: 1_000 }).maxResetMs).toBe(10_000);
  });

  it('compares a request with resolved settings, defaults included', () => {
    const resolved = resolveBreakerOptions({ threshold: 3 });
    expect(sameBreakerOptions(resolved, { threshold: 3 })).toBe(true);
    expect(sameBreakerOptions(resolved, { ...resolved })).toBe(true);
    expect(sameBreakerOptions(resolved, { threshold: 4 })).toBe(false);
  });
});

describe('ResetBackoff', () => {
  it('doubles per round up to the cap; release() ends only the current wait', () => {
    const seen: number[] = [];
    const first = ResetBackoff.factory(100, 500, (b) => seen.push(b.round)).next({} as never) as ResetBackoff;
    const waits = [first.duration];
    let backoff = first;
    for (let i = 0; i < 4; i++) waits.push((backoff = backoff.next()).duration);
    expect(waits).toEqual([100, 200, 400, 500, 500]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    backoff.release();
    expect([backoff.duration, backoff.plannedMs, backoff.released]).toEqual([0, 500, true]);
    expect(backoff.next().duration).toBe(500);
  });
});

describe('ManagedBreaker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports an open breaker whose wait is over as half-open (its next call is a trial) and counts rounds', async () => {
    const states: string[] = [];
    const breaker = new ManagedBreaker('k', { threshold: 1, resetMs: 1_000, halfOpenCalls: 1 }, (_b, state) => states.push(state));
    expect(breaker.openRound).toBe(0);
    await failOnce(breaker);
    expect([breaker.state, breaker.retryAfterMs(), breaker.openRound]).toEqual(['open', 1_000, 1]);
    jest.advanceTimersByTime(1_000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.policy.state).toBe(CircuitState.Open);
    await failOnce(breaker);
    expect([breaker.state, breaker.retryAfterMs(), breaker.openRound]).toEqual(['open', 2_000, 2]);
    expect(states).toEqual(['open', 'half-open', 'open']);
  });

  it('a listener that throws does not break the breaker', async () => {
    const breaker = new ManagedBreaker('k', { threshold: 1 }, () => {
      throw new Error('listener');
    });
    await failOnce(breaker);
    expect(breaker.state).toBe('open');
  });
});
