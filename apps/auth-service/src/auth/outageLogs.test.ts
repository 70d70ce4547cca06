import { waitFor, type LocalPostgres } from '@tools/test-harness';
import { startAppOnDedicatedPostgres, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };
const N = 60;

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

describe('logging during a database outage', () => {
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
    expect(loud.length).toBeLessThanOrEqual(25);
    expect(loud.filter((l) => JSON.stringify(l).includes('"stack"'))).toHaveLength(0);
    const started = loud.filter((l) => l.msg === 'dependency outage: answering 503');
    expect(started).toHaveLength(1);
    const ended = lines.filter((l) => l.msg === 'dependency outage over');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.answered503).toBeGreaterThanOrEqual(N); // and those of the wait for recovery
  }, 60_000);
});
