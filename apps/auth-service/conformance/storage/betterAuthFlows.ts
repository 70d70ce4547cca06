import { betterAuth, type SecondaryStorage } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { kitTest } from './kitTest';
import type { StoragePair, StorageTarget } from './storageTargets';

type MemoryDb = { user: Row[]; session: Row[]; account: Row[]; verification: Row[] };
type Row = Record<string, unknown>;

/** The database's word on a stored session, as the app's guard asks Postgres. */
const liveIn = (db: MemoryDb) => async (token: string, userId: string) =>
  db.session.some((s) => s['token'] === token && s['userId'] === userId && new Date(s['expiresAt'] as Date).getTime() > Date.now());

function makeAuth(db: MemoryDb, secondaryStorage: SecondaryStorage, rateLimit = false) {
  return betterAuth({
    secret: 'storage-kit-secret-that-is-long-enough-0123456789',
    baseURL: 'http://localhost:3000',
    telemetry: { enabled: false },
    logger: { disabled: true },
    database: memoryAdapter(db),
    secondaryStorage,
    session: { storeSessionInDatabase: true },
    rateLimit: { enabled: rateLimit, storage: 'secondary-storage', window: 60, max: 3 },
  });
}

/** A storage whose next `get(key)` pauses after reading until released: a deterministic interleaving. */
function pausable(storage: SecondaryStorage) {
  let armed: { key: string; reached: () => void; released: Promise<void> } | undefined;
  const wrapped: SecondaryStorage = {
    ...storage,
    get: async (key) => {
      const gate = armed?.key === key ? armed : undefined;
      if (gate) armed = undefined;
      const value = await storage.get(key);
      if (gate) {
        gate.reached();
        await gate.released;
      }
      return value;
    },
  };
  const pauseNextGet = (key: string) => {
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    armed = { key, reached, released: new Promise<void>((r) => (release = r)) };
    return { reached: reachedP, release };
  };
  return { storage: wrapped, pauseNextGet };
}

/** Better-Auth 1.7.25's own session and rate-limit flows on the target storage (races reported upstream). */
export function describeBetterAuthFlows(target: StorageTarget): void {
  describe('Better-Auth flows on the storage', () => {
    let db: MemoryDb;
    let pair: StoragePair;
    beforeEach(async () => {
      db = { user: [], session: [], account: [], verification: [] };
      pair = await target.open(liveIn(db));
    });
    afterEach(() => pair.close());

    const signedIn = async (storage: SecondaryStorage) => {
      const ctx = await makeAuth(db, storage).$context;
      const user = await ctx.internalAdapter.createUser({ email: `u${db.user.length}@example.com`, name: 'U', emailVerified: true }, { method: 'admin' });
      const session = await ctx.internalAdapter.createSession(user.id, false);
      return { ctx, user, token: session.token };
    };

    kitTest(target, 'revoking a session while it is refreshed leaves it revoked, also in the session list', async () => {
      const gated = pausable(pair.a);
      const { ctx, user, token } = await signedIn(gated.storage);
      const gate = gated.pauseNextGet(token);
      // The refresh reads the stored session, then the revocation runs to completion, then the refresh writes.
      const refresh = ctx.internalAdapter.updateSession(token, { expiresAt: new Date(Date.now() + 7 * 86_400_000) });
      await gate.reached;
      await ctx.internalAdapter.deleteSession(token);
      gate.release();
      await refresh;
      expect(await ctx.internalAdapter.findSession(token)).toBeNull();
      expect((await ctx.internalAdapter.listSessions(user.id)).map((s) => s.token)).not.toContain(token);
    });

    kitTest(
      target,
      "Better-Auth's secondary-storage rate limit admits exactly max of concurrent requests on two instances",
      async () => {
        const instances = [makeAuth(db, pair.a, true), makeAuth(db, pair.b, true)];
        const request = () => new Request('http://localhost:3000/api/auth/get-session', { headers: { 'x-forwarded-for': '203.0.113.7' } });
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => instances[i % 2].handler(request())));
        const statuses = answers.map((r) => r.status);
        expect(statuses.filter((s) => s === 429)).toHaveLength(7);
        expect(answers.find((r) => r.status === 429)?.headers.get('x-retry-after')).toBeTruthy();
      },
      true,
    );
  });
}
