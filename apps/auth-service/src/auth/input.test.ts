import { startTestApp, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };

describe('bad input and secrets in logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const usersNow = () => t.context.repositories.users.count();

  it.each([
    ['malformed JSON', '{"email": "a@b.c", "password": ', 400, 'INVALID_JSON'],
    ['a body over the 64 KiB limit', JSON.stringify({ email: 'big@example.com', password: 'p'.repeat(20), name: 'x'.repeat(70_000) }), 413, 'BODY_TOO_LARGE'],
  ])('rejects %s with a 4xx JSON code and writes nothing', async (_what, body, status, code) => {
    const before = await usersNow();
    const res = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await usersNow()).toBe(before);
  });

  it('signs up with "image": "" as Better-Auth clients send it, and stores the email it was given', async () => {
    const res = await fetch(`${t.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'Empty.Image@Example.com', password: 'long enough password', name: 'No Image', image: '' }),
    });
    expect(res.status).toBe(200);
    const stored = await t.context.repositories.users.findByEmail('empty.image@example.com');
    // Better-Auth lowercases the email before the adapter; the model stores what it is handed.
    expect(stored).toMatchObject({ email: 'empty.image@example.com', image: '' });
  });

  it.each([
    ['an email that is a number', { email: 12345, password: 'long enough password', name: 'n' }],
    ['a missing password', { email: 'nopass@example.com', name: 'n' }],
    ['a name of 10,000 characters', { email: 'longname@example.com', password: 'long enough password', name: 'n'.repeat(10_000) }],
    ['a 300-character email', { email: `${'e'.repeat(290)}@example.com`, password: 'long enough password', name: 'n' }],
    ['a NUL byte in the name', { email: 'nul@example.com', password: 'long enough password', name: 'a\u0000b' }],
    ['a password of 200 characters', { email: 'longpw@example.com', password: 'p'.repeat(200), name: 'n' }],
    ['an array body', [1, 2, 3]],
  ])('rejects %s with 4xx JSON and writes nothing', async (_what, payload) => {
    const before = await usersNow();
    const res = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify(payload) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as { code?: string; error?: { code?: string } };
    expect(body.code ?? body.error?.code).toEqual(expect.any(String));
    expect(await usersNow()).toBe(before);
  });

  it('never logs passwords, tokens or cookies', async () => {
    const email = `logs-${Date.now()}@example.com`;
    const password = 'super secret password 123';
    await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: 'Logs' }) });
    const signIn = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const token = signIn.headers.get('set-auth-token')!;
    await fetch(`${t.url}/api/auth/get-session`, { headers: { cookie } });
    await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${token}` } });
    await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'wrong secret password' }) });

    const logs = t.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('/api/auth/sign-in/email'); // requests are logged …
    for (const secret of [password, 'wrong secret password', token, cookie.split('=')[1], decodeURIComponent(cookie.split('=')[1])]) {
      expect(logs).not.toContain(secret); // … their secrets are not
    }
  });
});
