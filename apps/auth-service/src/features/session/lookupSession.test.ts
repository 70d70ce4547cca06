import pino from 'pino';
import { AccessCore } from '@libs/better-auth';
import { CredentialReader } from '@libs/better-auth';
import { BackgroundTasks } from '../../backgroundTasks';
import { lookupSession } from './lookupSession';
import type { SessionSettings } from './sessionSettings';

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
const user = (over: Record<string, unknown> = {}) => ({ id: 'u1', name: 'Ada', email: 'a@example.com', emailVerified: false, image: null, createdAt: new Date(now - DAY), updatedAt: new Date(now - DAY), status: 'ACTIVE', isDeleted: false, banExpiresAt: null, ...over });

function settings(): SessionSettings {
  return {
    path: '/api/auth/get-session',
    expiresInMs: 7 * DAY,
    updateAgeMs: DAY,
    sessionFields: ['expiresAt', 'token', 'createdAt', 'updatedAt', 'ipAddress', 'userAgent', 'userId', 'id'].map((key) => ({ key, from: key })),
    userFields: ['name', 'email', 'emailVerified', 'image', 'createdAt', 'updatedAt', 'status', 'id'].map((key) => ({ key, from: key })),
    requestHooks: [],
    rateLimit: null,
    expiredCookies: [],
    unsupported: [],
  };
}

/** The access core on fake repositories (the session decision is what is under test). */
function access(session: unknown, found: unknown = user(), calls: string[] = []) {
  const core = new AccessCore({
    sessions: { findActiveByToken: async (t: string) => (calls.push(`session:${t}`), session as never) },
    users: { findById: async (id: string) => (calls.push(`user:${id}`), found as never), liftLapsedBan: async () => false },
    roles: { getUserGrants: async () => [] },
    events: { append: async () => ({}) as never },
    credentials: new CredentialReader({ baseURL: 'http://127.0.0.1' }, { secret: 's'.repeat(32), bearer: { enabled: true, requireSignature: false } }),
    background: new BackgroundTasks(pino({ level: 'silent' })),
    now: () => now,
  });
  return Object.assign(core, { calls });
}

const token = { kind: 'token', token: 'tok' } as const;
const lookup = (credential: Parameters<typeof lookupSession>[0], s: SessionSettings, source: ReturnType<typeof access>) => lookupSession(credential, s, source, now);

describe('lookupSession (through the access core)', () => {
  it('answers a live session of an ACTIVE user with the output fields in order, fingerprint left out', async () => {
    const result = await lookup(token, settings(), access(row()));
    expect(result).toEqual({ kind: 'session', sessionId: 's1', body: expect.any(String) });
    const body = JSON.parse((result as { body: string }).body) as { session: object; user: object };
    expect(Object.keys(body.session)).toEqual(['expiresAt', 'token', 'createdAt', 'updatedAt', 'ipAddress', 'userAgent', 'userId', 'id']);
    expect(Object.keys(body.user)).toEqual(['name', 'email', 'emailVerified', 'image', 'createdAt', 'updatedAt', 'status', 'id']);
  });

  it.each([
    ['no session', null, user()],
    ['an ended session', row({ isActive: false }), user()],
    ['an expired session', row({ expiresAt: new Date(now - 1) }), user()],
    ['no user (soft-deleted users are not found)', row(), null],
    ['a BANNED user', row(), user({ status: 'BANNED' })],
    ['a BANNED user whose ban has not lapsed yet', row(), user({ status: 'BANNED', banExpiresAt: new Date(now + 60_000) })],
    ['a PENDING user', row(), user({ status: 'PENDING' })],
    ['an INACTIVE user', row(), user({ status: 'INACTIVE' })],
    ['a deleted flag', row(), user({ isDeleted: true })],
  ])('%s → null with cookie deletions', async (_name, session, found) => {
    expect(await lookup(token, settings(), access(session, found))).toEqual({ kind: 'null', expireCookies: true });
  });

  it('a user whose temporary ban has lapsed has a session again', async () => {
    const result = await lookup(token, settings(), access(row(), user({ status: 'BANNED', banExpiresAt: new Date(now - 1) })));
    expect(result.kind).toBe('session');
  });

  it('defers inside the refresh window', async () => {
    expect(await lookup(token, settings(), access(row({ expiresAt: new Date(now + 6 * DAY - 1_000) })))).toEqual({ kind: 'defer' });
  });

  it('no credential → null without cookies or lookups; defer passes through', async () => {
    const source = access(row());
    expect(await lookup({ kind: 'none' }, settings(), source)).toEqual({ kind: 'null', expireCookies: false });
    expect(await lookup({ kind: 'defer' }, settings(), source)).toEqual({ kind: 'defer' });
    expect(source.calls).toEqual([]);
  });

  it('builds the body once per cached (frozen) pair', async () => {
    const session = Object.freeze(row());
    const owner = Object.freeze(user());
    const source = access(session, owner);
    const first = await lookup(token, settings(), source);
    const second = await lookup(token, settings(), source);
    expect(second).toEqual(first);
    expect((second as { body: string }).body).toBe((first as { body: string }).body);
  });

  it('lets repository errors through (an outage is never a null)', async () => {
    const failing = access(null);
    jest.spyOn(failing, 'sessionByToken').mockRejectedValue(Object.assign(new Error('down'), { code: 'CIRCUIT_OPEN' }));
    await expect(lookup(token, settings(), failing)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
  });
});
