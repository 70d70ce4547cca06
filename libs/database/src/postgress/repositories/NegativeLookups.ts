import { LRUCache } from 'lru-cache';

export interface NegativeLookupOptions {
  /** Identifiers remembered as unknown; the oldest are dropped past this. 0 disables. @default 10_000 */
  max?: number;
  /**
   * How long a miss is remembered. Short: on the instance that creates a key or session the
   * entry is dropped at once; another instance may answer "unknown" for at most this long for
   * an identifier presented *before* it existed (random 256-bit identifiers: only by the client
   * that will receive it). @default 2_000
   */
  ttlMs?: number;
  /** Clock in ms (tests). @default performance.now */
  now?: () => number;
}

export const DEFAULT_NEGATIVE_LOOKUP_OPTIONS = { max: 10_000, ttlMs: 2_000 } as const;

/**
 * Identifiers (API-key ids, session-token digests) recently looked up and not found, kept in
 * process and apart from the L1/L2 cache: a flood of random credentials costs one Postgres read
 * per distinct identifier per `ttlMs`, and cannot evict the cached sessions and keys real
 * callers use. Bounded in entries and time.
 */
export class NegativeLookups {
  readonly #misses: LRUCache<string, true> | undefined;

  constructor(options: NegativeLookupOptions = {}) {
    const { max, ttlMs, now } = { ...DEFAULT_NEGATIVE_LOOKUP_OPTIONS, ...options };
    this.#misses = max > 0 && ttlMs > 0 ? new LRUCache<string, true>({ max, ttl: ttlMs, ttlAutopurge: false, ttlResolution: 0, ...(now ? { perf: { now } } : {}) }) : undefined;
  }

  /** Known not to exist (looked up and missed within `ttlMs`). */
  has(identifier: string): boolean {
    return this.#misses?.get(identifier) === true;
  }

  /** Records a miss. */
  add(identifier: string): void {
    this.#misses?.set(identifier, true);
  }

  /** Forgets a miss: the identifier was just created. */
  delete(identifier: string): void {
    this.#misses?.delete(identifier);
  }

  get size(): number {
    return this.#misses?.size ?? 0;
  }
}
