import { LRUCache } from 'lru-cache';

/** What a rate limiter answers for one hit. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  count: number;
  limit: number;
  /** Milliseconds until the window resets (Retry-After when refused). */
  resetInMs: number;
}

export interface WindowLimit {
  /** Hits allowed per window. */
  max: number;
  windowMs: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counters in process memory: the L1 of the rate limiter, used alone without
 * Redis and as the fallback while Redis is unreachable. Bounded so junk keys cannot grow it.
 */
export class MemoryWindow {
  readonly #windows: LRUCache<string, Window>;
  readonly #now: () => number;

  constructor(maxKeys = 100_000, now: () => number = Date.now) {
    this.#windows = new LRUCache({ max: maxKeys });
    this.#now = now;
  }

  hit(key: string, limit: WindowLimit): RateLimitDecision {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + limit.windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    return { allowed: window.count <= limit.max, count: window.count, limit: limit.max, resetInMs: window.resetAt - now };
  }

  clear(): void {
    this.#windows.clear();
  }
}
