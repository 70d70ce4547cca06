import { createAuthClient } from 'better-auth/client';
import { startTestApp, type TestApp } from '../testing/testApp';

describe('Better-Auth over the repositories: email and password flows', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Better-Auth's own scrypt (the production hash): these tests check its format and enumeration.
    t = await startTestApp({ env: { PASSWORD_HASH_COST: 'standard' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs up, signs in, reads the session by cookie and by bearer token, and signs out', async () => {
    const client = createAuthClient({ baseURL: t.url });
    const email = `ada-${Date.now()}@example.com`;
    const signUp = await client.signUp.email({ email, password: 'correct horse battery', name: 'Ada Lovelace' });
    expect(signUp.error).toBeNull();
    expect(signUp.data?.user.email).toBe(email);

    const row = await t.context.repositories.users.findByEmail(email);
    expect(row).toMatchObject({ email, name: 'Ada Lovelace', status: 'ACTIVE' });
    const accounts = await t.context.repositories.accounts.findByUserId(row!.id);
    expect(accounts).toHaveLength(1);
    expect(accounts[0].password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/); // scrypt salt:hash, never the password

    let cookie = '';
    let bearer = '';
    const signIn = await client.signIn.email(
      { email, password: 'correct horse battery' },
      {
        onSuccess: (ctx) => {
          cookie = (ctx.response.headers.get('set-cookie') ?? '').split(';')[0];
          bearer = ctx.response.headers.get('set-auth-token') ?? '';
        },
      },
    );
    expect(signIn.error).toBeNull();
    expect(cookie).toMatch(/session_token=/);
    expect(bearer).not.toBe('');

    const byCookie = await fetch(`${t.url}/api/auth/get-session`, { headers: { cookie } });
    expect(byCookie.status).toBe(200);
    expect(((await byCookie.json()) as { user: { email: string } }).user.email).toBe(email);
    const byBearer = await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${bearer}` } });
    expect(((await byBearer.json()) as { user: { email: string } }).user.email).toBe(email);

    const sessionsInDb = await t.context.repositories.sessions.findActiveByUser(row!.id);
    expect(sessionsInDb.length).toBe(1); // sign-up does not sign in (no enumeration); sign-in did

    const signOut = await fetch(`${t.url}/api/auth/sign-out`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(signOut.status).toBe(200);
    const after = await fetch(`${t.url}/api/auth/get-session`, { headers: { cookie } });
    expect(await after.json()).toBeNull();

    // Sign-out ends the session (history kept), it does not erase it.
    const ended = await t.context.repositories.sessions.findById(sessionsInDb[0].id);
    expect(ended).toMatchObject({ isActive: false, endReason: 'revoked' });
    expect(ended!.endedAt).toBeInstanceOf(Date);
    const logs = await t.context.repositories.sessions.getLogs(sessionsInDb[0].id);
    expect(logs.map((l) => l.action)).toEqual(expect.arrayContaining(['ENDED']));
  });

  it('answers a sign-up for an existing email exactly like one for a new email', async () => {
    const email = `twice-${Date.now()}@example.com`;
    const signUp = (address: string) =>
      fetch(`${t.url}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: address, password: 'yet another password', name: 'Twice' }),
      });
    const first = await signUp(email);
    const again = await signUp(email);
    const fresh = await signUp(`fresh-${Date.now()}@example.com`);
    expect([first.status, again.status, fresh.status]).toEqual([200, 200, 200]);
    const shape = (body: { token: unknown; user: Record<string, unknown> }) => ({ token: body.token, keys: Object.keys(body.user).sort() });
    const bodies = (await Promise.all([again.json(), fresh.json()])) as Array<{ token: unknown; user: Record<string, unknown> }>;
    expect(shape(bodies[0])).toEqual(shape(bodies[1]));
    expect(bodies[0].token).toBeNull();
    expect(await t.context.repositories.users.count({ email })).toBe(1);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const client = createAuthClient({ baseURL: t.url });
    const email = `grace-${Date.now()}@example.com`;
    await client.signUp.email({ email, password: 'another good password', name: 'Grace' });
    const wrong = await fetch(`${t.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'not the password' }),
    });
    const unknown = await fetch(`${t.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `nobody-${Date.now()}@example.com`, password: 'not the password' }),
    });
    expect(wrong.status).toBe(unknown.status);
    expect(await wrong.json()).toEqual(await unknown.json());
  });
});
