import { migrate } from '@libs/database';
import { startDedicatedPostgres, waitFor, type LocalPostgres } from '@tools/test-harness';
import { startTestApp, type TestApp } from './testing/testApp';

const json = { 'content-type': 'application/json' };

describe('start-up while Postgres is down', () => {
  let pg: LocalPostgres;
  let t: TestApp;
  beforeAll(async () => {
    pg = await startDedicatedPostgres();
    await migrate(pg.url);
    await pg.stop();
    t = await startTestApp({ databaseUrl: pg.url, waitReady: false });
  });
  afterAll(async () => {
    await t?.close();
    await pg?.destroy();
  });

  it('starts, is live but not ready, answers auth with 503 + Retry-After, then serves once Postgres appears (no restart)', async () => {
    const signal = () => AbortSignal.timeout(10_000); // a hang fails the test instead of stalling it
    expect((await fetch(`${t.url}/health/live`, { signal: signal() })).status).toBe(200);
    const notReady = await fetch(`${t.url}/health/ready`, { signal: signal() });
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('retry-after')).not.toBeNull();
    const readiness = (await notReady.json()) as { status: string; dependencies: { database: { healthy: boolean } } };
    expect(readiness.status).toBe('unavailable');
    expect(readiness.dependencies.database.healthy).toBe(false);

    const email = `boot-${Date.now()}@example.com`;
    const signUpBody = JSON.stringify({ email, password: 'a long enough password', name: 'B' });
    const during = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: signUpBody, signal: signal() });
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const session = await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: 'Bearer not-a-token' }, signal: signal() });
    expect(session.status).toBe(503);
    // Bad input while the database is away is still bad input (or an outage), never a 5xx of ours.
    const junk = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: '{}', signal: signal() });
    expect([400, 503]).toContain(junk.status);

    await pg.start();
    const started = performance.now();
    await waitFor(async () => {
      const res = await fetch(`${t.url}/health/ready`, { signal: signal() });
      if (res.status !== 200) throw new Error(`ready answered ${res.status}`);
    }, 30_000, 'readiness after Postgres started');
    console.log(`ready ${Math.round(performance.now() - started)} ms after Postgres started`);

    const after = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: signUpBody, signal: signal() });
    expect(after.status).toBe(200);
    const signIn = await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password: 'a long enough password' }), signal: signal() });
    expect(signIn.status).toBe(200);
    expect(t.logs.filter((line) => line.includes('database unreachable at start-up') && line.includes('"level":40'))).toHaveLength(1);
  }, 60_000);
});
