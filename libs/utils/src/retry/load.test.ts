import { isCircuitOpenError } from '../errors/CircuitOpenError';
import { ResilienceRegistry } from '../registry/ResilienceRegistry';
import { errorWith } from '../testing/errorWith';
import { useFakeRetryTime } from '../testing/retryTestKit';
import { executeWithRetry } from './executeWithRetry';
import type { RetryOptions } from './RetryOptions';

/**
 * The seed's load tests, as an open model on a fake clock: a fixed number of calls arrives every
 * tick whether or not earlier ones finished, against a dependency whose answers take 5 ms.
 * Everything asserted is a count or a state, never a duration.
 */
class Dependency {
  up = false;
  attempts = 0;

  readonly call = (): Promise<string> => {
    this.attempts++;
    const up = this.up;
    return new Promise((resolve, reject) => setTimeout(() => (up ? resolve('ok') : reject(errorWith({ code: 'ECONNREFUSED' }))), 5));
  };
}

interface Outcomes {
  calls: number;
  ok: number;
  circuitOpen: number;
  failed: number;
}

async function arrive(ticks: number, perTick: number, tickMs: number, run: () => Promise<unknown>): Promise<Outcomes> {
  const out: Outcomes = { calls: 0, ok: 0, circuitOpen: 0, failed: 0 };
  const pending: Array<Promise<void>> = [];
  for (let tick = 0; tick < ticks; tick++) {
    for (let i = 0; i < perTick; i++) {
      out.calls++;
      pending.push(
        run().then(
          () => void out.ok++,
          (error: unknown) => void (isCircuitOpenError(error) ? out.circuitOpen++ : out.failed++),
        ),
      );
    }
    await jest.advanceTimersByTimeAsync(tickMs);
  }
  await jest.advanceTimersByTimeAsync(30_000);
  await Promise.all(pending);
  return out;
}

describe('load: retries against a dead dependency', () => {
  useFakeRetryTime();
  const options = (registry: ResilienceRegistry, extra: RetryOptions = {}): RetryOptions => ({
    operationName: 'dead',
    maxRetries: 3,
    baseDelayMs: 50,
    enableCircuitBreaker: false,
    registry,
    ...extra,
  });

  it('with the default budget, 20,000 concurrent calls over 10 s make at most 1.11 attempts per call', async () => {
    const dependency = new Dependency();
    const registry = new ResilienceRegistry();
    const out = await arrive(100, 200, 100, () => executeWithRetry(dependency.call, undefined, options(registry)));
    expect(out.calls).toBe(20_000);
    expect(out.failed).toBe(20_000);
    // ratio 0.1 of the calls plus the floor of 10 retries/s over the 10 s window.
    expect(dependency.attempts / out.calls).toBeLessThanOrEqual(1.11);
  });

  it('without a budget the same load is multiplied by 1 + maxRetries', async () => {
    const dependency = new Dependency();
    const out = await arrive(5, 200, 100, () => executeWithRetry(dependency.call, undefined, options(new ResilienceRegistry(), { retryBudget: false })));
    expect(dependency.attempts).toBe(out.calls * 4);
  });
});

describe('load: the breaker under stress', () => {
  useFakeRetryTime();

  it('many concurrent callers open it, attempts stop while it is open, and it closes once the dependency is back', async () => {
    const dependency = new Dependency();
    const registry = new ResilienceRegistry();
    const states: string[] = [];
    registry.breakers.watchRecovery(['db'], { check: () => dependency.up, intervalMs: 100 });
    const options: RetryOptions = { operationName: 'db', maxRetries: 3, baseDelayMs: 50, circuitBreakerThreshold: 5, circuitBreakerResetMs: 250, circuitBreakerMaxResetMs: 2_000, registry };
    const run = () => executeWithRetry(dependency.call, undefined, options);

    // 10 s of outage at 100 calls per 100 ms.
    const outage = await arrive(100, 100, 100, run);
    const breaker = registry.breakers.peek('db')!;
    breaker.policy.onStateChange(() => states.push(breaker.state));
    expect(breaker.state).not.toBe('closed');
    expect(outage.ok).toBe(0);
    // Only the calls already in flight when it opened, and a few trials per reset round, reached the dependency.
    expect(outage.circuitOpen).toBeGreaterThan(outage.calls * 0.9);
    expect(dependency.attempts / outage.calls).toBeLessThanOrEqual(1.1);

    dependency.up = true;
    const attemptsBefore = dependency.attempts;
    const recovered = await arrive(20, 100, 100, run);
    expect(states).toContain('closed');
    expect(breaker.state).toBe('closed');
    // The recovery check runs every 100 ms: at most the first tick's calls meet the open breaker.
    expect(recovered.circuitOpen).toBeLessThanOrEqual(100);
    expect(recovered.ok).toBe(recovered.calls - recovered.circuitOpen);
    expect(dependency.attempts - attemptsBefore).toBe(recovered.ok);
  });
});
