import { randomUUID } from 'node:crypto';
import { encodeChangeMessage } from './bus/changeMessage';
import type { CacheCore } from './CacheCore';
import { CacheError, CacheErrorCodes } from './errors/CacheError';
import type { CacheSetOptions, GetOrSetOptions, ICache } from './ICache';
import type { CacheChange, PreparedChange } from './invalidationEvent';

const NO_TAGS: readonly string[] = Object.freeze([]);

const invalidKey = () => new CacheError(CacheErrorCodes.INVALID_KEY, 'cache keys must be non-empty strings');

function checkKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalidKey();
  }
  return key;
}

/**
 * An `ICache` view whose keys and tags are prefixed with `<name>:`. Views share the core
 * (layers, bus, in-flight loads); `clear()` on a view clears only its prefix.
 */
export class CacheNamespace implements ICache {
  protected readonly core: CacheCore;
  readonly #prefix: string;

  constructor(core: CacheCore, prefix: string) {
    this.core = core;
    this.#prefix = prefix;
  }

  /** The key prefix of this view (`''` for the root). */
  get prefix(): string {
    return this.#prefix;
  }

  get<T>(key: string): Promise<T | undefined> {
    // Not `async` (hot path): invalid keys still reject rather than throw.
    if (typeof key !== 'string' || key.length === 0) return Promise.reject(invalidKey());
    return this.core.get<T>(this.#prefix + key);
  }

  async set<T>(key: string, value: T, options?: CacheSetOptions): Promise<void> {
    return this.core.set(this.#prefix + checkKey(key), value, options, this.#tags(options?.tags));
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length) await this.core.invalidate({ type: 'keys', keys: keys.map((k) => this.#prefix + checkKey(k)) });
  }

  async has(key: string): Promise<boolean> {
    return this.core.has(this.#prefix + checkKey(key));
  }

  getOrSet<T>(key: string, loader: () => Promise<T>, options?: GetOrSetOptions): Promise<T> {
    if (typeof key !== 'string' || key.length === 0) return Promise.reject(invalidKey());
    return this.core.getOrSet(this.#prefix + key, loader, options, this.#tags(options?.tags));
  }

  async mget<T>(keys: string[]): Promise<Array<T | undefined>> {
    return this.core.mget<T>(keys.map((k) => this.#prefix + checkKey(k)));
  }

  async take<T>(key: string): Promise<T | undefined> {
    return this.core.take<T>(this.#prefix + checkKey(key));
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    return this.core.increment(this.#prefix + checkKey(key), ttlMs);
  }

  async invalidateTags(tags: string[]): Promise<void> {
    if (tags.length) await this.core.invalidate({ type: 'tags', tags: [...this.#tags(tags)] });
  }

  /**
   * Makes `change` ready to announce: the NOTIFY payload for the writer's transaction and the
   * work after its commit (keys, then tags with the events, under one message id that the Redis
   * bus message carries too).
   */
  prepareChange(change: CacheChange): PreparedChange {
    const messageId = randomUUID();
    const keys = (change.keys ?? []).map((k) => this.#prefix + checkKey(k));
    const tags = [...this.#tags(change.tags)];
    const events = change.events;
    return {
      payload: encodeChangeMessage({ instanceId: this.core.instanceId, messageId, keys, tags, events }),
      apply: async () => {
        if (keys.length > 0) await this.core.invalidate({ type: 'keys', keys });
        await this.core.invalidate({ type: 'tags', tags, events, messageId });
      },
    };
  }

  async invalidatePrefix(prefix: string): Promise<void> {
    // An empty prefix on the root would be a clear; say so explicitly instead.
    if (this.#prefix + prefix === '') return this.clear();
    await this.core.invalidate({ type: 'prefix', prefix: this.#prefix + prefix });
  }

  clear(): Promise<void> {
    return this.#prefix === '' ? this.core.invalidate({ type: 'clear' }) : this.core.invalidate({ type: 'prefix', prefix: this.#prefix });
  }

  namespace(name: string): CacheNamespace {
    return new CacheNamespace(this.core, `${this.#prefix}${checkKey(name)}:`);
  }

  #tags(tags: readonly string[] | undefined): readonly string[] {
    if (!tags || tags.length === 0) return NO_TAGS;
    return this.#prefix === '' ? tags : tags.map((t) => this.#prefix + t);
  }
}
