import type { CacheChange, PreparedChange } from './invalidationEvent';

/** Resource types with their own TTL in the cache configuration. */
export type CacheResource = 'user' | 'session' | 'apiKey' | 'role' | 'permissions' | 'default' | (string & {});

export interface CacheSetOptions {
  /** Time to live in ms; overrides the resource's TTL. */
  ttlMs?: number;
  /** Resource type whose configured TTL applies. @default 'default' */
  resource?: CacheResource;
  /** Tags for group invalidation (`invalidateTags`). */
  tags?: string[];
  /** How long past expiry a value may still be served when the loader or Redis fails. @default the resource's, else CacheOptions.staleIfErrorMs */
  staleIfErrorMs?: number;
}

export interface GetOrSetOptions extends CacheSetOptions {
  /**
   * TTL for a loader result of `null`/`undefined` (negative caching); 0 disables it.
   * Kept short: the create that makes it wrong also invalidates it.
   */
  negativeTtlMs?: number;
  /**
   * Soft timeout in ms: when a stale value (within its stale window) exists and the loader
   * takes longer than this, the stale value is returned and the loader finishes in the
   * background, refreshing the cache. Without a stale value the caller waits. @default undefined (wait)
   */
  timeoutMs?: number;
  /**
   * Turns a value read back from the cache into what the caller expects (e.g. a Zod parse
   * that revives Dates and checks the shape). Applied once per load, to values from L2 and
   * from the loader (after a serialization round trip, so it sees exactly what L2 holds),
   * never to `null`/`undefined`. L1 keeps the decoded value, so a hit with the same function
   * (same reference: pass a module-level constant, not an inline arrow) does not decode again.
   * A value that fails to decode counts as a miss. @default undefined (values as stored)
   */
  decode?: (value: unknown) => unknown;
}

/**
 * The seed's cache contract (`@libs/database/cache`): memory L1 + Redis L2 behind one
 * interface. `undefined` means "not cached"; `null` is a cacheable value.
 *
 * Values returned may be shared with other callers and deep-frozen (the default L1 mode):
 * treat them as read-only and copy before changing them.
 */
export interface ICache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options?: CacheSetOptions): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  has(key: string): Promise<boolean>;
  /** Returns the cached value or runs `loader` once per instance for concurrent callers. */
  getOrSet<T>(key: string, loader: () => Promise<T>, options?: GetOrSetOptions): Promise<T>;
  mget<T>(keys: string[]): Promise<Array<T | undefined>>;
  /**
   * Reads and removes `key` in one step. Of concurrent callers — on every instance sharing the
   * Redis L2 — exactly one gets the value (one-time tokens, Better-Auth's `getAndDelete`).
   * While Redis is unreachable it holds per instance only.
   */
  take<T>(key: string): Promise<T | undefined>;
  /**
   * Adds one to the counter `key` and returns the new value. A missing counter starts at 1 and
   * expires `ttlMs` after that first increment; later increments never extend it (a fixed
   * window). Shared through Redis when there is one, per instance while it is unreachable.
   * Counters live beside values: `get`, `delete` and invalidations do not see them.
   */
  increment(key: string, ttlMs: number): Promise<number>;
  invalidateTags(tags: string[]): Promise<void>;
  invalidatePrefix(prefix: string): Promise<void>;
  /**
   * Readies a change for announcement (typed events plus the keys and tags they drop): a NOTIFY
   * payload for the writer's transaction and the cache work for after its commit. Optional:
   * without it, writers fall back to `delete` + `invalidateTags`.
   */
  prepareChange?(change: CacheChange): PreparedChange;
  clear(): Promise<void>;
  /** A view whose keys are prefixed with `name:`; shares layers and bus with its parent. */
  namespace(name: string): ICache;
}
