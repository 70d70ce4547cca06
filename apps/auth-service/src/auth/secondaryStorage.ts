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
 * Postgres too (`storeSessionInDatabase`, `verification.storeInDatabase`), so one-time tokens
 * are consumed atomically by the database, never by this non-atomic `getAndDelete`.
 */
export function cacheSecondaryStorage(cache: ICache, guard: StoredSessionGuard): SecondaryStorage {
  const get = async (key: string): Promise<string | null> => {
    const value = await cache.get<string>(key);
    if (typeof value !== 'string') return null;
    const session = storedSession(value);
    if (session && !(await guard(session.token, session.userId))) return null;
    return value;
  };
  return {
    get,
    set: async (key, value, ttl) => {
      await cache.set(key, value, ttl ? { ttlMs: ttl * 1_000 } : { resource: 'session' });
    },
    delete: async (key) => {
      await cache.delete(key);
    },
    getAndDelete: async (key) => {
      const value = await get(key);
      await cache.delete(key);
      return value;
    },
    increment: async (key, ttl) => {
      const current = Number(await cache.get<string>(key)) || 0;
      await cache.set(key, String(current + 1), { ttlMs: ttl * 1_000 });
      return current + 1;
    },
  };
}
