import { Client } from 'pg';
import { createTestDatabase, freePort, type TestDatabase } from '@tools/test-harness';
import { isAuthBenchError } from './AuthBenchError';
import { ChildServer } from './childServer';
import { seedUsers, type BenchUser } from './seed';
import { measureSignIns } from './signIn';
import { verifySession } from './verifySession';

// The benchmark's stock server as the benchmark runs it (its own process, stock Better-Auth on
// OUR schema), with the seeding, session check and sign-in steps that rely on it.
describe('stock Better-Auth server on our Prisma schema', () => {
  let database: TestDatabase;
  let server: ChildServer;
  let users: BenchUser[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('bench_stock');
    server = await ChildServer.start({
      name: 'stock',
      script: 'tools/bench/auth/stockServer.ts',
      port: await freePort(),
      env: { DATABASE_URL: database.url, BETTER_AUTH_SECRET: 'bench-test-secret-0123456789abcdef-0123' },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('signs users up into User/Account/UserSession and answers their bearer getSession', async () => {
    users = await seedUsers(server.url, 3, 2);
    expect(users.map((u) => u.email)).toEqual(['bench-user-0@bench.local', 'bench-user-1@bench.local', 'bench-user-2@bench.local']);
    expect(new Set(users.map((u) => u.token)).size).toBe(3);

    const body = JSON.parse(await verifySession('stock', server.url, users[1])) as { user: { email: string } };
    expect(body.user.email).toBe(users[1].email);

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ sessions: string; accounts: string }>(
        `SELECT (SELECT count(*) FROM "UserSession") AS sessions, (SELECT count(*) FROM "Account" WHERE "providerId" = 'credential') AS accounts`,
      );
      expect(rows[0]).toEqual({ sessions: '3', accounts: '3' });
    } finally {
      await client.end();
    }
  });

  it('fails the session check for a forged token or for the wrong user', async () => {
    const forged = await verifySession('stock', server.url, { ...users[0], token: 'not-a-token.AAAA' }).catch((e: unknown) => e);
    expect(isAuthBenchError(forged) && forged.code).toBe('SESSION_INVALID');
    const wrongUser = await verifySession('stock', server.url, { ...users[0], token: users[2].token }).catch((e: unknown) => e);
    expect(isAuthBenchError(wrongUser) && wrongUser.code).toBe('SESSION_INVALID');
  });

  it('times sign-ins and counts wrong passwords as failures, untimed', async () => {
    const good = await measureSignIns(server.url, users, 2, 1);
    expect(good.failures).toBe(0);
    expect(good.latenciesMs).toHaveLength(2);
    expect(good.tokens).toHaveLength(2); // the measured sessions, for the sign-out phase
    const bad = await measureSignIns(server.url, users.map((u) => ({ ...u, password: 'wrong-password-1' })), 2);
    expect(bad).toEqual({ latenciesMs: [], failures: 2, tokens: [] });
  });

  it("reports the server process's own CPU time over IPC, growing with work", async () => {
    const before = await server.cpuUsage();
    await measureSignIns(server.url, users, 1);
    const after = await server.cpuUsage();
    expect(after.userMicros + after.systemMicros).toBeGreaterThan(before.userMicros + before.systemMicros);
  });
});
