import { waitFor } from '@tools/test-harness';
import { startTestApp, type TestApp } from '../../testing/testApp';
import { askBoth, signedInUser, type SignedInUser } from '../../testing/sessionFixtures';
import { createHmac } from 'node:crypto';

const signValue = (value: string, key: string) => createHmac('sha256', key).update(value).digest('base64');

const DAY_MS = 86_400_000;

describe('GET /api/auth/get-session: the lean route answers exactly what Better-Auth answers', () => {
  let t: TestApp;
  let ada: SignedInUser;
  beforeAll(async () => {
    t = await startTestApp();
    ada = await signedInUser(t, 'ada');
  });
  afterAll(async () => {
    await t?.close();
  });

  const sessionOf = async (user: SignedInUser) => (await t.context.repositories.sessions.findActiveByToken(user.token))!;

  /** Sets expiresAt where Better-Auth reads it: the row (the repositories are the one session cache). */
  async function setExpiresAt(user: SignedInUser, expiresAt: Date): Promise<void> {
    await t.context.repositories.sessions.update((await sessionOf(user)).id, { expiresAt });
  }

  it.each([
    ['cookie session', (u: SignedInUser) => ({ cookie: u.cookie })],
    ['bearer, unsigned token', (u: SignedInUser) => ({ authorization: `Bearer ${u.token}` })],
    ['bearer, signed token (set-auth-token)', (u: SignedInUser) => ({ authorization: `Bearer ${u.signedToken}` })],
    ['bearer and an unrelated cookie', (u: SignedInUser) => ({ authorization: `Bearer ${u.token}`, cookie: 'theme=dark' })],
  ])('%s: a session, answered by the fast path', async (_name, headers) => {
    const { route, betterAuth, deferred } = await askBoth(t, headers(ada));
    expect(deferred).toBe(false);
    expect(route).toEqual(betterAuth);
    expect(route.status).toBe(200);
    const body = JSON.parse(route.body) as { session: Record<string, unknown>; user: Record<string, unknown> };
    expect(body.user).toMatchObject({ email: ada.email, status: 'ACTIVE', id: ada.id });
    expect(body.session).toMatchObject({ token: ada.token, userId: ada.id });
    expect(body.session).not.toHaveProperty('fingerprint'); // returned: false
    expect(route.cacheControl).toBe('no-store');
    expect(route.setCookie).toEqual([]);
  });

  it.each([
    ['no credentials', () => ({})],
    ['bearer with a wrong signature', (u: SignedInUser) => ({ authorization: `Bearer ${u.token}.${signValue(u.token, 'not-the-secret-not-the-secret-xx')}` })],
    ['cookie with a wrong signature', (u: SignedInUser) => ({ cookie: `better-auth.session_token=${encodeURIComponent(`${u.token}.${signValue(u.token, 'nope-nope-nope-nope-nope-nope-nope')}`)}` })],
    ['cookie without a signature', (u: SignedInUser) => ({ cookie: `better-auth.session_token=${u.token}` })],
  ])('%s: null, no cookies touched, without a lookup', async (_name, headers) => {
    const { route, betterAuth, deferred } = await askBoth(t, headers(ada));
    expect(deferred).toBe(false);
    expect(route).toEqual(betterAuth);
    expect(route.body).toBe('null');
    expect(route.setCookie).toEqual([]);
  });

  it('unknown token: null and the session cookies expired, as Better-Auth does', async () => {
    const { route, betterAuth, deferred } = await askBoth(t, { authorization: 'Bearer NoSuchSessionTokenNoSuchSession' });
    expect(deferred).toBe(false);
    expect(route).toEqual(betterAuth);
    expect(route.body).toBe('null');
    expect(route.setCookie.map((c) => c.split('=')[0])).toEqual(['better-auth.session_token', 'better-auth.session_data', 'better-auth.dont_remember']);
  });

  it('expired session: null and cookies expired', async () => {
    const user = await signedInUser(t, 'expired');
    await t.context.repositories.sessions.update((await sessionOf(user)).id, { expiresAt: new Date(Date.now() - 1_000) });
    // (A secondary-storage snapshot, if any, still says "valid": the repositories decide.)
    const { route, betterAuth, deferred } = await askBoth(t, { cookie: user.cookie });
    expect(deferred).toBe(false);
    expect(route).toEqual(betterAuth);
    expect(route.body).toBe('null');
    expect(route.setCookie.length).toBe(3);
  });

  it.each([
    ['banned', (id: string) => t.context.repositories.users.batchUpdateStatus([id], 'BANNED', 'test', 'abuse')],
    ['inactive', (id: string) => t.context.repositories.users.batchUpdateStatus([id], 'INACTIVE', 'test')],
    ['soft-deleted', (id: string) => t.context.repositories.users.softDelete(id, 'test')],
  ])('%s user: null on the next request', async (label, change) => {
    const user = await signedInUser(t, label);
    expect((await askBoth(t, { authorization: `Bearer ${user.token}` })).route.status).toBe(200); // caches session and user
    await change(user.id);
    const { route, betterAuth, deferred } = await askBoth(t, { authorization: `Bearer ${user.token}` });
    expect(deferred).toBe(false);
    expect(route).toEqual(betterAuth);
    expect(route.body).toBe('null');
  });

  it('session inside the refresh window: Better-Auth answers (and extends the session)', async () => {
    const user = await signedInUser(t, 'refresh');
    await setExpiresAt(user, new Date(Date.now() + 6 * DAY_MS - 60_000));
    const first = await askBoth(t, { authorization: `Bearer ${user.token}` });
    expect(first.deferred).toBe(true);
    expect(first.route.status).toBe(200);
    expect(first.route.setCookie.some((c) => c.startsWith('better-auth.session_token=') && c.includes('Max-Age=604800'))).toBe(true);
    expect(first.route.setAuthToken).toMatch(new RegExp(`^${user.token}\\.`));
    const refreshed = JSON.parse(first.route.body) as { session: { expiresAt: string } };
    expect(new Date(refreshed.session.expiresAt).getTime()).toBeGreaterThan(Date.now() + 7 * DAY_MS - 60_000);
    // Refreshed: the next request is a plain fast-path answer again.
    const second = await askBoth(t, { authorization: `Bearer ${user.token}` });
    expect(second.deferred).toBe(false);
    expect(second.route).toEqual(second.betterAuth);
  });

  it.each<[string, Record<string, string>, string]>([
    ['query parameters', {}, '?disableRefresh=true'],
    ['a "don\'t remember me" cookie', { cookie: 'better-auth.dont_remember=true.x' }, ''],
    ['a cookie-cache cookie', { cookie: 'better-auth.session_data=abc' }, ''],
    ['an x-api-key header (the API-key plugin hooks get-session)', { 'x-api-key': 'not-a-key' }, ''],
  ])('%s: Better-Auth answers', async (_name, extra, query) => {
    const headers: Record<string, string> = { authorization: `Bearer ${ada.token}`, ...extra };
    const { route, betterAuth, deferred } = await askBoth(t, headers, query);
    expect(deferred).toBe(true);
    expect(route).toEqual(betterAuth);
  });

  it('POST (405 without deferSessionRefresh) and HEAD stay with Better-Auth', async () => {
    const handler = jest.spyOn(t.context.auth, 'handler');
    try {
      const post = await fetch(`${t.url}/api/auth/get-session`, { method: 'POST', headers: { authorization: `Bearer ${ada.token}`, 'content-type': 'application/json' }, body: '{}' });
      expect(post.status).toBe(405);
      await fetch(`${t.url}/api/auth/get-session`, { method: 'HEAD', headers: { authorization: `Bearer ${ada.token}` } });
      expect(handler).toHaveBeenCalledTimes(2);
    } finally {
      handler.mockRestore();
    }
  });

  it('keeps lastAccessedAt maintained through the throttled touch, and logs no request line', async () => {
    const user = await signedInUser(t, 'touch');
    const before = await sessionOf(user);
    await t.context.repositories.sessions.update(before.id, { lastAccessedAt: new Date(Date.now() - 3_600_000) });
    const logLines = t.logs.length;
    const res = await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` } });
    expect(res.status).toBe(200);
    // The stamp is written off the request path: wait for it with a deadline.
    await waitFor(async () => {
      const row = await t.context.repositories.sessions.findById(before.id);
      if (!(row!.lastAccessedAt.getTime() > Date.now() - 60_000)) throw new Error('not stamped yet');
    }, 10_000, 'the last-access stamp');
    expect(t.logs.slice(logLines).filter((l) => l.includes('/get-session'))).toEqual([]);
  });
});
