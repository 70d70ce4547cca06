import { startTestApp, type TestApp } from '../testing/testApp';
import { redactUrl } from './logRedaction';

describe('redactUrl', () => {
  it.each([
    ['/api/auth/callback/keycloak?code=abc&state=xyz', '/api/auth/callback/keycloak?code=[redacted]&state=[redacted]'],
    ['/api/auth/verify-email?token=t0k&callbackURL=%2Fdone', '/api/auth/verify-email?token=[redacted]&callbackURL=[redacted]'],
    ['/api/auth/reset-password/t0k?callbackURL=x', '/api/auth/reset-password/[redacted]?callbackURL=[redacted]'],
    ['/api/%61uth/verify-email?token=t0k', '/api/%61uth/verify-email?token=[redacted]'],
    ['/api/admin/users?email=a&pageSize=2&access_token=s&client_secret=s&newPassword=p', '/api/admin/users?email=a&pageSize=2&access_token=[redacted]&client_secret=[redacted]&newPassword=[redacted]'],
    ['/x?%74oken=s&flag', '/x?%74oken=[redacted]&flag'],
    ['/health/ready', '/health/ready'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('no secret from a URL reaches a log line (the app, its request logs)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('drives OAuth-callback-, verify-email- and reset-password-like URLs with secrets and finds none of them logged', async () => {
    const secrets = ['SEKRET-CODE-1', 'SEKRET-STATE-2', 'SEKRET-TOKEN-3', 'SEKRET-TOKEN-4', 'SEKRET-TOKEN-5', 'SEKRET-KEY-6'];
    const urls = [
      `/api/auth/callback/keycloak?code=${secrets[0]}&state=${secrets[1]}`,
      `/api/auth/oauth2/callback/keycloak?code=${secrets[0]}&state=${secrets[1]}`,
      `/api/auth/verify-email?token=${secrets[2]}&callbackURL=%2F`,
      `/api/auth/reset-password/${secrets[3]}?callbackURL=%2Freset`,
      `/no-such-route?id_token=${secrets[4]}`,
      `/api/admin/users?email=someone&api_key=${secrets[5]}`,
    ];
    const before = t.logs.length;
    for (const url of urls) {
      const res = await fetch(`${t.url}${url}`, { redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status).toBeLessThan(500);
    }
    const lines = t.logs.slice(before);
    // The request logs are there (keys kept), so the absence below is not an empty log.
    expect(lines.some((line) => line.includes('/api/auth/verify-email?token=[redacted]'))).toBe(true);
    expect(lines.some((line) => line.includes('code=[redacted]&state=[redacted]'))).toBe(true);
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  });
});
