/**
 * Backoff with jitter. `full` and `decorrelated` are the two schemes from the AWS
 * architecture blog ("Exponential Backoff And Jitter"): both spread retries of many callers
 * over time so a recovering dependency is not hit by synchronised waves.
 */
export type JitterStrategy = 'full' | 'decorrelated' | 'none';

export interface BackoffSettings {
  /** First retry's (upper bound of the) delay. */
  baseDelayMs: number;
  /** No delay ever exceeds this. */
  maxDelayMs: number;
  jitter: JitterStrategy;
}

/**
 * Delay before retry number `retry` (1 for the first retry).
 * - `none`: `min(max, base * 2^(retry-1))`.
 * - `full`: uniform in `[0, min(max, base * 2^(retry-1))]`.
 * - `decorrelated`: uniform in `[base, min(max, previous * 3)]`, where `previous` is the delay
 *   returned for the previous retry (`base` before the first).
 * `random` returns a number in [0, 1); injected for deterministic tests.
 */
export function computeDelay(
  settings: BackoffSettings,
  retry: number,
  previousDelayMs: number,
  random: () => number = Math.random,
): number {
  const base = Math.max(0, settings.baseDelayMs);
  const max = Math.max(base, settings.maxDelayMs);
  switch (settings.jitter) {
    case 'none':
      return exponential(base, max, retry);
    case 'decorrelated': {
      const previous = previousDelayMs > 0 ? previousDelayMs : base;
      const upper = Math.min(max, previous * 3);
      return Math.min(max, base + random() * Math.max(0, upper - base));
    }
    case 'full':
    default:
      return random() * exponential(base, max, retry);
  }
}

function exponential(base: number, max: number, retry: number): number {
  // 2^retry overflows to Infinity past ~1024; min() keeps it at max either way.
  return Math.min(max, base * 2 ** Math.max(0, retry - 1));
}
