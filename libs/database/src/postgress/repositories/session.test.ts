import { isRepositoryError } from '../../errors/RepositoryError';
import { FakeCache } from '../../testing/FakeCache';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { AccountRepository } from './account';
import { SessionRepository } from './session';
import { UserRepository } from './user';
import { VerificationRepository } from './verification';

const hour = 3_600_000;
const token = (n: string) => `tok_${n}_${'x'.repeat(24)}`;

describe('SessionRepository', () => {
  let t: MigratedTestDatabase;
  let sessions: SessionRepository;
  let cache: FakeCache;
  let userId: string;

  beforeAll(async () => {
    t = await migratedTestDatabase('sessions');
    cache = new FakeCache();
    userId = (await new UserRepository({ db: t.client }).create({ email: 's@example.com' })).id;
    sessions = new SessionRepository({ db: t.client, cache, session: { touchIntervalMs: 60_000 } });
  });
  afterAll(() => t.close());

  it('creates a session with a CREATED log entry and finds it by token (cached, Dates revived)', async () => {
    const s = await sessions.create({ userId, token: token('a'), expiresAt: new Date(Date.now() + hour), ipAddress: '10.0.0.1', userAgent: 'jest', fingerprint: 'fp', keycloakSessionId: 'kc-1' });
    expect(s).toMatchObject({ isActive: true, keycloakSessionId: 'kc-1', fingerprint: 'fp' });
    expect((await sessions.getLogs(s.id)).map((l) => [l.action, l.userId, l.ipAddress])).toEqual([['CREATED', userId, '10.0.0.1']]);
    const loads = cache.loads;
    const found = await sessions.findActiveByToken(token('a'));
    const again = await sessions.findActiveByToken(token('a'));
    expect(cache.loads).toBe(loads + 1);
    expect(again).toEqual(found);
    expect(again?.expiresAt).toBeInstanceOf(Date);
    expect(cache.keys().some((k) => k.includes(token('a')))).toBe(false);
  });

  it('the cache holds no plain token: the row is cached under a digest without it, and handed back with the token presented', async () => {
    await sessions.create({ userId, token: token('plain'), expiresAt: new Date(Date.now() + hour) });
    const found = await sessions.findActiveByToken(token('plain'));
    expect(found?.token).toBe(token('plain'));
    const stored = await Promise.all(cache.keys().filter((k) => k.startsWith('session:token:')).map((k) => cache.get<unknown>(k)));
    expect(stored.length).toBeGreaterThan(0);
    expect(JSON.stringify(stored)).not.toContain(token('plain'));
    expect(JSON.stringify(stored)).not.toContain(token('a'));
  });

  it('an unknown token reaches Postgres once per miss TTL; creating a session with it makes it found at once', async () => {
    const metrics = new FakeMetricsCollector();
    const bare = new SessionRepository({ db: t.client, metrics });
    const reads = () => metrics.operations.filter((o) => o.operation === 'session.findByToken').length;
    for (let i = 0; i < 5; i++) expect(await bare.findByToken(token('later'))).toBeNull();
    expect(reads()).toBe(1);
    const created = await bare.create({ userId, token: token('later'), expiresAt: new Date(Date.now() + hour) });
    expect((await bare.findActiveByToken(token('later')))?.id).toBe(created.id);
    expect(reads()).toBe(2);
  });

  it('does not return expired or unknown sessions', async () => {
    await sessions.create({ userId, token: token('old'), expiresAt: new Date(Date.now() - 1_000) });
    expect(await sessions.findActiveByToken(token('old'))).toBeNull();
    expect(await sessions.findActiveByToken(token('none'))).toBeNull();
  });

  it('throttles lastAccessedAt writes', async () => {
    const s = await sessions.create({ userId, token: token('touch'), expiresAt: new Date(Date.now() + hour) });
    const later = new Date(Date.now() + 120_000);
    expect(await sessions.touch(s.id, later)).toBe(true);
    expect(await sessions.touch(s.id, new Date(later.getTime() + 1_000))).toBe(false);
    // Another instance (fresh throttle) is stopped by the WHERE clause.
    const other = new SessionRepository({ db: t.client });
    expect(await other.touch(s.id, new Date(later.getTime() + 2_000))).toBe(false);
    expect((await sessions.findById(s.id))?.lastAccessedAt.getTime()).toBe(later.getTime());
  });

  it('ends a session once, logs it and drops it from the cache', async () => {
    const s = await sessions.create({ userId, token: token('end'), expiresAt: new Date(Date.now() + hour) });
    await sessions.findActiveByToken(token('end'));
    const ended = await sessions.end(s.id, { reason: 'logout', by: userId });
    expect(ended).toMatchObject({ isActive: false, endReason: 'logout' });
    expect(ended.endedAt).toBeInstanceOf(Date);
    expect(await sessions.findActiveByToken(token('end'))).toBeNull();
    await sessions.end(s.id);
    expect((await sessions.getLogs(s.id)).map((l) => l.action)).toEqual(['CREATED', 'ENDED']);
    expect(isRepositoryError(await sessions.end('missing').catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
  });

  it('ends all sessions of a user but one', async () => {
    const keep = await sessions.create({ userId, token: token('keep'), expiresAt: new Date(Date.now() + hour) });
    await sessions.create({ userId, token: token('b1'), expiresAt: new Date(Date.now() + hour) });
    await sessions.create({ userId, token: token('b2'), expiresAt: new Date(Date.now() + hour) });
    await sessions.findActiveByToken(token('b1'));
    const n = await sessions.endAllForUser(userId, { exceptSessionId: keep.id, reason: 'banned' });
    expect(n).toBeGreaterThanOrEqual(2);
    expect((await sessions.findActiveByUser(userId)).map((s) => s.id)).toEqual([keep.id]);
    expect(await sessions.findActiveByToken(token('b1'))).toBeNull();
  });

  it('stores upstream tokens with the session, refreshed ones with a log entry', async () => {
    const s = await sessions.create({ userId, token: token('kc'), expiresAt: new Date(Date.now() + hour), accessToken: 'at-1', refreshToken: 'rt-1', keycloakSessionId: 'kc-2' });
    expect(s).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', keycloakSessionId: 'kc-2' });
    const expires = new Date(Date.now() + 300_000);
    const updated = await sessions.compareAndSetTokens(s.id, 'rt-1', { accessToken: 'at-2', refreshToken: 'rt-2', accessTokenExpiresAt: expires });
    expect(updated).toMatchObject({ accessToken: 'at-2', refreshToken: 'rt-2', keycloakSessionId: 'kc-2' });
    expect(updated?.accessTokenExpiresAt?.getTime()).toBe(expires.getTime());
    expect((await sessions.getLogs(s.id)).map((l) => l.action)).toEqual(['CREATED', 'TOKENS_REFRESHED']);
    expect(isRepositoryError(await sessions.compareAndSetTokens(s.id, 'rt-2', { accessToken: 'x\u0000' }).catch((e: unknown) => e), 'VALIDATION')).toBe(true);
  });

  it('deletes expired sessions', async () => {
    expect(await sessions.deleteExpired()).toBeGreaterThanOrEqual(1);
    expect(await sessions.findFirst({ where: { token: token('old') } })).toBeNull();
  });

  it('rejects a short token before any query', async () => {
    expect(isRepositoryError(await sessions.create({ userId, token: 'short', expiresAt: new Date() }).catch((e: unknown) => e), 'VALIDATION')).toBe(true);
  });
});

describe('Better-Auth tables', () => {
  let t: MigratedTestDatabase;
  beforeAll(async () => {
    t = await migratedTestDatabase('authtables');
  });
  afterAll(() => t.close());

  it('AccountRepository finds by provider and user', async () => {
    const userId = (await new UserRepository({ db: t.client }).create({ email: 'acc@example.com' })).id;
    const accounts = new AccountRepository({ db: t.client });
    const acc = await accounts.create({ userId, providerId: 'credential', accountId: userId, password: 'scrypt$hash' });
    expect(await accounts.findByProvider('credential', userId)).toMatchObject({ id: acc.id, password: 'scrypt$hash' });
    expect(await accounts.findByUserId(userId)).toHaveLength(1);
    const dup = await accounts.create({ userId, providerId: 'credential', accountId: userId }).catch((e: unknown) => e);
    expect(isRepositoryError(dup, 'UNIQUE_VIOLATION') && dup.fields).toEqual(['providerId', 'accountId']);
    expect(await accounts.deleteByUserId(userId)).toBe(1);
  });

  it('VerificationRepository returns the newest valid value and cleans up', async () => {
    const v = new VerificationRepository({ db: t.client });
    await v.create({ identifier: 'email:a', value: 'old', expiresAt: new Date(Date.now() - 1_000) });
    await v.create({ identifier: 'email:a', value: 'new', expiresAt: new Date(Date.now() + hour) });
    expect((await v.findValid('email:a'))?.value).toBe('new');
    expect(await v.deleteExpired()).toBe(1);
    expect(await v.deleteByIdentifier('email:a')).toBe(1);
    expect(await v.findValid('email:a')).toBeNull();
  });
});

describe('transactionWith (several repositories, one transaction)', () => {
  let t: MigratedTestDatabase;
  beforeAll(async () => {
    t = await migratedTestDatabase('txwith');
  });
  afterAll(() => t.close());

  it('commits a user and its account together, or neither', async () => {
    const users = new UserRepository({ db: t.client });
    const accounts = new AccountRepository({ db: t.client });
    const user = await users.transactionWith([accounts], async (u, a) => {
      const created = await u.create({ email: 'both@example.com' });
      await a.create({ userId: created.id, providerId: 'credential', accountId: created.id, password: 'hash' });
      return created;
    });
    expect(await accounts.findByUserId(user.id)).toHaveLength(1);
    const failed = await users
      .transactionWith([accounts], async (u, a) => {
        const created = await u.create({ email: 'neither@example.com' });
        await a.create({ userId: created.id, providerId: 'credential', accountId: user.id });
        await a.create({ userId: created.id, providerId: 'credential', accountId: user.id });
      })
      .catch((e: unknown) => e);
    expect(isRepositoryError(failed, 'UNIQUE_VIOLATION')).toBe(true);
    expect(await users.findByEmail('neither@example.com')).toBeNull();
  });
});
