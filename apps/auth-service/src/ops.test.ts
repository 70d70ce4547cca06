import { randomBytes } from 'node:crypto';
import { startLocalSmtp, type LocalSmtp } from '@tools/test-harness';
import { startTestApp, type TestApp } from './testing/testApp';

const json = { 'content-type': 'application/json' };

describe('operations surface of the running app', () => {
  let t: TestApp;
  let prod: TestApp;
  let smtp: LocalSmtp;
  beforeAll(async () => {
    t = await startTestApp();
    // Production refuses the harness' (committed) secret: a generated one; and it sends mail for real.
    smtp = await startLocalSmtp();
    prod = await startTestApp({ env: { NODE_ENV: 'production', PASSWORD_HASH_COST: 'standard', BETTER_AUTH_URL: 'https://auth.example.com', BETTER_AUTH_SECRET: randomBytes(32).toString('base64'), SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await t?.close();
    await prod?.close();
    await smtp?.close();
  });

  const signUpAndIn = async (app: TestApp) => {
    const email = `ops-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
    const password = 'operations password';
    // A browser's Origin: production runs Better-Auth's origin check (it refuses a write without one).
    await fetch(`${app.url}/api/auth/sign-up/email`, { method: 'POST', headers: { ...json, origin: 'https://auth.example.com' }, body: JSON.stringify({ email, password, name: 'Ops' }) });
    return fetch(`${app.url}/api/auth/sign-in/email`, { method: 'POST', headers: { ...json, origin: 'https://auth.example.com' }, body: JSON.stringify({ email, password }) });
  };

  it('sets HttpOnly, SameSite session cookies, Secure (and __Secure-) in production', async () => {
    const dev = (await signUpAndIn(t)).headers.get('set-cookie')!;
    expect(dev).toMatch(/better-auth\.session_token=/);
    expect(dev).toMatch(/HttpOnly/i);
    expect(dev).toMatch(/SameSite=Lax/i);
    expect(dev).not.toMatch(/Secure/);
    const production = (await signUpAndIn(prod)).headers.get('set-cookie')!;
    expect(production).toMatch(/__Secure-better-auth\.session_token=/);
    expect(production).toMatch(/; Secure/i);
    expect(production).toMatch(/HttpOnly/i);
  });

  it('exports repository, cache and HTTP metrics on /metrics', async () => {
    await signUpAndIn(t);
    const text = await (await fetch(`${t.url}/metrics`)).text();
    const lines = text.split('\n');
    const has = (metric: string, ...parts: string[]) => lines.some((l) => l.startsWith(`${metric}{`) && parts.every((p) => l.includes(p)));
    expect(has('auth_operations_total', 'operation="http POST /api/auth/*"', 'outcome="success"')).toBe(true);
    expect(has('auth_operations_total', 'operation="user.', 'outcome="success"')).toBe(true);
    expect(has('auth_operation_duration_seconds_bucket', 'operation="account.')).toBe(true);
    expect(has('auth_events_total', 'event="cache.')).toBe(true);
  });

  it('serves the OpenAPI reference of the auth endpoints', async () => {
    const res = await fetch(`${t.url}/api/auth/reference`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const schema = await fetch(`${t.url}/api/auth/open-api/generate-schema`);
    expect(schema.status).toBe(200);
    const paths = Object.keys(((await schema.json()) as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/sign-in/email', '/sign-up/email', '/get-session']));
  });
});
