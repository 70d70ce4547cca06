import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SecondaryStorage } from 'better-auth';
import { redisStorage } from '@better-auth/redis-storage';
import { ResilientCacheService } from '@libs/database/cache';
import { harnessRedisUrl } from '@tools/test-harness';
import { cacheSecondaryStorage, type StoredSessionGuard } from '../../src/auth/secondaryStorage';

/** Two storages on one backing store (two app instances), and how to close them. */
export interface StoragePair {
  a: SecondaryStorage;
  b: SecondaryStorage;
  close(): Promise<void>;
}

export interface StorageTarget {
  name: string;
  /** Whether two instances share their data (two L1-only instances know nothing of each other). */
  shared: boolean;
  /** Builds a fresh pair; `guard` is the database's word on a stored session (ours re-checks it). */
  open(guard: StoredSessionGuard): Promise<StoragePair>;
  /** Kit tests this target is known to fail, with why (run as expected failures and reported). */
  knownFailures?: Readonly<Record<string, string>>;
}

type CacheMode = 'l1' | 'l1+l2' | 'l2';

/** Ours: `cacheSecondaryStorage` over `ResilientCacheService`, as createAuth builds it. */
function ours(mode: CacheMode): StorageTarget {
  return {
    name: `ours (cacheSecondaryStorage, ${mode})`,
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

/** Better-Auth 1.7.25 itself never writes a session it read from the database back to storage. */
const NO_WRITE_BACK = "Better-Auth 1.7.25's findSession reads the database on a storage miss and does not write the session back";

export const STORAGE_TARGETS: readonly StorageTarget[] = [ours('l1'), ours('l1+l2'), ours('l2'), reference].map((target) => ({
  ...target,
  knownFailures: { ...target.knownFailures, 'a session read through the database fallback is written back to storage': NO_WRITE_BACK },
}));
