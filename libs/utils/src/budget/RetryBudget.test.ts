import { configureRetryBudgets, getRetryBudget, resetCircuitBreakers, resetRetryBudgets, retryBudgetCount } from '../registry/defaultRegistry';
import { executeWithRetry } from '../retry/executeWithRetry';
import { errorWith } from '../testing/errorWith';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { RetryBudget } from './RetryBudget';

describe('RetryBudget', () => {
  it('allows the floor (minRetriesPerSecond × window) with no calls at all', () => {
    const budget = new RetryBudget({ ratio: 0.1, minRetriesPerSecond: 2, windowMs: 5_000 });
    let allowed = 0;
    while (budget.tryRetry(0)) allowed++;
    expect(allowed).toBe(10);
  });

  it('adds ratio × calls on top of the floor', () => {
    const budget = new RetryBudget({ ratio: 0.2, minRetriesPerSecond: 0, windowMs: 10_000 });
    for (let i = 0; i < 100; i++) budget.recordCall(0);
    let allowed = 0;
    while (budget.tryRetry(0)) allowed++;
    expect(allowed).toBe(20);
    expect(budget.snapshot(0)).toEqual({ calls: 100, retries: 20, allowed: 20 });
  });

  it('forgets calls and retries that slid out of the window', () => {
    const budget = new RetryBudget({ ratio: 0.5, minRetriesPerSecond: 0, windowMs: 1_000 });
    for (let i = 0; i < 10; i++) budget.recordCall(0);
    for (let i = 0; i < 5; i++) expect(budget.tryRetry(0)).toBe(true);
    expect(budget.tryRetry(500)).toBe(false);
    // at 1,000 ms the bucket of t=0 has expired: nothing counted, nothing allowed
    expect(budget.snapshot(1_000)).toEqual({ calls: 0, retries: 0, allowed: 0 });
    for (let i = 0; i < 4; i++) budget.recordCall(1_050);
    expect(budget.tryRetry(1_050)).toBe(true);
    expect(budget.tryRetry(1_050)).toBe(true);
    expect(budget.tryRetry(1_050)).toBe(false);
  });

  it('expires bucket by bucket (10 buckets per window)', () => {
    const budget = new RetryBudget({ ratio: 1, minRetriesPerSecond: 0, windowMs: 1_000 });
    budget.recordCall(0);
    budget.recordCall(450);
    expect(budget.snapshot(999).calls).toBe(2);
    expect(budget.snapshot(1_000).calls).toBe(1);
    expect(budget.snapshot(1_450).calls).toBe(0);
  });

  it('tolerates a clock that goes backwards', () => {
    const budget = new RetryBudget({ ratio: 1, minRetriesPerSecond: 0, windowMs: 1_000 });
    budget.recordCall(5_000);
    budget.recordCall(4_000);
    expect(budget.snapshot(5_000).calls).toBe(2);
  });

  it('the registry shares a budget per key and is bounded', () => {
    resetRetryBudgets();
    expect(getRetryBudget('a', {})).toBe(getRetryBudget('a', { ratio: 0.5 }));
    configureRetryBudgets({ maxBudgets: 10 });
    for (let i = 0; i < 1_000; i++) getRetryBudget(`k${i}`, {});
    expect(retryBudgetCount()).toBe(10);
    configureRetryBudgets();
  });
});

describe('retry budget in executeWithRetry', () => {
  beforeEach(() => {
    resetCircuitBreakers();
    resetRetryBudgets();
  });

  async function attemptsPerCall(calls: number, retryBudget: false | undefined, metrics?: FakeMetricsCollector): Promise<number> {
    let attempts = 0;
    for (let i = 0; i < calls; i++) {
      await executeWithRetry(
        async () => {
          attempts++;
          throw errorWith({ code: 'ECONNREFUSED' });
        },
        undefined,
        // baseDelayMs 0: no waiting, so the whole run falls into one budget window
        { operationName: 'dead-dependency', enableCircuitBreaker: false, baseDelayMs: 0, maxRetries: 3, retryBudget },
        metrics,
      ).catch(() => undefined);
    }
    return attempts / calls;
  }

  it('1,000 calls against an always-failing dependency make at most 1.1 attempts per call once the budget is spent', async () => {
    const metrics = new FakeMetricsCollector();
    const warmup = await attemptsPerCall(1_000, undefined, metrics); // spends the floor (10/s × 10 s = 100 retries)
    const steady = await attemptsPerCall(1_000, undefined, metrics);
    expect(warmup).toBeLessThanOrEqual(1.2);
    expect(steady).toBeLessThanOrEqual(1.1);
    expect(steady).toBeGreaterThan(1); // the ratio still lets some retries through
    expect(metrics.events['retry.budget_exhausted']).toBeGreaterThan(1_500);
  });

  it('without a budget the same run multiplies load by 1 + maxRetries', async () => {
    expect(await attemptsPerCall(200, false)).toBe(4);
  });

  it('a budget refusal ends the call with RetryExhaustedError reason budget', async () => {
    const error = await executeWithRetry(
      async () => {
        throw errorWith({ code: 'ECONNRESET' });
      },
      undefined,
      { operationName: 'tiny', enableCircuitBreaker: false, baseDelayMs: 0, retryBudget: { ratio: 0, minRetriesPerSecond: 0 } },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RETRY_EXHAUSTED', reason: 'budget', attempts: 1 });
  });
});
