/** How one circuit breaker opens and recovers. */
export interface BreakerOptions {
  /**
   * Consecutive retryable failures that open it.
   * @default 5
   */
  threshold?: number;
  /**
   * Wait of a freshly opened breaker before it lets half-open trials through. Each failed trial
   * round doubles the wait, up to `maxResetMs`; closing starts over. Short, because a breaker
   * that waits longer than the outage holds traffic off a dependency that is healthy again, and
   * the doubling already keeps a long outage from seeing more than a few trials.
   * @default 1_000
   */
  resetMs?: number;
  /**
   * Longest wait between trial rounds of a breaker whose trials keep failing. Never below `resetMs`.
   * @default 30_000
   */
  maxResetMs?: number;
  /**
   * Calls let through at once while half-open; it closes once all of them succeed and reopens on
   * the first failure. More than one, so recovery is not serialised behind a single probe;
   * further callers wait for the verdict.
   * @default 3
   */
  halfOpenCalls?: number;
}

export const defaultBreakerOptions: Readonly<Required<BreakerOptions>> = Object.freeze({
  threshold: 5,
  resetMs: 1_000,
  maxResetMs: 30_000,
  halfOpenCalls: 3,
});

/** `options` over the defaults, clamped to what cockatiel accepts. */
export function resolveBreakerOptions(options: BreakerOptions = {}): Readonly<Required<BreakerOptions>> {
  const resetMs = Math.max(0, options.resetMs ?? defaultBreakerOptions.resetMs);
  return {
    threshold: Math.max(1, Math.floor(options.threshold ?? defaultBreakerOptions.threshold)),
    resetMs,
    maxResetMs: Math.max(resetMs, options.maxResetMs ?? defaultBreakerOptions.maxResetMs),
    halfOpenCalls: Math.max(1, Math.floor(options.halfOpenCalls ?? defaultBreakerOptions.halfOpenCalls)),
  };
}

const same = (a: BreakerOptions, b: BreakerOptions): boolean =>
  a.threshold === b.threshold && a.resetMs === b.resetMs && a.maxResetMs === b.maxResetMs && a.halfOpenCalls === b.halfOpenCalls;

/**
 * Whether `requested` resolves to `resolved` (a second caller asking for other settings gets a
 * warning). Runs on every call: the usual case, the same numbers, is decided without allocating.
 */
export function sameBreakerOptions(resolved: Readonly<Required<BreakerOptions>>, requested: BreakerOptions): boolean {
  return same(resolved, requested) || same(resolved, resolveBreakerOptions(requested));
}
