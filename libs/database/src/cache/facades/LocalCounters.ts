import { LRUCache } from 'lru-cache';

/** Counters kept in process (at most this many, least recently used dropped first). @default 100_000 */
export const DEFAULT_LOCAL_COUNTERS = 100_000;

/**
 * Fixed-window counters in process: the cache's counters without Redis, and while Redis is
 * unreachable. Read and written in one synchronous step, so increments never interleave.
 */
export class LocalCounters {
  readonly #counters: LRUCache<string, { n: number; expiresAt: number }>;

  constructor(max = DEFAULT_LOCAL_COUNTERS) {
    this.#counters = new LRUCache({ max });
  }

  increment(key: string, ttlMs: number, now = Date.now()): number {
    const current = this.#counters.get(key);
    if (current === undefined || now >= current.expiresAt) {
      this.#counters.set(key, { n: 1, expiresAt: now + ttlMs });
      return 1;
    }
    current.n += 1;
    return current.n;
  }
}
