import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SecondaryStorage } from 'better-auth';
import { redisStorage } from '@better-auth/redis-storage';
import { harnessRedisUrl } from '@tools/test-harness';

/** The database's word on a stored session (a storage that re-checks sessions asks it). */
export type StoredSessionGuard = (token: string, userId: string) => Promise<boolean>;

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
 * The storages the kit runs against. The app keeps sessions in the repositories' cache and gives
 * Better-Auth no `secondaryStorage`; a cache-backed storage for existing Better-Auth apps is to
 * be built as a library and added here as a target.
 */
export const STORAGE_TARGETS: readonly StorageTarget[] = [reference];
