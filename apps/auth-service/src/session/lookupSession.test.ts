import { lookupSession, type SessionLookupRepositories } from './lookupSession';
import type { SessionSettings } from './sessionSettings';
import { StoredSessionReader, type SessionStorageLike } from './storedSession';

const DAY = 86_400_000;
const now = Date.now();
const row = (over: Record<string, unknown> = {}) => ({
  id: 's1',
  token: 'tok',
  userId: 'u1',
  expiresAt: new Date(now + 7 * DAY - 1_000),
  createdAt: new Date(now - 1_000),
  updatedAt: new Date(now - 1_000),
  ipAddress: null,
  userAgent: 'jest',
  fingerprint: 'secret-ish',
  isActive: true,
  ...over,
});
const user = (over: Record<string, unknown> = {}) => ({ id: 'u1', name: 'Ada', email: 'a@example.com', emailVerified: false, image: null, createdAt: new Date(now - DAY), updatedAt: new Date(now - DAY), status: 'ACTIVE', isDeleted: false, ...over });

function settings(storage: SessionSettings['storage'] = null): SessionSettings {
  return {
    path: '/api/auth/get-session',
    secret: 's',
    cookies: { sessionToken: 'a', sessionData: 'b', dontRemember: 'c' },
    expiresInMs: 7 * DAY,
    updateAgeMs: DAY,
    bearer: { enabled: true, requireSignature: false },
    sessionFields: ['expiresAt', 'token', 'createdAt', 'updatedAt', 'ipAddress', 'userAgent', 'userId', 'id'].map((key) => ({ key, from: key })),
    userFields: ['name', 'email', 'emailVerified', 'image', 'createdAt', 'updatedAt', 'status', 'id'].map((key) => ({ key, from: key })),
    requestHooks: [],
    hidden: { session: new Set(['fingerprint']), user: new Set() },
    storage,
    rateLimit: null,
    expiredCookies: [],
    unsupported: [],
  };
}

function repositories(session: unknown, found: unknown = user()): SessionLookupRepositories & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    sessions: { findActiveByToken: async (token: string) => (calls.push(`session:${token}`), session as never) },
    users: { findById: async (id: string) => (calls.push(`user:${id}`), found as never) },
  };
}

function storage(values: Record<string, string>, databaseFallback = true): NonNullable<SessionSettings['storage']> {
  const get: SessionStorageLike['get'] = async (key) => values[key] ?? null;
  return { get, databaseFallback };
}

const token = { kind: 'token', token: 'tok' } as const;

/** lookupSession with a fresh snapshot reader (no memo shared between cases). */
const lookup = (credential: Parameters<typeof lookupSession>[0], s: SessionSettings, repos: SessionLookupRepositories) =>
  lookupSession(credential, s, repos, new StoredSessionReader(s.hidden));

