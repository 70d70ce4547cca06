import { LRUCache } from 'lru-cache';
import type { Invalidation } from '../bus/busMessage';
import { type CacheEntry, type Decoder, isWithinGrace } from '../cacheEntry';
import { DEFAULT_MEMORY_LAYER_OPTIONS, type MemoryLayerOptions } from '../cacheOptions';
import { deepFreeze } from '../freeze';
import { deserializeValue, serializeValue } from '../serializer';

/** What L1 stores: the (frozen, decoded) value itself, or its serialized text when `serialize` is on. */
interface Slot extends CacheEntry {
  text: string | undefined;
  size: number;
}

/** How L1 keeps values (see `MemoryLayerOptions.serialize` / `freeze`). */
export type MemoryMode = 'frozen' | 'serialized' | 'shared';

/**
 * L1: an in-process LRU bounded by entry count and by bytes. Expiry is checked on read
 * (not with lru-cache timers) so a stale entry stays available for stale-if-error until
 * its grace window ends; LRU eviction bounds whatever lingers.
 *
 * In the default `frozen` mode a hit returns the stored slot as is: no copy, no parse, no
 * allocation. The value was deep-frozen once, when it entered.
 */
export class MemoryDriver {
  readonly #lru: LRUCache<string, Slot>;
  readonly mode: MemoryMode;

  constructor(options: MemoryLayerOptions = {}) {
    const { maxEntries, maxBytes, serialize, freeze } = { ...DEFAULT_MEMORY_LAYER_OPTIONS, ...options };
    this.mode = serialize ? 'serialized' : freeze ? 'frozen' : 'shared';
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

  /**
   * The entry (fresh or within grace), or undefined. Treat it as read-only: outside the
   * `serialized` mode it is the stored slot itself.
   */
  get<T>(key: string, now = Date.now()): CacheEntry<T> | undefined {
    const slot = this.#lru.get(key);
    if (slot === undefined) return undefined;
    if (now >= slot.graceUntil) {
      this.#lru.delete(key);
      return undefined;
    }
    if (slot.text === undefined) return slot as CacheEntry<T>;
    return { value: deserializeValue(slot.text) as T, expiresAt: slot.expiresAt, graceUntil: slot.graceUntil, tags: slot.tags };
  }

  /** What a caller may be handed for `value` in this mode (frozen in `frozen` mode). */
  protect<T>(value: T): T {
    return this.mode === 'frozen' ? deepFreeze(value) : value;
  }

  /**
   * Stores an entry and returns its value as callers should see it. In `frozen` mode the
   * driver takes ownership of `entry.value` and freezes it in place: pass a private copy.
   * `serialized` is the value's text when the caller already has it (it is needed for the
   * byte budget either way); `decodedBy` is the decoder the value went through.
   */
  set<T>(key: string, entry: CacheEntry<T>, serialized?: string, decodedBy?: Decoder): T {
    const value = this.protect(entry.value);
    if (!isWithinGrace(entry)) {
      this.#lru.delete(key);
      return value;
    }
    const text = serialized ?? serializeValue(entry.value);
    const keepText = this.mode === 'serialized';
    this.#lru.set(key, {
      text: keepText ? text : undefined,
      value: keepText ? undefined : value,
      expiresAt: entry.expiresAt,
      graceUntil: entry.graceUntil,
      tags: entry.tags,
      decodedBy: keepText ? undefined : decodedBy,
      size: text.length + key.length,
    });
    return value;
  }

  /**
   * Replaces the value of an entry returned by `get` with its decoded form, so later hits
   * with the same decoder skip decoding. Returns the entry to use.
   */
  adopt<T>(entry: CacheEntry, value: T, decodedBy: Decoder): CacheEntry<T> {
    const protectedValue = this.protect(value);
    if (this.mode === 'serialized') return { ...entry, value: protectedValue, decodedBy };
    const slot = entry as Slot;
    slot.value = protectedValue;
    slot.decodedBy = decodedBy;
    return slot as CacheEntry<T>;
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
