import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { waitFor } from '@tools/test-harness';
import { startTestApp, type TestApp } from '../testing/testApp';
import { refusedUpgradeRaw } from '../testing/wsClient';
import { signUp, type SignedUpUser } from '../features/betterAuth/testing/users';
import { TOO_MANY_FAILED_CREDENTIALS } from './credentialFailures';

const LIMIT = 6;

/** One request from a chosen loopback source address (the app sees it as the client address). */
function call(t: TestApp, from: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL(path, t.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress: from, agent: false, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A /ws upgrade from `from` that the app refuses: its status and body. */
const upgrade = (t: TestApp, from: string, headers: Record<string, string>) => refusedUpgradeRaw(t.url, headers, from);

const randomKey = () => `sk_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('hex').slice(0, 32)}`;
const bearer = () => ({ authorization: `Bearer ${randomBytes(24).toString('base64url')}` });

describe('failed credential lookups are limited per address, on every route family', () => {
  let t: TestApp;
  let user: SignedUpUser;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: 'on', CREDENTIAL_FAILURE_LIMIT: String(LIMIT), CREDENTIAL_FAILURE_WINDOW_MS: '60000' } });
    user = await signUp(t.url, 'Legit');
  });
  afterAll(() => t?.close());

  it(`after ${LIMIT} unknown credentials from one address, its credential requests answer 429 with Retry-After; another address with a valid session is served`, async () => {
    const attacker = '127.0.0.2';
    // One unknown credential per route family: lean get-session, admin, Better-Auth, api-key verify, /ws upgrade.
    const failures = [
      () => call(t, attacker, 'GET', '/api/auth/get-session', bearer()),
      () => call(t, attacker, 'GET', '/api/admin/users/stats', { 'x-api-key': randomKey() }),
      () => call(t, attacker, 'GET', '/api/auth/roles/my-permissions', bearer()),
      () => call(t, attacker, 'POST', '/api/auth/api-key/verify', {}, { key: randomKey() }),
      () => upgrade(t, attacker, bearer()),
      () => call(t, attacker, 'GET', '/api/auth/get-session', { 'x-api-key': randomKey() }),
    ];
    const statuses: number[] = [];
    for (const failure of failures) statuses.push(await failure().then((r) => r.status, (e: Error) => { throw new Error(`request ${statuses.length}: ${e.message}`); }));
    expect(statuses).not.toContain(429);
    expect(statuses.every((s) => s < 500)).toBe(true);
    // The last failure is charged once its answer is sent: wait for the block (with a deadline).
    await waitFor(async () => expect(t.context.credentialFailures!.blockedFor(attacker)).toBeGreaterThan(0), 10_000, 'the address being blocked');

    for (const failure of failures) {
      const refused = await failure();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(refused.body)).toEqual({ error: TOO_MANY_FAILED_CREDENTIALS });
    }
    // The legitimate client, from its own address, is not blocked by someone else's failures.
    const legit = await call(t, '127.0.0.1', 'GET', '/api/auth/get-session', { cookie: user.cookie });
    expect(legit.status).toBe(200);
    expect(JSON.parse(legit.body)).toMatchObject({ user: { id: user.id } });
    // Requests without a credential from the blocked address (sign-in) are not refused by this limit.
    const signIn = await call(t, attacker, 'POST', '/api/auth/sign-in/email', {}, { email: user.email, password: 'correct horse battery' });
    expect(signIn.status).toBe(200);
  });

  it('a valid credential never counts as a failure', async () => {
    const from = '127.0.0.3';
    for (let i = 0; i < LIMIT * 3; i++) expect((await call(t, from, 'GET', '/api/auth/get-session', { cookie: user.cookie })).status).toBe(200);
  });
});
