import { Client } from 'pg';
import { waitFor, type TestDatabase } from '@tools/test-harness';
import { migratedDatabase, startTestApp, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };
const password = 'a long enough password';
// A hang fails the test instead of stalling it; nothing here measures time.
const signal = () => AbortSignal.timeout(15_000);

async function expectOutage(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('SERVICE_UNAVAILABLE');
}

describe('a lock held on the user and session tables (Postgres slow, not down)', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await migratedDatabase('slowdb');
    t = await startTestApp({ database, env: { DATABASE_LOCK_TIMEOUT_MS: '200' } });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('sign-in, sign-up and an uncached get-session answer 503 + Retry-After (the lock timeout bounds the wait), readiness reports it, and all serve once the lock is released', async () => {
    const email = `slow-${Date.now()}@example.com`;
    const credentials = JSON.stringify({ email, password });
    const signUp = await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email, password, name: 'S' }) });
    expect(signUp.status).toBe(200);

    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    let holding = false;
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE "User", "UserSession" IN ACCESS EXCLUSIVE MODE');
      holding = true;
      await expectOutage(await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: credentials, signal: signal() }));
      await expectOutage(
        await fetch(`${t.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body: JSON.stringify({ email: `locked-${email}`, password, name: 'L' }), signal: signal() }),
      );
      await expectOutage(await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: 'Bearer not-a-cached-token' }, signal: signal() }));
      const ready = await fetch(`${t.url}/health/ready`, { signal: signal() });
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { dependencies: { database: { errorCode?: string } } }).dependencies.database.errorCode).toBe('55P03');
      expect(await fetch(`${t.url}/health/live`, { signal: signal() }).then((r) => r.status)).toBe(200);
      // Nothing waits on the pool: every statement that met the lock gave its connection back.
      expect(t.context.db.poolStats().waiting).toBe(0);
    } finally {
      if (holding) await holder.query('ROLLBACK');
      await holder.end();
    }

    await waitFor(async () => expect((await fetch(`${t.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: credentials })).status).toBe(200), 30_000, 'sign-in after the lock is released');
    await waitFor(async () => expect((await fetch(`${t.url}/health/ready`)).status).toBe(200), 30_000, 'readiness after the lock is released');
    // The sign-up refused while locked left no row behind.
    const check = new Client({ connectionString: database.url });
    await check.connect();
    try {
      expect((await check.query('SELECT 1 FROM "User" WHERE email = $1', [`locked-${email}`])).rowCount).toBe(0);
    } finally {
      await check.end();
    }
  });
});
