import { startDedicatedPostgres, waitFor, type LocalPostgres } from '@tools/test-harness';
import { migratedTestDatabase, type MigratedTestDatabase } from '../testing/testDatabase';
import { PrismaDatabaseClient } from './PrismaDatabaseClient';

describe('PrismaDatabaseClient', () => {
  let t: MigratedTestDatabase;
  beforeAll(async () => {
    t = await migratedTestDatabase('client', { poolMax: 3, statementTimeoutMs: 1_234, applicationName: 'client-test' });
  });
  afterAll(() => t.close());

  it('applies statement timeout and application name to every connection', async () => {
    const [row] = await t.client.prisma.$queryRaw<Array<{ st: string; app: string }>>`SELECT current_setting('statement_timeout') AS st, current_setting('application_name') AS app`;
    expect(row).toEqual({ st: '1234ms', app: 'client-test' });
  });

  it('caps the pool at poolMax under concurrent load', async () => {
    await Promise.all(Array.from({ length: 12 }, () => t.client.prisma.$queryRaw`SELECT pg_sleep(0.02)::text`));
    expect(t.client.poolStats().total).toBeLessThanOrEqual(3);
  });

  it('kills statements that run past the statement timeout', async () => {
    await expect(t.client.prisma.$queryRaw`SELECT pg_sleep(3)::text`).rejects.toThrow(/statement timeout|canceling statement/i);
  });

  it('reports health', async () => {
    const health = await t.client.healthCheck();
    expect(health).toMatchObject({ healthy: true, embedded: false });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
  });

  describe('across a Postgres restart', () => {
    let pg: LocalPostgres;
    beforeAll(async () => {
      pg = await startDedicatedPostgres();
    });
    afterAll(() => pg.destroy());

    it('survives the outage (no process crash), reports unhealthy, then recovers', async () => {
      const warnings: string[] = [];
      const client = new PrismaDatabaseClient({
        url: pg.url,
        poolMax: 2,
        connectionTimeoutMs: 1_000,
        logger: { warn: (obj) => warnings.push(String(obj['code'])) },
      });
      try {
        await client.connect();
        // Two idle connections in the pool when the server dies: their 'error' events must be handled.
        await Promise.all([client.prisma.$queryRaw`SELECT pg_sleep(0.05)::text`, client.prisma.$queryRaw`SELECT pg_sleep(0.05)::text`]);
        await pg.stop();
        const down = await client.healthCheck(1_000);
        expect(down.healthy).toBe(false);
        expect(down.errorCode).toBeDefined();
        await pg.start();
        // However long the restart takes to be answered on this machine, up to a generous deadline.
        await waitFor(async () => expect((await client.healthCheck()).healthy).toBe(true), 30_000, 'the health check after a restart');
        expect(await client.prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
        expect(warnings.length).toBeGreaterThan(0);
      } finally {
        await client.disconnect();
        await client.disconnect();
      }
    });
  });
});
