import { startTestApp, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };

describe('a bearer token works on Better-Auth endpoints, not only on get-session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates an API key with Authorization: Bearer <session token>', async () => {
    const email = `bearer-${Date.now()}@example.com`;
    const password = 'a long enough password';
    await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: 'Bearer' }) });
    const signIn = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password }) });
    const { token } = (await signIn.json()) as { token: string };
    const session = await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);
    const created = await fetch(`${t.url}/api/auth/api-key/create`, { method: 'POST', headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'svc' }) });
    expect({ status: created.status, body: await created.json() }).toMatchObject({ status: 200, body: { key: expect.any(String) } });
    const signed = signIn.headers.get('set-auth-token');
    const viaSigned = await fetch(`${t.url}/api/auth/api-key/list`, { headers: { authorization: `Bearer ${signed}` } });
    expect(viaSigned.status).toBe(200);
  });
});
