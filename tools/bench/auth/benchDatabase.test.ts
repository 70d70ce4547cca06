import { Client } from 'pg';
import { startBenchDatabase, type BenchDatabase } from './benchDatabase';

// The benchmark's own Postgres: prepared, and counting statements exactly per window. (That
// our migrations give Better-Auth its tables is proven by stockServer.test.ts.)
const SCHEMA = `CREATE TABLE "User" (id text PRIMARY KEY, email text);
                CREATE TABLE "UserSession" (id text PRIMARY KEY, token text)`;

describe('startBenchDatabase', () => {
  let db: BenchDatabase;

  beforeAll(async () => {
    db = await startBenchDatabase(async (url) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.query(SCHEMA);
      await client.end();
    });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('prepares the benchmark database', async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(rows.map((r) => r.name).sort()).toEqual(['User', 'UserSession']);
    } finally {
      await client.end();
    }
  });

  it('counts the statements run in the benchmark database since a reset, per request', async () => {
    expect(db.statements).not.toBeNull();
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await db.statements!.reset();
      for (let i = 0; i < 2; i++) {
        await client.query('BEGIN');
        await client.query('SELECT count(*) FROM "User" WHERE email = $1', [`u${i}@x`]);
        await client.query('SELECT count(*) FROM "UserSession" WHERE token = $1', [`t${i}`]);
        await client.query('COMMIT');
      }
      const summary = await db.statements!.read(2);
      expect(summary.queriesPerRequest).toBe(2);
      expect(summary.transactionsPerRequest).toBe(1);
      expect(summary.top.every((t) => !t.query.includes('u0@x'))).toBe(true);
      expect(await db.statements!.totalCalls()).toBe(8);
    } finally {
      await client.end();
    }
  });
});
