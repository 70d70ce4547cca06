import { LRUCache } from 'lru-cache';
import type { Invalidation } from '../bus/busMessage';
import { type CacheEntry, isWithinGrace } from '../cacheEntry';
import { DEFAULT_MEMORY_LAYER_OPTIONS, type MemoryLayerOptions } from '../cacheOptions';
import { deserializeValue, serializeValue } from '../serializer';

/** What L1 stores: the value itself, or its serialized text when `serialize` is on. */
interface Slot {
  text: string | undefined;
  value: unknown;
  expiresAt: number;
  graceUntil: number;
  tags: readonly string[];
  size: number;
}

/**
 * L1: an in-process LRU bounded by entry count and by bytes. Expiry is checked on read
 * (not with lru-cache timers) so a stale entry stays available for stale-if-error until
 * its grace window ends; LRU eviction bounds whatever lingers.
 */
export class MemoryDriver {
  readonly #lru: LRUCache<string, Slot>;
  readonly #serialize: boolean;

  constructor(options: MemoryLayerOptions = {}) {
    const { maxEntries, maxBytes, serialize } = { ...DEFAULT_MEMORY_LAYER_OPTIONS, ...options };
    this.#serialize = serialize;
    this.#lru = new LRUCache<string, Slot>({
      max: maxEntries,
      maxSize: maxBytes,
      // An entry larger than the whole budget is simply not kept in L1.
      maxEntrySize: maxBytes,
      sizeCalculation: (slot) => Math.max(1, slot.size),
    });
  }

  get size(): number {
    return this.#lru.size;
  }

  get calculatedSize(): number {
    return this.#lru.calculatedSize;
  }

  /** The entry (fresh or within grace), or undefined. */
  get<T>(key: string, now = Date.now()): CacheEntry<T> | undefined {
    const slot = this.#lru.get(key);
    if (slot === undefined) return undefined;
    if (now >= slot.graceUntil) {
      this.#lru.delete(key);
      return undefined;
    }
    const value = slot.text === undefined ? slot.value : deserializeValue(slot.text);
    return { value: value as T, expiresAt: slot.expiresAt, graceUntil: slot.graceUntil, tags: slot.tags };
  }

  /**
   * Stores an entry. `serialized` is the value's text when the caller already has it (it
   * is needed for the byte budget either way).
   */
  set(key: string, entry: CacheEntry, serialized?: string): void {
    if (!isWithinGrace(entry)) {
      this.#lru.delete(key);
      return;
    }
    const text = serialized ?? serializeValue(entry.value);
    this.#lru.set(key, {
      text: this.#serialize ? text : undefined,
      value: this.#serialize ? undefined : entry.value,
      expiresAt: entry.expiresAt,
      graceUntil: entry.graceUntil,
      tags: entry.tags,
      size: text.length + key.length,
    });
  }

  delete(keys: readonly string[]): void {
    for (const key of keys) this.#lru.delete(key);
  }

  /** Drops every entry carrying one of `tags`; a linear scan, paid on writes only. */
  deleteByTags(tags: readonly string[]): number {
    const wanted = new Set(tags);
    const doomed: string[] = [];
    for (const [key, slot] of this.#lru.entries()) {
      if (slot.tags.some((tag) => wanted.has(tag))) doomed.push(key);
    }
    this.delete(doomed);
    return doomed.length;
  }

  deleteByPrefix(prefix: string): number {
    const doomed: string[] = [];
    for (const key of this.#lru.keys()) if (key.startsWith(prefix)) doomed.push(key);
    this.delete(doomed);
    return doomed.length;
  }

  clear(): void {
    this.#lru.clear();
  }

  /** Applies an invalidation (from this instance or the bus). */
  apply(what: Invalidation): void {
    switch (what.type) {
      case 'keys':
        this.delete(what.keys);
        break;
      case 'tags':
        this.deleteByTags(what.tags);
        break;
      case 'prefix':
        this.deleteByPrefix(what.prefix);
        break;
      case 'clear':
        this.clear();
        break;
    }
  }
}
