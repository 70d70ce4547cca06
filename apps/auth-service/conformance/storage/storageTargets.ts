import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SecondaryStorage } from 'better-auth';
import { redisStorage } from '@better-auth/redis-storage';
import { cacheSecondaryStorage, type StoredSessionGuard } from '@libs/better-auth';
import { ResilientCacheService } from '@libs/database/cache';
import { harnessRedisUrl } from '@tools/test-harness';

export type { StoredSessionGuard };

/** Two storages on one backing store (two app instances), and how to close them. */
export interface StoragePair {
  a: SecondaryStorage;
  b: SecondaryStorage;
  close(): Promise<void>;
}

export interface StorageTarget {
  name: string;
  /** Whether two instances share their data (two memory-only instances know nothing of each other). */
  shared: boolean;
  /** Builds a fresh pair; `guard` is the database's word on a stored session. */
  open(guard: StoredSessionGuard): Promise<StoragePair>;
  /** Kit tests this target is known to fail, with why (run as expected failures and reported). */
  knownFailures?: Readonly<Record<string, string>>;
}

type CacheMode = 'l1' | 'l1+l2' | 'l2';

/** `@libs/better-auth`'s `cacheSecondaryStorage` over `ResilientCacheService`, in each cache mode. */
function ours(mode: CacheMode): StorageTarget {
  return {
    name: `@libs/better-auth cacheSecondaryStorage (${mode})`,
    shared: mode !== 'l1',
    async open(guard) {
      const prefix = `kit-${randomBytes(4).toString('hex')}`;
      const make = async () => {
        const cache = new ResilientCacheService({ prefix, ...(mode === 'l1' ? {} : { redis: harnessRedisUrl() }), ...(mode === 'l2' ? { memory: false } : {}) });
        if (mode !== 'l1') await cache.ready();
        return cache;
      };
      const caches = [await make(), await make()];
      const [a, b] = caches.map((cache) => cacheSecondaryStorage(cache.namespace('better-auth'), guard));
      return { a, b, close: async () => void (await Promise.all(caches.map((c) => c.close()))) };
    },
  };
}

/** The reference: `@better-auth/redis-storage` 1.7.5 on the harness Redis. */
const reference: StorageTarget = {
  name: 'reference (@better-auth/redis-storage 1.7.5)',
  shared: true,
  async open() {
    const keyPrefix = `kit-ref-${randomBytes(4).toString('hex')}:`;
    const clients = [new Redis(harnessRedisUrl()), new Redis(harnessRedisUrl())];
    const [a, b] = clients.map((client) => redisStorage({ client, keyPrefix }));
    return { a, b, close: async () => void clients.forEach((c) => c.disconnect()) };
  },
  knownFailures: {
    'revoking a session while it is refreshed leaves it revoked, also in the session list':
      'Better-Auth re-writes the snapshot it read before the revocation; the store trusts it (no database re-check)',
  },
};

/**
 * The storages the kit runs against: the library's cache-backed storage (for existing Better-Auth
 * apps; this app keeps sessions in the repositories' cache and gives Better-Auth none) in its
 * three cache modes, and the reference.
 */
export const STORAGE_TARGETS: readonly StorageTarget[] = [ours('l1'), ours('l1+l2'), ours('l2'), reference];
