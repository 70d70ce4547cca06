import { request } from 'node:http';
import { startRedisWithSentinel, waitFor, type RedisSentinelSetup } from '@tools/test-harness';
import type { TestDatabase } from '@tools/test-harness';
import { IP_RULES } from './auth/rateLimit/authRateLimit';
import { signedInUser } from './testing/sessionFixtures';
import { migratedDatabase, startTestApp, type TestApp } from './testing/testApp';

const DEADLINE_MS = 30_000;
const SIGN_IN_MAX = IP_RULES['/sign-in/email'].max;

/** One request from a chosen loopback address (each address has its own per-IP limits). */
function call(from: string, url: string, method: 'GET' | 'POST', headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; body: string; retryAfter?: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, localAddress: from, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, retryAfter: res.headers['retry-after'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const session = (from: string, app: TestApp, token: string) => call(from, `${app.url}/api/auth/get-session`, 'GET', { authorization: `Bearer ${token}` });
const wrongSignIn = (from: string, app: TestApp, i: number) => call(from, `${app.url}/api/auth/sign-in/email`, 'POST', {}, { email: `nobody-${i}@example.com`, password: 'wrong password here' });

describe('two app instances on Redis Sentinel: the master is killed under load', () => {
  let setup: RedisSentinelSetup;
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    setup = await startRedisWithSentinel();
    database = await migratedDatabase('sentinel');
    const env = { REDIS_SENTINELS: setup.sentinels.map(({ host, port }) => `${host}:${port}`).join(','), REDIS_SENTINEL_MASTER: setup.masterName, AUTH_RATE_LIMIT: 'on' };
    a = await startTestApp({ database, env });
    b = await startTestApp({ database, env });
    expect(await a.context.cache.ready(DEADLINE_MS)).toBe(true);
    expect(await b.context.cache.ready(DEADLINE_MS)).toBe(true);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
    await setup?.stop();
  });

  it('answers no 5xx but the designed 503, follows the new master, sees bans on the other instance, and keeps limiting', async () => {
    const bannedDuring = await signedInUser(a, 'banned-during-failover');
    const bannedAfter = await signedInUser(a, 'banned-after-failover');
    const steady = await signedInUser(a, 'steady');
    for (const user of [bannedDuring, bannedAfter, steady]) expect(JSON.parse((await session('127.0.0.3', b, user.token)).body)).toMatchObject({ user: { id: user.id } });
    // Sign-ins are counted in Redis, shared by both instances.
    for (let i = 0; i < 3; i++) expect((await wrongSignIn('127.0.0.10', i % 2 ? a : b, i)).status).toBe(401);

    // Load: sessions on both instances from their own address until stopped.
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    let running = true;
    const load = (async () => {
      for (let i = 0; running; i++) {
        const answer = await session('127.0.0.2', i % 2 ? a : b, steady.token);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500 && !(answer.status === 503 && Number(answer.retryAfter) > 0)) bad.push(`${answer.status} ${answer.body.slice(0, 200)}`);
      }
    })();
    await waitFor(async () => {
      if ([...statuses.values()].reduce((n, c) => n + c, 0) < 20) throw new Error('load not running yet');
    }, DEADLINE_MS, 'load');

    const killed = await setup.killMaster();
    // A ban while no master answers: Postgres has it, the invalidation waits for Redis.
    await a.context.repositories.users.batchUpdateStatus([bannedDuring.id], 'BANNED', 'admin', 'abuse');
    // The limit holds while Redis is away (never fails open). Each hit is counted in memory or, once
    // the new master answers, in Redis: of 2 × max + 1 hits on one instance, one of the two counts
    // must pass max, so a 429 has to appear, whenever the switch happens; none before max.
    const during: Array<{ status: number; retryAfter?: string }> = [];
    for (let i = 0; i <= 2 * SIGN_IN_MAX; i++) during.push(await wrongSignIn('127.0.0.11', a, i));
    expect(during.slice(0, SIGN_IN_MAX).map((r) => r.status)).toEqual(Array<number>(SIGN_IN_MAX).fill(401));
    expect(during.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    const refusedDuring = during.filter((r) => r.status === 429);
    expect(refusedDuring.length).toBeGreaterThan(0);
    for (const r of refusedDuring) expect(Number(r.retryAfter)).toBeGreaterThan(0);
    const promoted = await setup.waitForFailover(killed);
    expect(promoted.port).not.toBe(killed.port);

    await waitFor(async () => {
      if ((await session('127.0.0.3', b, bannedDuring.token)).body !== 'null') throw new Error('B still serves the user banned during the failover');
    }, DEADLINE_MS, 'the ban made during the failover, on B');
    await waitFor(async () => {
      for (const t of [a, b]) if (t.context.cache.degraded || t.context.pluginServices.rateLimiter.mode !== 'redis') throw new Error('an instance is not back on Redis');
      await Promise.all([a, b].map((t) => wrongSignIn('127.0.0.12', t, 0)));
    }, DEADLINE_MS, 'both instances on the new master');

    await a.context.repositories.users.batchUpdateStatus([bannedAfter.id], 'BANNED', 'admin', 'abuse');
    await waitFor(async () => {
      if ((await session('127.0.0.3', b, bannedAfter.token)).body !== 'null') throw new Error('B still serves the user banned after the failover');
    }, DEADLINE_MS, 'the ban made after the failover, on B');
    expect(JSON.parse((await session('127.0.0.3', b, steady.token)).body)).toMatchObject({ user: { id: steady.id } });

    // After the failover the limit is shared again: a fresh address, alternating instances.
    // Alternating, each instance sees about max / 2 hits: only a count shared in Redis reaches max,
    // so a per-instance (or failed-open) limiter never answers the 429s asserted here.
    const after: Array<{ status: number; retryAfter?: string }> = [];
    for (let i = 0; i < SIGN_IN_MAX + 4; i++) after.push(await wrongSignIn('127.0.0.13', i % 2 ? a : b, i));
    expect(after.map((r) => r.status)).toEqual([...Array<number>(SIGN_IN_MAX).fill(401), 429, 429, 429, 429]);
    for (const r of after.slice(SIGN_IN_MAX)) expect(Number(r.retryAfter)).toBeGreaterThan(0);

    running = false;
    await load;
    expect(bad).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(0);
    for (const status of statuses.keys()) expect([200, 429, 503]).toContain(status);
  });
});
