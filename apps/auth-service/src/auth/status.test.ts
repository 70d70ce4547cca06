import { startTestApp, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };

async function signUpAndIn(t: TestApp, tag: string, agent = 'jest-a'): Promise<{ email: string; userId: string; cookie: string }> {
  const email = `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  const password = 'a perfectly fine password';
  await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: tag }) });
  const signIn = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: { ...json, 'user-agent': agent }, body: JSON.stringify({ email, password }) });
  expect(signIn.status).toBe(200);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  const user = await t.context.repositories.users.findByEmail(email);
  return { email, userId: user!.id, cookie };
}

const signIn = (t: TestApp, email: string, password = 'a perfectly fine password') =>
  fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });

const session = async (t: TestApp, cookie: string) => (await fetch(`${t.url}/api/auth/get-session`, { headers: { cookie } })).json() as Promise<{ user: { id: string } } | null>;

describe('user status and auth events', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['BANNED', 'INACTIVE', 'PENDING'] as const)('a %s user cannot sign in and their session stops working', async (status) => {
    const { email, userId, cookie } = await signUpAndIn(t, status.toLowerCase());
    expect((await session(t, cookie))?.user.id).toBe(userId);
    await t.context.repositories.users.update(userId, { status });

    const blocked = await signIn(t, email);
    const wrongPassword = await signIn(t, email, 'not the right password');
    expect(blocked.status).toBe(401);
    expect(await blocked.json()).toEqual(await wrongPassword.json());
    expect(await session(t, cookie)).toBeNull();

    await t.context.background.drain();
    const events = await t.context.repositories.events.query({ userId });
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ eventType: 'sign_in_blocked', isError: true, errorMsg: `ACCOUNT_${status}` }),
        expect.objectContaining({ eventType: 'sign_in_failed', isError: true, errorMsg: 'INVALID_EMAIL_OR_PASSWORD' }),
      ]),
    );
  });

  it('a soft-deleted user cannot sign in and their session stops working', async () => {
    const { email, userId, cookie } = await signUpAndIn(t, 'deleted');
    await t.context.repositories.users.softDelete(userId, 'admin');
    const res = await signIn(t, email);
    expect(res.status).toBe(401);
    expect(await session(t, cookie)).toBeNull();
  });

  it('records sign-in, sign-out and password change as events, with page, agent and IP but no secrets', async () => {
    const { email, userId, cookie } = await signUpAndIn(t, 'events', 'jest-agent/1.0');
    await t.context.background.drain();
    const user = await t.context.repositories.users.findById(userId);
    expect(user!.lastLoginAt).toBeInstanceOf(Date);
    const [created] = await t.context.repositories.sessions.findActiveByUser(userId);
    expect(created.fingerprint).toMatch(/^[\w-]{32}$/);
    expect(created.ipAddress).toBe('127.0.0.1');

    // A second session, then a password change from the first: the second one ends.
    const second = (await signIn(t, email)).headers.get('set-cookie')!.split(';')[0];
    expect(await session(t, second)).not.toBeNull();
    const change = await fetch(`${t.url}/api/auth/change-password`, {
      method: 'POST',
      headers: { ...json, cookie },
      body: JSON.stringify({ currentPassword: 'a perfectly fine password', newPassword: 'a brand new password' }),
    });
    expect(change.status).toBe(200);
    // Better-Auth's revokeOtherSessions: every old session ends, the caller gets a new one.
    const renewed = change.headers.get('set-cookie')!.split(';')[0];
    expect(await session(t, second)).toBeNull();
    expect(await session(t, cookie)).toBeNull();
    expect((await session(t, renewed))?.user.id).toBe(userId);

    const out = await fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { ...json, cookie: renewed }, body: '{}' });
    expect(out.status).toBe(200);

    await t.context.background.drain();
    const events = await t.context.repositories.events.query({ userId });
    const types = events.map((e) => e.eventType);
    expect(types).toEqual(expect.arrayContaining(['sign_in', 'password_changed', 'sign_out']));
    const signInEvent = events.find((e) => e.eventType === 'sign_in' && e.userAgent === 'jest-agent/1.0')!;
    expect(signInEvent).toMatchObject({ pageUrl: `${t.url}/api/auth/sign-in/email`, userAgent: 'jest-agent/1.0', ipAddress: '127.0.0.1', isError: false });
    expect(JSON.stringify(events)).not.toContain('a perfectly fine password');
  });

  it('lists and revokes own sessions', async () => {
    const { email, cookie } = await signUpAndIn(t, 'sessions');
    const other = (await signIn(t, email)).headers.get('set-cookie')!.split(';')[0];
    const list = (await (await fetch(`${t.url}/api/auth/list-sessions`, { headers: { cookie } })).json()) as Array<{ token: string }>;
    expect(list).toHaveLength(2);
    const otherToken = decodeURIComponent(other.split('=')[1]).split('.')[0];
    const revoke = await fetch(`${t.url}/api/auth/revoke-session`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify({ token: otherToken }) });
    expect(revoke.status).toBe(200);
    expect(await session(t, other)).toBeNull();
    expect(await session(t, cookie)).not.toBeNull();
  });
});
