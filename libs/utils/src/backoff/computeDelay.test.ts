import { computeDelay, type BackoffSettings } from './computeDelay';

const settings = (jitter: BackoffSettings['jitter']): BackoffSettings => ({ baseDelayMs: 100, maxDelayMs: 5_000, jitter });

describe('computeDelay', () => {
  it('none: doubles from the base and stops at the max', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 50, 2_000].map((r) => computeDelay(settings('none'), r, 0));
    expect(delays).toEqual([100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]);
  });

  it('full: stays within [0, exponential cap] and uses the whole range', () => {
    for (let retry = 1; retry <= 10; retry++) {
      const cap = Math.min(5_000, 100 * 2 ** (retry - 1));
      expect(computeDelay(settings('full'), retry, 0, () => 0)).toBe(0);
      expect(computeDelay(settings('full'), retry, 0, () => 1 - 1e-12)).toBeCloseTo(cap, 2);
      expect(computeDelay(settings('full'), retry, 0, () => 0.5)).toBeCloseTo(cap / 2, 5);
    }
  });

  it('full: real randomness spreads callers (no two of 100 equal, mean near cap/2)', () => {
    const samples = Array.from({ length: 1_000 }, () => computeDelay(settings('full'), 3, 0));
    expect(new Set(samples.slice(0, 100)).size).toBe(100);
    for (const s of samples) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(400);
    }
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(150);
    expect(mean).toBeLessThan(250);
  });

  it('decorrelated: within [base, min(max, 3 * previous)] and never above max', () => {
    let previous = 0;
    for (let retry = 1; retry <= 30; retry++) {
      const delay = computeDelay(settings('decorrelated'), retry, previous);
      const upper = Math.min(5_000, (previous || 100) * 3);
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(upper);
      previous = delay;
    }
    expect(computeDelay(settings('decorrelated'), 1, 0, () => 0)).toBe(100);
    expect(computeDelay(settings('decorrelated'), 1, 0, () => 1 - 1e-12)).toBeCloseTo(300, 2);
    expect(computeDelay(settings('decorrelated'), 9, 4_000, () => 1 - 1e-12)).toBeCloseTo(5_000, 2);
  });

  it('treats a max below the base as the base and negative values as zero', () => {
    expect(computeDelay({ baseDelayMs: 100, maxDelayMs: 10, jitter: 'none' }, 5, 0)).toBe(100);
    expect(computeDelay({ baseDelayMs: -5, maxDelayMs: 10, jitter: 'none' }, 5, 0)).toBe(0);
  });
});
