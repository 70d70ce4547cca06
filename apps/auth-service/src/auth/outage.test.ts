import { waitFor, type LocalPostgres } from '@tools/test-harness';
import { startAppOnDedicatedPostgres, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };
const N = 100;

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

async function timed(fn: () => Promise<Response>): Promise<{ res: Response; ms: number }> {
  const started = performance.now();
  const res = await fn();
  return { res, ms: Math.round(performance.now() - started) };
}

describe('database outage', () => {
  let setup: Awaited<ReturnType<typeof startAppOnDedicatedPostgres>>;
  let pg: LocalPostgres;
  let t: TestApp;
  beforeAll(async () => {
    setup = await startAppOnDedicatedPostgres();
    ({ pg, app: t } = setup);
  });
  afterAll(async () => {
    await setup?.close();
  });

  it('answers 503 with Retry-After (never 401, never a hang) while Postgres is down, and recovers', async () => {
    const email = `outage-${Date.now()}@example.com`;
    const credentials = JSON.stringify({ email, password: 'a long enough password' });
    const signUp = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'a long enough password', name: 'O' }) });
    expect(signUp.status).toBe(200);

    await pg.stop();
    const signal = () => AbortSignal.timeout(10_000); // a hang fails the test instead of stalling it
    const signIn = await timed(() => fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: credentials, signal: signal() }));
    if (signIn.res.status !== 503) console.log('DEBUG', signIn.res.status, await signIn.res.clone().text(), t.logs.filter((l) => l.includes('"level":50')).slice(-3).join('\n'));
    expect(signIn.res.status).toBe(503);
    expect(Number(signIn.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await signIn.res.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');

    const unknownSession = await timed(() => fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: 'Bearer not-a-cached-token' }, signal: signal() }));
    expect(unknownSession.res.status).toBe(503);
    const ready = await fetch(`${t.url}/health/ready`, { signal: signal() });
    expect(ready.status).toBe(503);
    console.log(`outage answers: sign-in 503 in ${signIn.ms} ms, get-session 503 in ${unknownSession.ms} ms`);

    await pg.start();
    const restarted = performance.now();
    // Until it serves again every answer is a 503 (never a 401 or a 500).
    const answers: number[] = [];
    await waitFor(async () => {
      const status = (await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: credentials })).status;
      answers.push(status);
      if (status !== 200) throw new Error(`sign-in answered ${status}`);
    }, 30_000, 'sign-in after Postgres restarted');
    expect(answers.slice(0, -1).every((status) => status === 503)).toBe(true);
    console.log(`recovered: sign-in 200 ${Math.round(performance.now() - restarted)} ms after Postgres restarted`);
  });

  it('a sign-up in flight when Postgres dies gets 503 + Retry-After (never a 4xx), and leaves no half-created user', async () => {
    const email = `inflight-${Date.now()}@example.com`;
    const body = JSON.stringify({ email, password: 'a long enough password', name: 'I' });
    const users = t.context.repositories.users;
    // Fault injection, not a fake: the real insert runs, on a Postgres stopped just before it
    // (inside the sign-up transaction, after Better-Auth's own checks have passed).
    const prototype = Object.getPrototypeOf(users) as { create: (...args: unknown[]) => Promise<unknown> };
    const create = prototype.create;
    let stopped = false;
    const spy = jest.spyOn(prototype, 'create').mockImplementation(async function (this: unknown, ...args: unknown[]) {
      if (!stopped) {
        stopped = true;
        await pg.stop();
      }
      return create.apply(this, args);
    });
    let res: Response;
    try {
      res = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body, signal: AbortSignal.timeout(20_000) });
    } finally {
      spy.mockRestore();
    }
    expect(stopped).toBe(true);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');

    await pg.start();
    await waitFor(async () => {
      if ((await fetch(`${t.url}/health/ready`)).status !== 200) throw new Error('not ready');
    }, 30_000, 'readiness after restart');
    // Neither the user nor its account landed: the same sign-up succeeds and yields one user.
    expect(await users.findByEmail(email)).toBeNull();
    expect((await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body })).status).toBe(200);
    const signIn = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'a long enough password' }) });
    expect(signIn.status).toBe(200);
  }, 60_000);

  it(`logs the outage when it starts and when it ends, not once per 503 (${N} requests)`, async () => {
    const email = `logs-${Date.now()}@example.com`;
    const credentials = JSON.stringify({ email, password: 'a long enough password' });
    expect((await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'a long enough password', name: 'L' }) })).status).toBe(200);
    const before = t.logs.length;

    await pg.stop();
    const statuses: number[] = [];
    for (let i = 0; i < N; i++) {
      const path = i % 2 === 0 ? '/api/auth/sign-in/email' : '/api/auth/get-session';
      const init: RequestInit = i % 2 === 0 ? { method: 'POST', headers: json, body: credentials } : { headers: { authorization: `Bearer unknown-${i}` } };
      statuses.push((await fetch(`${t.url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) })).status);
    }
    expect(new Set(statuses)).toEqual(new Set([503]));
    await pg.start();
    await waitFor(async () => {
      const res = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: credentials });
      if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
    }, 30_000, 'sign-in after Postgres restarted');

    const lines = t.logs.slice(before).map((l) => JSON.parse(l) as LogLine);
    const loud = lines.filter((l) => l.level >= 40);
    const bytes = loud.reduce((sum, l) => sum + JSON.stringify(l).length, 0);
    console.log(`${N} outage requests: ${loud.length} warn/error lines (${bytes} bytes), ${lines.length} lines in all`);
    // Breaker transitions and the retries before each breaker opened: a few per breaker, not one per request (was ~2 per request).
    expect(loud.length).toBeLessThanOrEqual(40);
    expect(loud.filter((l) => JSON.stringify(l).includes('"stack"'))).toHaveLength(0);
    const started = loud.filter((l) => l.msg === 'dependency outage: answering 503');
    expect(started).toHaveLength(1);
    const ended = lines.filter((l) => l.msg === 'dependency outage over');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.answered503).toBeGreaterThanOrEqual(N); // and those of the wait for recovery
  }, 60_000);
});
