import { request } from 'node:http';
import { startTestApp, type TestApp } from '../testing/testApp';
import { ACCOUNT_SIGN_IN_LIMIT, IP_RULES } from './rateLimit/authRateLimit';

const json = { 'content-type': 'application/json' };

/** POSTs JSON from a chosen loopback address, so the server sees a different client IP. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; headers: Record<string, unknown> }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', localAddress, headers: json },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('brute-force limits', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  it('limits sign-in attempts per IP with 429 and Retry-After, counted in Redis', async () => {
    t = await startTestApp({ redis: true, env: { AUTH_RATE_LIMIT: 'on' } });
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < IP_RULES['/sign-in/email'].max + 2; i++) {
      const res = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email: `ip-${i}@example.com`, password: 'wrong password here' }) });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.slice(0, IP_RULES['/sign-in/email'].max).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // The standard header, in the app's error shape (Better-Auth alone sends X-Retry-After and { message }).
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers.get('x-retry-after')).toBe(limited!.headers.get('retry-after'));
    expect(await limited!.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
  });

  it('limits sign-in attempts per account, whatever the client IP', async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: 'on' } });
    const email = `acct-${Date.now()}@example.com`;
    const statuses: number[] = [];
    let retryAfter: unknown;
    for (let i = 0; i < ACCOUNT_SIGN_IN_LIMIT.max + 1; i++) {
      // A new loopback address every few attempts keeps each IP under its own limit.
      const ip = `127.0.0.${2 + Math.floor(i / 5)}`;
      const res = await postFrom(ip, `${t.url}/api/auth/sign-in/email`, { email, password: 'wrong password here' });
      statuses.push(res.status);
      retryAfter ??= res.status === 429 ? res.headers['retry-after'] : undefined;
    }
    expect(statuses.slice(0, ACCOUNT_SIGN_IN_LIMIT.max).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Another account from the same addresses is not affected.
    expect((await postFrom('127.0.0.2', `${t.url}/api/auth/sign-in/email`, { email: `other-${email}`, password: 'wrong password here' })).status).toBe(401);
  });
});
