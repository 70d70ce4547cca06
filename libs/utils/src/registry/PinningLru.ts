import { LRUCache } from 'lru-cache';

/** Options of a `PinningLru`. */
export interface PinningLruOptions<V> {
  /**
   * Most unpinned entries kept; past it the least recently used unpinned one is dropped.
   * @default 1_000
   */
  max?: number;
  /**
   * Entries unused for this long are dropped (unless pinned). Undefined: no expiry.
   * @default undefined
   */
  ttlMs?: number;
  /**
   * An entry that must survive eviction and expiry while this says so: an open breaker (dropping
   * it would silently close it) or a connection with work in flight (dropping it would reset its
   * concurrency count). Asked only when the LRU wants to drop the entry.
   * @default () => false
   */
  isPinned?: (value: V) => boolean;
}

export const defaultPinningLruOptions = { max: 1_000 } as const;

/**
 * An LRU whose eviction and expiry skip pinned entries: they move to a side map and come back
 * into the LRU on their next lookup once no longer pinned. The side map is not bounded — it
 * holds only entries in a state that must not be forgotten (and `delete`/`clear` empty it).
 * Lookups of live entries cost one `LRUCache.get`; the side map is read only on a miss.
 */
export class PinningLru<K extends string, V extends object> {
  readonly #lru: LRUCache<K, V>;
  readonly #pinned = new Map<K, V>();
  readonly #isPinned: (value: V) => boolean;

  constructor(options: PinningLruOptions<V> = {}) {
    this.#isPinned = options.isPinned ?? (() => false);
    const ttl = options.ttlMs === undefined ? undefined : Math.max(1, options.ttlMs);
    this.#lru = new LRUCache<K, V>({
      max: Math.max(1, Math.floor(options.max ?? defaultPinningLruOptions.max)),
      ...(ttl === undefined
        ? {}
        : {
            ttl,
            updateAgeOnGet: true,
            // No purge timer: expired entries go on access or under LRU pressure, so nothing keeps the process alive.
            ttlAutopurge: false,
            // Read the global clock on each call (lru-cache captures it at import otherwise), so a
            // faked clock applies to the TTL too.
            perf: { now: () => performance.now() },
          }),
      dispose: (value, key, reason) => {
        if ((reason === 'evict' || reason === 'expire') && this.#isPinned(value)) this.#pinned.set(key, value);
      },
    });
  }

  /** The entry for `key` (refreshing its recency), or undefined. */
  get(key: K): V | undefined {
    const value = this.#lru.get(key);
    if (value !== undefined) return value;
    return this.#restore(key);
  }

  /** The entry for `key` without refreshing it. */
  peek(key: K): V | undefined {
    const live = this.#lru.peek(key);
    if (live !== undefined) return live;
    // Expired but not yet dropped (that happens on the next `get`): still there if pinned.
    const stale = this.#lru.peek(key, { allowStale: true });
    if (stale !== undefined && this.#isPinned(stale)) return stale;
    return this.#pinned.get(key);
  }

  set(key: K, value: V): void {
    this.#pinned.delete(key);
    this.#lru.set(key, value);
  }

  delete(key: K): boolean {
    const pinned = this.#pinned.delete(key);
    return this.#lru.delete(key) || pinned;
  }

  clear(): void {
    this.#lru.clear();
    this.#pinned.clear();
  }

  /** Entries held, pinned ones included. */
  get size(): number {
    return this.#lru.size + this.#pinned.size;
  }

  /** Every entry (pinned ones after the LRU's, most recent first within each). */
  *entries(): IterableIterator<[K, V]> {
    yield* this.#lru.entries();
    yield* this.#pinned.entries();
  }

  /** A pinned entry asked for again goes back into the LRU once it may be dropped. */
  #restore(key: K): V | undefined {
    const value = this.#pinned.get(key);
    if (value !== undefined && !this.#isPinned(value)) this.set(key, value);
    return value;
  }
}
