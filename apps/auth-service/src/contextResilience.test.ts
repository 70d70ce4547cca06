import { migratedDatabase, startTestApp, type TestApp } from './testing/testApp';
import type { TestDatabase } from '@tools/test-harness';

const json = { 'content-type': 'application/json' };

describe('each app context owns its resilience registry', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    database = await migratedDatabase('resilience');
    a = await startTestApp({ database });
    b = await startTestApp({ database });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('an open breaker in one context neither shows in nor blocks the other', async () => {
    const email = `reg-${Date.now()}@example.com`;
    const body = JSON.stringify({ email, password: 'a long enough password', name: 'R' });
    expect((await fetch(`${a.url}/api/auth/sign-up/email`, { method: 'POST', headers: json, body })).status).toBe(200);
    expect(a.context.resilience).not.toBe(b.context.resilience);

    const credentials = JSON.stringify({ email, password: 'a long enough password' });
    expect((await fetch(`${a.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: credentials })).status).toBe(200);

    // Isolate (hold open) every breaker A has: A answers 503, B keeps serving on the same database.
    const keys = a.context.resilience.breakers.list().map((s) => s.key);
    expect(keys).toEqual(expect.arrayContaining(['db.user', 'db.account']));
    const isolations = keys.map((key) => a.context.resilience.breakers.get(key).policy.isolate());
    try {
      const onA = await fetch(`${a.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: credentials });
      expect(onA.status).toBe(503);
      expect(onA.headers.get('retry-after')).not.toBeNull();
      const onB = await fetch(`${b.url}/api/auth/sign-in/email`, { method: 'POST', headers: json, body: credentials });
      expect(onB.status).toBe(200);

      const readyA = await fetch(`${a.url}/health/ready`);
      expect(readyA.status).toBe(503);
      expect(((await readyA.json()) as { openBreakers: string[] }).openBreakers).toEqual(expect.arrayContaining(keys));
      const readyB = await fetch(`${b.url}/health/ready`);
      expect(readyB.status).toBe(200);
      expect(b.context.resilience.breakers.list().every((s) => s.state === 'closed')).toBe(true);
    } finally {
      for (const isolation of isolations) isolation.dispose();
    }
  });
});
