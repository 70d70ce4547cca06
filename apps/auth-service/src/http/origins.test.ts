import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config';
import { startTestApp, type TestApp } from '../testing/testApp';
import { refusedUpgrade } from '../testing/wsClient';
import { baseUrlOf, trustedOriginsOf } from './origins';

describe('trusted origins: one list', () => {
  it('development with the default base URL adds the other loopback name; nowhere else', () => {
    expect(baseUrlOf(loadConfig({}))).toBe('http://127.0.0.1:3000');
    expect(trustedOriginsOf(loadConfig({}))).toEqual(['http://localhost:3000']);
    expect(trustedOriginsOf(loadConfig({ HOST: 'localhost', PORT: '4000' }))).toEqual(['http://127.0.0.1:4000']);
    expect(trustedOriginsOf(loadConfig({ HOST: '0.0.0.0', TRUSTED_ORIGINS: 'https://a.example' }))).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(trustedOriginsOf(loadConfig({ BETTER_AUTH_URL: 'http://127.0.0.1:3000' }))).toEqual([]);
    expect(trustedOriginsOf(loadConfig({ NODE_ENV: 'test' }))).toEqual([]);
    expect(trustedOriginsOf(loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: randomBytes(32).toString('base64'), SMTP_URL: 'smtp://smtp.example.com:587' }))).toEqual([]);
    expect(trustedOriginsOf(loadConfig({ HOST: '10.0.0.5' }))).toEqual([]);
  });

  describe('an app configured with Better-Auth\'s spellings only (BETTER_AUTH_SECRETS, BETTER_AUTH_TRUSTED_ORIGINS), in development', () => {
    const console = 'https://console.example';
    let t: TestApp;
    let localhost: string;
    beforeAll(async () => {
      t = await startTestApp({
        env: {
          // Development: Better-Auth's own origin check runs (the test environment skips it).
          NODE_ENV: 'development',
          BETTER_AUTH_SECRET: '',
          BETTER_AUTH_SECRETS: `2:${randomBytes(32).toString('base64')},1:${randomBytes(32).toString('base64')}`,
          BETTER_AUTH_TRUSTED_ORIGINS: console,
        },
      });
      localhost = t.url.replace('127.0.0.1', 'localhost');
    });
    afterAll(async () => {
      await t?.close();
    });

    // A browser that holds any cookie for the site: Better-Auth checks the Origin of such writes.
    const signUp = (origin: string, email: string) =>
      fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'theme=dark', origin }, body: JSON.stringify({ email, password: 'a long enough password', name: 'Origin' }) });

    it('Better-Auth\'s origin check: the configured origin and the localhost alias pass, another is 403', async () => {
      expect((await signUp(console, `console-${Date.now()}@example.com`)).status).toBe(200);
      // The console opened as http://localhost:<port>/admin against the default base URL http://127.0.0.1:<port>.
      expect((await signUp(localhost, `localhost-${Date.now()}@example.com`)).status).toBe(200);
      const refused = await signUp('https://evil.example', `evil-${Date.now()}@example.com`);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'INVALID_ORIGIN' });
    });

    it('the signature check: a cookie Better-Auth signed with the current BETTER_AUTH_SECRETS entry is accepted by the access core', async () => {
      const email = `signed-${Date.now()}@example.com`;
      expect((await signUp(console, email)).status).toBe(200);
      const signIn = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: console }, body: JSON.stringify({ email, password: 'a long enough password' }) });
      expect(signIn.status).toBe(200);
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
      const session = await fetch(`${t.url}/api/auth/get-session`, { headers: { cookie } });
      expect(session.status).toBe(200);
      expect(((await session.json()) as { user: { email: string } }).user.email).toBe(email);
    });

    it('CORS answers the configured origin, and not another', async () => {
      const preflight = (origin: string) => fetch(`${t.url}/api/auth/get-session`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
      expect((await preflight(console)).headers.get('access-control-allow-origin')).toBe(console);
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    });

    it('the cookie CSRF rule and the /ws Origin check use the same list', async () => {
      const write = (origin: string) => fetch(`${t.url}/api/admin/users/status`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'better-auth.session_token=x.y', origin }, body: '{}' });
      const csrf = await write('https://evil.example');
      expect(csrf.status).toBe(403);
      expect(await csrf.json()).toMatchObject({ error: { code: 'CSRF_ORIGIN' } });
      const trusted = await write(console);
      expect(((await trusted.json()) as { error?: { code?: string } }).error?.code).not.toBe('CSRF_ORIGIN');
      expect((await refusedUpgrade(t.url, { origin: 'https://evil.example' })).status).toBe(403);
      // A trusted origin gets past the Origin check to authentication: no credential, 401.
      expect((await refusedUpgrade(t.url, { origin: console })).status).toBe(401);
    });
  });
});
