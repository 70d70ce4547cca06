import { randomUUID } from 'node:crypto';
import { waitFor } from '@tools/test-harness';
import { Client } from 'pg';
import { ApiKeyRepository } from '../../postgress/repositories/apiKey';
import { SessionRepository } from '../../postgress/repositories/session';
import { SECURITY_CACHE_TAGS } from '../../postgress/repositories/cacheTags';
import { UserRepository } from '../../postgress/repositories/user';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { ResilientCacheService } from '../cache.service';
import type { InvalidationEvent } from '../invalidationEvent';
import { decodeChangeMessage } from './changeMessage';

const hour = 3_600_000;
/** Nothing listens here: the Redis bus of these caches is down from the start. */
const REDIS_DOWN = 'redis://127.0.0.1:1';

/** Waits (with a deadline) until `check` holds; throws its last failure otherwise. */
const until = (check: () => Promise<boolean> | boolean, what: string) =>
  waitFor(async () => {
    if (!(await check())) throw new Error('not yet');
  }, 10_000, what);

describe('the Postgres invalidation bus (real Postgres, Redis down)', () => {
  let t: MigratedTestDatabase;
  let channel: string;
  let caches: ResilientCacheService[];
  let listener: Client;
  const notified: string[] = [];

  const cacheOn = (options: { pgUrl?: string | null; untrustedL1Ms?: number } = {}) => {
    const cache = new ResilientCacheService({
      redis: REDIS_DOWN,
      ...(options.pgUrl === null ? {} : { postgresBus: { connectionString: options.pgUrl ?? t.database.url, channel, reconnectMinMs: 20, reconnectMaxMs: 100 } }),
      securityTags: SECURITY_CACHE_TAGS,
      // Long enough that only a bus message (not the L1 bound) can explain a drop.
      untrustedL1Ms: options.untrustedL1Ms ?? 60_000,
      resources: { session: { ttlMs: hour }, user: { ttlMs: hour } },
    });
    caches.push(cache);
    return cache;
  };
  const events = (cache: ResilientCacheService) => {
    const seen: InvalidationEvent[] = [];
    cache.onInvalidation((event) => seen.push(event));
    return seen;
  };

  beforeAll(async () => {
    t = await migratedTestDatabase('pgbus');
    listener = new Client({ connectionString: t.database.url });
    await listener.connect();
  });
  beforeEach(async () => {
    channel = `bus_${randomUUID().replace(/-/g, '')}`;
    caches = [];
    notified.length = 0;
    listener.removeAllListeners('notification');
    listener.on('notification', (n) => n.channel === channel && notified.push(n.payload ?? ''));
    await listener.query(`LISTEN ${channel}`);
  });
  afterEach(async () => {
    await Promise.all(caches.map((c) => c.close()));
  });
  afterAll(async () => {
    await listener.end();
    await t.close();
  });

  const sessionsOf = (cache: ResilientCacheService) => new SessionRepository({ db: t.client, cache, notifyChannel: channel });
  const usersOf = (cache: ResilientCacheService) => new UserRepository({ db: t.client, cache, notifyChannel: channel });
  const newSession = async (sessions: SessionRepository) => {
    const user = await new UserRepository({ db: t.client }).create({ email: `${randomUUID()}@example.com` });
    const token = `tok_${randomUUID()}`;
    return { session: await sessions.create({ userId: user.id, token, expiresAt: new Date(Date.now() + hour) }), token, user };
  };
  const sessionIdsNotified = () => notified.flatMap((text) => decodeChangeMessage(text)?.events ?? []).flatMap((e) => (e.kind === 'session-changed' ? [e.id] : []));

  it('NOTIFY goes out when the write commits and never when it rolls back', async () => {
    const sessions = sessionsOf(cacheOn());
    const rolledBack = await newSession(sessions);
    const committed = await newSession(sessions);
    await expect(
      sessions.transaction(async (repo) => {
        await repo.end(rolledBack.session.id, { reason: 'revoked' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await sessions.end(committed.session.id, { reason: 'revoked' });
    // Notifications arrive in commit order: once the later commit's is here, the earlier one would be too.
    await until(() => sessionIdsNotified().includes(committed.session.id), 'the committed end is notified');
    expect(sessionIdsNotified()).not.toContain(rolledBack.session.id);
    expect(await sessions.findActiveByToken(rolledBack.token)).not.toBeNull();
  });

  it("instance B drops its L1 entry on instance A's NOTIFY while Redis is down, and its listeners get the typed event", async () => {
    const a = cacheOn();
    const b = cacheOn();
    await until(() => a.postgresBusHealthy === true && b.postgresBusHealthy === true, 'both listeners up');
    const seenOnB = events(b);
    const { session, token, user } = await newSession(sessionsOf(a));
    const onB = sessionsOf(b);
    expect(await onB.findActiveByToken(token)).not.toBeNull(); // now in B's L1
    expect(await usersOf(b).findById(user.id)).toMatchObject({ status: 'ACTIVE' });

    await sessionsOf(a).end(session.id, { reason: 'banned' });
    await usersOf(a).batchUpdateStatus([user.id], 'BANNED' as never, 'admin', 'test');

    await until(async () => (await onB.findActiveByToken(token)) === null, 'B sees the session ended');
    await until(async () => (await usersOf(b).findById(user.id))?.status === 'BANNED', 'B sees the ban');
    expect(seenOnB).toEqual(expect.arrayContaining([{ kind: 'session-changed', id: session.id }, { kind: 'user-changed', id: user.id }]));
  });

  it('a key revoked inside a rotation (a nested write in a transaction) is notified with the commit and dropped from the cache', async () => {
    const cache = cacheOn();
    const keys = new ApiKeyRepository({ db: t.client, cache, notifyChannel: channel });
    const { user } = await newSession(sessionsOf(cache));
    const { plainKey, apiKey } = await keys.createKey({ name: 'k', userId: user.id, scopes: [] } as never);
    expect((await keys.findPresented(plainKey)).apiKey).toMatchObject({ id: apiKey.id, isActive: true }); // now in L1
    await keys.rotate(apiKey.id, user.id);
    // The cached row was dropped with the commit: the old key reads back revoked.
    expect((await keys.findPresented(plainKey)).apiKey).toMatchObject({ id: apiKey.id, status: 'REVOKED', isActive: false });
    const keyIds = () => notified.flatMap((text) => decodeChangeMessage(text)?.events ?? []).flatMap((e) => (e.kind === 'key-changed' ? [e.id] : []));
    await until(() => keyIds().includes(apiKey.id), 'the revocation is notified');
  });

  it('after its listener connection drops, B drops the security-relevant L1 entries (and keeps the others)', async () => {
    const b = cacheOn();
    await until(() => b.postgresBusHealthy === true, 'listener up');
    const seenOnB = events(b);
    const { user } = await newSession(sessionsOf(b));
    const users = usersOf(b);
    expect(await users.findById(user.id)).toMatchObject({ name: user.name });
    await b.set('unrelated', 1);
    // Changed behind the repositories' back (no NOTIFY): only the reconnect rule can make B re-read it.
    await t.client.prisma.$executeRaw`UPDATE "User" SET "name" = 'renamed' WHERE "id" = ${user.id}`;
    expect(await users.findById(user.id)).toMatchObject({ name: user.name });

    await t.client.prisma.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'libs-database-cache-bus' AND datname = current_database()`;
    await until(() => seenOnB.some((e) => e.kind === 'may-have-missed'), 'B reports may-have-missed after listening again');
    expect(b.postgresBusHealthy).toBe(true);
    expect(await users.findById(user.id)).toMatchObject({ name: 'renamed' });
    expect(await b.get('unrelated')).toBe(1);
  });

  it('while no bus can carry changes (Redis down, no Postgres bus), security-relevant L1 entries are trusted only briefly (the L1 bound)', async () => {
    const b = cacheOn({ pgUrl: null, untrustedL1Ms: 100 });
    const { user } = await newSession(sessionsOf(cacheOn()));
    const users = usersOf(b);
    expect(await users.findById(user.id)).toMatchObject({ name: user.name });
    await b.set('unrelated', 1);
    await t.client.prisma.$executeRaw`UPDATE "User" SET "name" = 'bounded' WHERE "id" = ${user.id}`;
    await until(async () => (await users.findById(user.id))?.name === 'bounded', 'B re-reads the user once the bound passed');
    expect(await b.get('unrelated')).toBe(1);
  });

  it('Postgres out of reach of the bus is not a reason to drop entries: nothing can be written there (cached answers keep serving)', async () => {
    const b = cacheOn({ pgUrl: 'postgresql://u:p@127.0.0.1:1/none', untrustedL1Ms: 50 });
    const { user } = await newSession(sessionsOf(cacheOn()));
    const users = usersOf(b);
    expect(await users.findById(user.id)).toMatchObject({ name: user.name });
    // The bus has tried (and failed) to connect, and the bound has been evaluated many times since.
    await until(async () => b.postgresBusHealthy === false, 'the bus to have tried');
    const checks = Date.now() + 500;
    await until(async () => Date.now() > checks, 'several bound periods');
    await t.client.prisma.$executeRaw`UPDATE "User" SET "name" = 'unseen' WHERE "id" = ${user.id}`;
    expect(await users.findById(user.id)).toMatchObject({ name: user.name });
  });
});
