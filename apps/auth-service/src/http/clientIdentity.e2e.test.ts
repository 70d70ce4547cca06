import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { startLocalHaproxy, waitFor, type LocalHaproxy } from '@tools/test-harness';
import { startTestApp, type TestApp } from '../testing/testApp';
import { IP_RULES } from '../auth/rateLimit/authRateLimit';

interface Sent {
  status: number;
  body: string;
  cookie?: string;
}

/** One request from a chosen loopback address (127.0.0.2, 127.0.0.3 … are distinct clients on Linux). */
function send(base: string, localAddress: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Sent> {
  const { hostname, port } = new URL(base);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, localAddress, method: 'POST', path, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'user-agent': `client-${localAddress}`, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, cookie: [res.headers['set-cookie'] ?? []].flat()[0]?.split(';')[0] }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const PASSWORD = 'client identity password';
const signUpBody = () => ({ email: `ci-${randomUUID()}@example.com`, password: PASSWORD, name: 'Client Identity' });
const SIGN_UP_MAX = IP_RULES['/sign-up/email'].max;

describe('client identity behind the real HAProxy (deploy/haproxy.cfg, rate limits on)', () => {
  let t: TestApp;
  let proxy: LocalHaproxy;
  const A = '127.0.0.2';
  const B = '127.0.0.3';
  const DIRECT = '127.0.0.4';

  beforeAll(async () => {
    // HAProxy reaches the app from 127.0.0.1: the one peer trusted to name the client.
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: 'on', TRUST_PROXY: '127.0.0.1' } });
    proxy = await startLocalHaproxy([{ name: 'app-1', port: Number(new URL(t.url).port) }]);
    // The backend answers once HAProxy's health check has seen /health/ready.
    await waitFor(async () => {
      const res = await fetch(`${proxy.url}/health/ready`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`through haproxy: ${res.status}`);
    }, 20_000, 'the app through haproxy');
  });
  afterAll(async () => {
    await proxy?.stop();
    await t?.close();
  });

  it('two clients behind HAProxy have separate per-IP buckets; forging X-Forwarded-For through HAProxy changes nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_UP_MAX; i++) statuses.push((await send(proxy.url, A, '/api/auth/sign-up/email', signUpBody())).status);
    expect(statuses).toEqual(Array(SIGN_UP_MAX).fill(200));
    // A claims to be someone else: HAProxy appends A's real address, which is what counts.
    const forged = await send(proxy.url, A, '/api/auth/sign-up/email', signUpBody(), { 'x-forwarded-for': '198.51.100.23' });
    expect(forged.status).toBe(429);
    expect((await send(proxy.url, A, '/api/auth/sign-up/email', signUpBody())).status).toBe(429);
    // B, behind the same HAProxy, has a bucket of its own.
    expect((await send(proxy.url, B, '/api/auth/sign-up/email', signUpBody())).status).toBe(200);
  });

  it('a direct client (not the trusted proxy) that forges X-Forwarded-For is still one client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= SIGN_UP_MAX; i++) statuses.push((await send(t.url, DIRECT, '/api/auth/sign-up/email', signUpBody(), { 'x-forwarded-for': `203.0.113.${i + 1}` })).status);
    expect(statuses).toEqual([...Array(SIGN_UP_MAX).fill(200), 429]);
    // Pretending to be B does not spend B's budget either.
    expect((await send(proxy.url, B, '/api/auth/sign-up/email', signUpBody())).status).toBe(200);
  });

  it('the session row and the sign-in event record the client address, not HAProxy\'s (nor a forged one)', async () => {
    const account = { ...signUpBody(), email: `ci-row-${randomUUID()}@example.com` };
    // Sign-up from an address whose sign-up budget is untouched.
    expect((await send(proxy.url, '127.0.0.5', '/api/auth/sign-up/email', account)).status).toBe(200);
    const user = (await t.context.repositories.users.findByEmail(account.email))!;

    const viaProxy = await send(proxy.url, B, '/api/auth/sign-in/email', { email: account.email, password: PASSWORD }, { 'x-forwarded-for': '198.51.100.99' });
    expect(viaProxy.status).toBe(200);
    const direct = await send(t.url, DIRECT, '/api/auth/sign-in/email', { email: account.email, password: PASSWORD }, { 'x-forwarded-for': '198.51.100.98' });
    expect(direct.status).toBe(200);

    const sessions = await t.context.repositories.sessions.findMany({ where: { userId: user.id } });
    expect(sessions.map((s) => [s.userAgent, s.ipAddress]).sort()).toEqual([
      [`client-${B}`, B],
      [`client-${DIRECT}`, DIRECT],
    ]);
    // Events are written off the answer's path: wait for both rows, then check their addresses.
    let events: Array<{ ipAddress: string | null; userAgent: string | null }> = [];
    await waitFor(async () => {
      events = await t.context.repositories.events.findMany({ where: { userId: user.id, eventType: 'sign_in' } });
      if (events.length < 2) throw new Error(`${events.length} sign_in events so far`);
    }, 10_000, 'two sign_in events');
    expect(events.map((e) => [e.userAgent, e.ipAddress]).sort()).toEqual([
      [`client-${B}`, B],
      [`client-${DIRECT}`, DIRECT],
    ]);
  });
});
