import type { CacheOptions } from '../cacheOptions';
import type { ResilientCacheService } from '../cache.service';

/** Builds a fresh, isolated cache for one test (own prefix on a shared Redis). */
export type CacheFactory = (options?: Partial<CacheOptions>) => Promise<ResilientCacheService>;

/** `factory`, with every cache it made closed after each test (call inside a describe). */
export function closingAfterEach(factory: CacheFactory): CacheFactory {
  const open: ResilientCacheService[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  return async (options) => {
    const cache = await factory(options);
    open.push(cache);
    return cache;
  };
}
