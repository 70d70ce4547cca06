import type { SecondaryStorage } from 'better-auth';
import type { ICache } from '@libs/database/cache';

/** Decides whether a session Better-Auth kept in secondary storage may still be used. */
export type StoredSessionGuard = (token: string, userId: string) => Promise<boolean>;

interface StoredSession {
  session?: { token?: unknown; userId?: unknown };
}

function storedSession(value: string): { token: string; userId: string } | undefined {
  if (!value.startsWith('{"session"')) return undefined;
  try {
    const parsed = JSON.parse(value) as StoredSession;
    const { token, userId } = parsed.session ?? {};
    return typeof token === 'string' && typeof userId === 'string' ? { token, userId } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Better-Auth's `secondaryStorage` on our two-layer cache (L1 memory + Redis L2, invalidation
 * bus). Better-Auth keeps `{ session, user }` snapshots there and would trust them until they
 * expire, so a ban or a revocation made through the repositories would go unseen: every session
 * snapshot read here is re-checked by `guard` (a live session of an ACTIVE user, both from the
 * repositories' cache, invalidated on every instance). Sessions and verification values stay in
 * Postgres too (`storeSessionInDatabase`, `verification.storeInDatabase`). `getAndDelete` and
 * `increment` are atomic on the cache (`take`, `increment`), across instances sharing Redis.
 */
export function cacheSecondaryStorage(cache: ICache, guard: StoredSessionGuard): SecondaryStorage {
  const checked = async (value: unknown): Promise<string | null> => {
    if (typeof value !== 'string') return null;
    const session = storedSession(value);
    if (session && !(await guard(session.token, session.userId))) return null;
    return value;
  };
  const get = async (key: string): Promise<string | null> => checked(await cache.get<string>(key));
  return {
    get,
    set: async (key, value, ttl) => {
      await cache.set(key, value, ttl ? { ttlMs: ttl * 1_000 } : { resource: 'session' });
    },
    delete: async (key) => {
      await cache.delete(key);
    },
    // Atomic on the cache (Redis GETDEL semantics across instances): one caller gets the value.
    getAndDelete: async (key) => checked(await cache.take<string>(key)),
    // The TTL is set when the counter is created, never extended (Better-Auth's fixed window).
    increment: (key, ttl) => cache.increment(key, ttl * 1_000),
  };
}
