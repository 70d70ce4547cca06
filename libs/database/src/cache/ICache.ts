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
}

/**
 * The seed's cache contract (`@libs/database/cache`): memory L1 + Redis L2 behind one
 * interface. `undefined` means "not cached"; `null` is a cacheable value.
 */
export interface ICache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options?: CacheSetOptions): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  has(key: string): Promise<boolean>;
  /** Returns the cached value or runs `loader` once per instance for concurrent callers. */
  getOrSet<T>(key: string, loader: () => Promise<T>, options?: GetOrSetOptions): Promise<T>;
  mget<T>(keys: string[]): Promise<Array<T | undefined>>;
  invalidateTags(tags: string[]): Promise<void>;
  invalidatePrefix(prefix: string): Promise<void>;
  clear(): Promise<void>;
  /** A view whose keys are prefixed with `name:`; shares layers and bus with its parent. */
  namespace(name: string): ICache;
}
