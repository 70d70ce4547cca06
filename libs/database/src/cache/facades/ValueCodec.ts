import type { CacheEntry, Decoder } from '../cacheEntry';
import type { MemoryDriver } from '../drivers/MemoryDriver';
import type { CacheLogger } from '../logger';
import { deserializeValue } from '../serializer';

/**
 * How values become what callers receive: decoded (`GetOrSetOptions.decode`) once per load and
 * protected as the L1 mode requires (deep-frozen by default). A value that fails to decode is
 * reported and treated as absent, so the caller reloads it instead of failing.
 */
export class ValueCodec {
  readonly #l1: MemoryDriver | undefined;
  readonly #event: (name: string) => void;
  readonly #logger: CacheLogger;

  constructor(l1: MemoryDriver | undefined, event: (name: string) => void, logger: CacheLogger) {
    this.#l1 = l1;
    this.#event = event;
    this.#logger = logger;
  }

  /** What a caller may be handed for a value the cache owns. */
  protect<T>(value: T): T {
    return this.#l1 ? this.#l1.protect(value) : value;
  }

  /** A loader's result as every caller will see it: a private copy of what L2 holds, decoded once. */
  fromText<T>(text: string, decode: Decoder<T> | undefined): T {
    const copy = deserializeValue(text);
    return this.protect(decode ? decode(copy) : (copy as T));
  }

  /** An L1 entry written without this decoder, decoded and kept decoded; undefined (and dropped) when it fails. */
  local<T>(key: string, local: CacheEntry<T>, decode: Decoder<T>): CacheEntry<T> | undefined {
    const l1 = this.#l1 as MemoryDriver;
    try {
      const value = local.value === null || local.value === undefined ? local.value : decode(local.value);
      return l1.adopt(local, value, decode);
    } catch (error) {
      this.#failed(error);
      l1.delete([key]);
      return undefined;
    }
  }

  /** An L2 entry with its value decoded and protected, or undefined when it does not decode. */
  remote<T>(remote: CacheEntry<T>, decode: Decoder<T> | undefined): CacheEntry<T> | undefined {
    if (decode === undefined || remote.value === null || remote.value === undefined) return { ...remote, value: this.protect(remote.value) };
    try {
      return { ...remote, value: this.protect(decode(remote.value)) };
    } catch (error) {
      this.#failed(error);
      return undefined;
    }
  }

  #failed(error: unknown): void {
    // Typically a cached shape from an older release: reload rather than fail the read.
    this.#event('cache.decode_error');
    this.#logger.warn?.({ err: (error as Error)?.name }, 'cache: cached value failed to decode; reloading');
  }
}
