import { Client } from 'pg';
import { createTestDatabase, freePort, type TestDatabase } from '@tools/test-harness';
import { ChildServer } from './childServer';
import { checkKeyVerification, KEY_VERIFY_PATH } from './keyVerifyLoad';

// The baseline of the key phase as the benchmark runs it: stock Better-Auth + @better-auth/api-key
// in its own process, on its own (empty) database, with the keys it seeds.
describe('stock @better-auth/api-key server', () => {
  let database: TestDatabase;
  let server: ChildServer;
  let keys: string[];

  beforeAll(async () => {
    database = await createTestDatabase('bench_stock_keys');
    server = await ChildServer.start({
      name: 'stock-keys',
      script: 'tools/bench/auth/stockKeyServer.ts',
      port: await freePort(),
      env: { DATABASE_URL: database.url, BETTER_AUTH_SECRET: 'bench-test-secret-0123456789abcdef-0123', BENCH_KEYS: '3' },
    });
    keys = ((await (await fetch(`${server.url}/bench/keys`)).json()) as { keys: string[] }).keys;
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('seeds keys into its own apikey table and verifies them (200 valid, 401 for a wrong key)', async () => {
    expect(keys).toHaveLength(3);
    await checkKeyVerification('stock-keys', server.url, keys[1]);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM apikey');
      expect(rows[0].n).toBe('3');
    } finally {
      await client.end();
    }
  });

  it('answers an unknown key with valid: false (the failure the benchmark checks for)', async () => {
    const response = await fetch(`${server.url}${KEY_VERIFY_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: 'nope' }) });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ valid: false });
  });
});
