import { migrate } from '@libs/database';
import { startPatroniCluster, waitFor, withDatabase, type PatroniCluster } from '@tools/test-harness';
import { Client } from 'pg';
import { signedInUser, type SignedInUser } from '../testing/sessionFixtures';
import { startTestApp, type TestApp } from '../testing/testApp';

const json = { 'content-type': 'application/json' };
const PASSWORD = 'a long enough password';

interface Answer {
  kind: 'get-session' | 'sign-in' | 'sign-up';
  status: number;
  retryAfter: string | null;
  /** After the kill. */
  during: boolean;
}

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('auth-service on a Patroni cluster (synchronous_mode) across a primary crash', () => {
  let cluster: PatroniCluster;
  let t: TestApp;
  let databaseUrl: string;
  /** Sessions only read (get-session): signing in again updates a user's lastLoginAt, which evicts the cached user. */
  let readers: SignedInUser[];
  /** The user the clients sign in as. */
  let signer: SignedInUser;

  beforeAll(async () => {
    cluster = await startPatroniCluster({ nodes: 2, synchronous: true });
    await sql(cluster.writeUrl, 'CREATE DATABASE auth');
    databaseUrl = withDatabase(cluster.writeUrl, 'auth');
    await migrate(databaseUrl);
    t = await startTestApp({ databaseUrl, env: { DATABASE_REPLICA_URLS: withDatabase(cluster.readUrl, 'auth'), DATABASE_REPLICA_LAG_CHECK_MS: '200' } });
    readers = [await signedInUser(t, 'patroni-a'), await signedInUser(t, 'patroni-b')];
    signer = await signedInUser(t, 'patroni-c');
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    await cluster?.stop();
  });

  it('answers only 200 or 503 + Retry-After while the primary fails over, serves cached sessions throughout, and loses no acknowledged sign-up', async () => {
    for (const user of readers) expect((await fetch(`${t.url}/api/auth/get-session`, { headers: { authorization: `Bearer ${user.token}` } })).status).toBe(200);
    const answers: Answer[] = [];
    const acknowledged: string[] = [];
    const attempted: string[] = [];
    let killed = false;
    /** The new primary's name, once it is behind the write port. */
    const failover: { promoted?: string } = {};
    let recovered = false;
    let n = 0;
    const ask = async (kind: Answer['kind'], path: string, init: RequestInit) => {
      const res = await fetch(`${t.url}${path}`, { ...init, signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
      await res?.arrayBuffer();
      answers.push({ kind, status: res?.status ?? 0, retryAfter: res?.headers.get('retry-after') ?? null, during: killed });
      return res?.status ?? 0;
    };
    // Three clients, each a sequence of get-session (a cached session), sign-in and sign-up, until writes work again after the kill.
    const client = async (c: number) => {
      while (!recovered) {
        await ask('get-session', '/api/auth/get-session', { headers: { authorization: `Bearer ${readers[c % readers.length].token}` } });
        await ask('sign-in', '/api/auth/sign-in/email', { method: 'POST', headers: json, body: JSON.stringify({ email: signer.email, password: PASSWORD }) });
        const email = `failover-${c}-${n++}@example.com`;
        attempted.push(email);
        const status = await ask('sign-up', '/api/auth/sign-up/email', { method: 'POST', headers: json, body: JSON.stringify({ email, password: PASSWORD, name: 'F' }) });
        if (status === 200) {
          acknowledged.push(email);
          if (failover.promoted) recovered = true;
        }
      }
    };
    // And one reading cached sessions only, as a WebSocket server re-checking them would.
    const reader = async () => {
      for (let i = 0; !recovered; i++) await ask('get-session', '/api/auth/get-session', { headers: { authorization: `Bearer ${readers[i % readers.length].token}` } });
    };
    const load = Promise.all([...[0, 1, 2].map(client), reader()]);
    await waitFor(async () => expect(acknowledged.length).toBeGreaterThanOrEqual(3), 15_000, 'sign-ups before the kill');
    const old = await cluster.killPrimary();
    killed = true;
    failover.promoted = await cluster.waitForPrimary(old, 30_000);
    expect(failover.promoted).not.toBe(old);
    // `recovered` is set by a sign-up acknowledged once the new primary is behind the write port.
    await waitFor(async () => expect(recovered).toBe(true), 30_000, 'a sign-up acknowledged after the promotion');
    await load;

    const unexpected = answers.filter((a) => a.status !== 200 && a.status !== 503);
    expect(unexpected).toEqual([]);
    expect(answers.filter((a) => a.status === 503 && !(Number(a.retryAfter) >= 1))).toEqual([]);
    expect(answers.filter((a) => a.kind === 'get-session' && a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => a.during && a.kind === 'sign-up' && a.status === 200).length).toBeGreaterThanOrEqual(1);

    // The set check, on the new primary: every acknowledged sign-up is there, exactly once.
    const rows = await sql<{ email: string; n: number }>(databaseUrl, 'SELECT "email", count(*)::int AS n FROM "User" WHERE "email" = ANY($1) GROUP BY "email"', [attempted]);
    const present = new Map(rows.map((r) => [r.email, r.n]));
    expect(acknowledged.filter((email) => !present.has(email))).toEqual([]);
    expect(rows.filter((r) => r.n > 1)).toEqual([]);
    const statuses = answers.reduce<Record<string, number>>((acc, a) => ({ ...acc, [`${a.kind} ${a.status}`]: (acc[`${a.kind} ${a.status}`] ?? 0) + 1 }), {});
    console.log(`failover ${old} -> ${failover.promoted}: ${JSON.stringify(statuses)}; ${acknowledged.length} sign-ups acknowledged, all present`);
  }, 90_000);
});
