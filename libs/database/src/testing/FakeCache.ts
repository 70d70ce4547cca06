import type { CacheSetOptions, GetOrSetOptions, ICache } from '../cache/ICache';

/**
 * Test-only in-memory ICache that stores JSON text like the real two-layer cache does, so
 * Dates come back as strings and callers must revive them.
 */
export class FakeCache implements ICache {
  readonly #entries = new Map<string, { json: string; tags: string[] }>();
  readonly #counters = new Map<string, { n: number; expiresAt: number }>();
  readonly #prefix: string;
  readonly #root: FakeCache;
  loads = 0;

  constructor(prefix = '', root?: FakeCache) {
    this.#prefix = prefix;
    this.#root = root ?? this;
  }
  #map() {
    return this.#root.#entries;
  }
  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.#map().get(this.#prefix + key);
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }
  async set<T>(key: string, value: T, options: CacheSetOptions = {}): Promise<void> {
    this.#map().set(this.#prefix + key, { json: JSON.stringify(value), tags: options.tags ?? [] });
  }
  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.#map().delete(this.#prefix + key);
  }
  async has(key: string): Promise<boolean> {
    return this.#map().has(this.#prefix + key);
  }
  async getOrSet<T>(key: string, loader: () => Promise<T>, options: GetOrSetOptions = {}): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    this.#root.loads++;
    const value = await loader();
    if (value !== undefined) await this.set(key, value, options);
    return value;
  }
  async mget<T>(keys: string[]): Promise<Array<T | undefined>> {
    return Promise.all(keys.map((k) => this.get<T>(k)));
  }
  async take<T>(key: string): Promise<T | undefined> {
    const entry = this.#map().get(this.#prefix + key);
    this.#map().delete(this.#prefix + key);
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }
  async increment(key: string, ttlMs: number): Promise<number> {
    const counters = this.#root.#counters;
    const now = Date.now();
    const current = counters.get(this.#prefix + key);
    const next = current && now < current.expiresAt ? { ...current, n: current.n + 1 } : { n: 1, expiresAt: now + ttlMs };
    counters.set(this.#prefix + key, next);
    return next.n;
  }
  async invalidateTags(tags: string[]): Promise<void> {
    for (const [key, entry] of this.#map()) if (entry.tags.some((t) => tags.includes(t))) this.#map().delete(key);
  }
  async invalidatePrefix(prefix: string): Promise<void> {
    for (const key of [...this.#map().keys()]) if (key.startsWith(this.#prefix + prefix)) this.#map().delete(key);
  }
  async clear(): Promise<void> {
    this.#map().clear();
  }
  namespace(name: string): ICache {
    return new FakeCache(`${this.#prefix}${name}:`, this.#root);
  }
  keys(): string[] {
    return [...this.#map().keys()];
  }
}