describe('lookupSession (repositories)', () => {
  it('answers a live session of an ACTIVE user with the output fields in order, fingerprint left out', async () => {
    const result = await lookup(token, settings(), repositories(row()));
    expect(result).toEqual({ kind: 'session', sessionId: 's1', body: expect.any(String) });
    const body = JSON.parse((result as { body: string }).body) as { session: object; user: object };
    expect(Object.keys(body.session)).toEqual(['expiresAt', 'token', 'createdAt', 'updatedAt', 'ipAddress', 'userAgent', 'userId', 'id']);
    expect(Object.keys(body.user)).toEqual(['name', 'email', 'emailVerified', 'image', 'createdAt', 'updatedAt', 'status', 'id']);
  });

  it.each([
    ['no session', null, user()],
    ['no user (soft-deleted users are not found)', row(), null],
    ['a BANNED user', row(), user({ status: 'BANNED' })],
    ['a PENDING user', row(), user({ status: 'PENDING' })],
    ['a deleted flag', row(), user({ isDeleted: true })],
  ])('%s → null with cookie deletions', async (_name, session, found) => {
    expect(await lookup(token, settings(), repositories(session, found))).toEqual({ kind: 'null', expireCookies: true });
  });

  it('defers inside the refresh window, without reading the user', async () => {
    const repos = repositories(row({ expiresAt: new Date(now + 6 * DAY - 1_000) }));
    expect(await lookup(token, settings(), repos)).toEqual({ kind: 'defer' });
    expect(repos.calls).toEqual(['session:tok']);
  });

  it('no credential → null without cookies or lookups; defer passes through', async () => {
    const repos = repositories(row());
    expect(await lookup({ kind: 'none' }, settings(), repos)).toEqual({ kind: 'null', expireCookies: false });
    expect(await lookup({ kind: 'defer' }, settings(), repos)).toEqual({ kind: 'defer' });
    expect(repos.calls).toEqual([]);
  });

  it('lets repository errors through (an outage is never a null)', async () => {
    const failing: SessionLookupRepositories = {
      sessions: { findActiveByToken: async () => Promise.reject(Object.assign(new Error('down'), { code: 'CIRCUIT_OPEN' })) },
      users: { findById: async () => null },
    };
    await expect(lookup(token, settings(), failing)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
  });
});

describe('lookupSession (secondary storage first, as Better-Auth findSession)', () => {
  const snapshot = (over: Record<string, unknown> = {}) => JSON.stringify({ session: JSON.parse(JSON.stringify(row(over))), user: JSON.parse(JSON.stringify(user())) });

  it('answers the snapshot (revived dates, hidden fields dropped) without touching the repositories', async () => {
    const repos = repositories(null);
    const result = await lookup(token, settings(storage({ tok: snapshot() })), repos);
    expect(repos.calls).toEqual([]);
    const body = JSON.parse((result as { body: string }).body) as { session: Record<string, unknown>; user: Record<string, unknown> };
    expect(body.session).not.toHaveProperty('fingerprint');
    expect(body.session).toMatchObject({ id: 's1', isActive: true, expiresAt: row().expiresAt.toISOString() });
    expect(body.user).toMatchObject({ id: 'u1', isDeleted: false });
  });

  it('a snapshot created before the user\'s revocation mark is no session', async () => {
    const values = { tok: snapshot(), 'revoked-sessions-before-u1': String(now) };
    expect(await lookup(token, settings(storage(values)), repositories(row()))).toEqual({ kind: 'null', expireCookies: true });
  });

  it('expired or refresh-window snapshots and malformed ones are left to Better-Auth', async () => {
    expect(await lookup(token, settings(storage({ tok: snapshot({ expiresAt: new Date(now - 1) }) })), repositories(row()))).toEqual({ kind: 'defer' });
    expect(await lookup(token, settings(storage({ tok: snapshot({ expiresAt: new Date(now + 6 * DAY - 1_000) }) })), repositories(row()))).toEqual({ kind: 'defer' });
    expect(await lookup(token, settings(storage({ tok: '{"user":{}}' })), repositories(row()))).toEqual({ kind: 'defer' });
    expect(await lookup(token, settings(storage({ tok: 'not json' })), repositories(row()))).toEqual({ kind: 'null', expireCookies: true });
  });

  it('remembers the parse of a stored value but reads the revocation mark on every request', async () => {
    const values: Record<string, string> = { tok: snapshot() };
    const s = settings(storage(values));
    const reader = new StoredSessionReader(s.hidden, { memo: 1 });
    const first = await lookupSession(token, s, repositories(null), reader);
    expect(first.kind).toBe('session');
    expect(await lookupSession(token, s, repositories(null), reader)).toEqual(first);
    values['revoked-sessions-before-u1'] = String(now);
    expect(await lookupSession(token, s, repositories(null), reader)).toEqual({ kind: 'null', expireCookies: true });
  });

  it('a token missing from storage goes to the database only with storeSessionInDatabase', async () => {
    const withFallback = repositories(row());
    expect((await lookup(token, settings(storage({})), withFallback)).kind).toBe('session');
    const without = repositories(row());
    expect(await lookup(token, settings(storage({}, false)), without)).toEqual({ kind: 'null', expireCookies: true });
    expect(without.calls).toEqual([]);
  });
});
