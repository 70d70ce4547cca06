/** Settings of a retry budget. */
export interface RetryBudgetOptions {
  /**
   * Retries allowed as a fraction of calls in the window: 0.1 lets 1 call in 10 be retried
   * once, so a dead dependency sees at most ~1.1× the normal load, not (1 + maxRetries)×.
   * @default 0.1
   */
  ratio?: number;
  /**
   * Floor so low-traffic callers can still retry: this many retries per second of window are
   * always allowed on top of the ratio.
   * @default 10
   */
  minRetriesPerSecond?: number;
  /**
   * Sliding window over which calls and retries are counted.
   * @default 10_000
   */
  windowMs?: number;
}

export const DEFAULT_RETRY_BUDGET_OPTIONS: Required<RetryBudgetOptions> = {
  ratio: 0.1,
  minRetriesPerSecond: 10,
  windowMs: 10_000,
};

const BUCKETS = 10;

/**
 * Finagle/gRPC-style retry budget: counts calls and retries in a sliding window (10 buckets)
 * and allows a retry only while `retries < ratio × calls + minRetriesPerSecond × window`.
 * O(1) per call, no timers, no allocation after construction.
 */
export class RetryBudget {
  readonly ratio: number;
  readonly minRetriesPerSecond: number;
  readonly windowMs: number;
  readonly #bucketMs: number;
  readonly #floor: number;
  readonly #calls = new Float64Array(BUCKETS);
  readonly #retries = new Float64Array(BUCKETS);
  #totalCalls = 0;
  #totalRetries = 0;
  #bucket = -1; // absolute index (now / bucketMs) of the newest bucket

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = Math.max(0, options.ratio ?? DEFAULT_RETRY_BUDGET_OPTIONS.ratio);
    this.minRetriesPerSecond = Math.max(0, options.minRetriesPerSecond ?? DEFAULT_RETRY_BUDGET_OPTIONS.minRetriesPerSecond);
    this.windowMs = Math.max(BUCKETS, options.windowMs ?? DEFAULT_RETRY_BUDGET_OPTIONS.windowMs);
    this.#bucketMs = this.windowMs / BUCKETS;
    this.#floor = (this.minRetriesPerSecond * this.windowMs) / 1_000;
  }

  /** Counts one call (a first attempt). */
  recordCall(now: number): void {
    this.#calls[this.#advance(now)]++;
    this.#totalCalls++;
  }

  /** Takes one retry from the budget; false when the budget is spent (the retry must not happen). */
  tryRetry(now: number): boolean {
    const slot = this.#advance(now);
    if (this.#totalRetries + 1 > this.ratio * this.#totalCalls + this.#floor) return false;
    this.#retries[slot]++;
    this.#totalRetries++;
    return true;
  }

  /** Calls and retries currently in the window. */
  snapshot(now: number): { calls: number; retries: number; allowed: number } {
    this.#advance(now);
    return { calls: this.#totalCalls, retries: this.#totalRetries, allowed: Math.floor(this.ratio * this.#totalCalls + this.#floor) };
  }

  #advance(now: number): number {
    const bucket = Math.floor(now / this.#bucketMs);
    if (bucket !== this.#bucket) {
      if (bucket < this.#bucket) return this.#slot(this.#bucket); // clock went back: use the newest bucket
      const expired = this.#bucket < 0 ? BUCKETS : Math.min(BUCKETS, bucket - this.#bucket);
      for (let i = 1; i <= expired; i++) {
        const slot = this.#slot(this.#bucket + i);
        this.#totalCalls -= this.#calls[slot];
        this.#totalRetries -= this.#retries[slot];
        this.#calls[slot] = 0;
        this.#retries[slot] = 0;
      }
      this.#bucket = bucket;
    }
    return this.#slot(bucket);
  }

  #slot(bucket: number): number {
    return ((bucket % BUCKETS) + BUCKETS) % BUCKETS;
  }
}
