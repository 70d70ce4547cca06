import { Client } from 'pg';
import { startDedicatedPostgres, waitFor, type LocalPostgres } from '@tools/test-harness';
import { toRepositoryError } from '../errors/toRepositoryError';
import { isSafeToRetryWrite } from '@libs/utils/src/executeWithRetry';
import { isTransientDatabaseError } from '../postgress/repositories/retryClassification';
import { migratedTestDatabase, type MigratedTestDatabase } from '../testing/testDatabase';
import { SERVING_TABLES_HEALTH_CHECK_SQL } from './options';
import { PrismaDatabaseClient } from './PrismaDatabaseClient';

describe('PrismaDatabaseClient', () => {
  let t: MigratedTestDatabase;
  beforeAll(async () => {
    t = await migratedTestDatabase('client', { poolMax: 3, statementTimeoutMs: 1_234, lockTimeoutMs: 321, applicationName: 'client-test' });
  });
  afterAll(() => t.close());

  it('applies statement timeout, lock timeout and application name to every connection', async () => {
    const [row] = await t.client.prisma.$queryRaw<Array<{ st: string; lt: string; app: string }>>`SELECT current_setting('statement_timeout') AS st, current_setting('lock_timeout') AS lt, current_setting('application_name') AS app`;
    expect(row).toEqual({ st: '1234ms', lt: '321ms', app: 'client-test' });
  });

  it('a statement waiting on a lock another transaction holds fails with 55P03: transient, not applied, and the connection is free again', async () => {
    const holder = new Client({ connectionString: t.database.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE "User" IN ACCESS EXCLUSIVE MODE');
      const error: unknown = await t.client.prisma.user.count().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(JSON.stringify((error as { meta?: unknown }).meta)).toContain('55P03');
      expect(isTransientDatabaseError(error)).toBe(true);
      expect(isSafeToRetryWrite(error)).toBe(true);
      expect(toRepositoryError(error, 'user.count')).toMatchObject({ code: 'TIMEOUT', retryable: true });
      expect(t.client.poolStats().waiting).toBe(0);
      // The serving-tables health check notices the lock (readiness), `SELECT 1` does not.
      const serving = new PrismaDatabaseClient({ url: t.database.url, poolMax: 1, lockTimeoutMs: 200, healthCheckSql: SERVING_TABLES_HEALTH_CHECK_SQL });
      try {
        expect(await serving.healthCheck(5_000)).toMatchObject({ healthy: false, errorCode: '55P03' });
        expect((await t.client.healthCheck(5_000)).healthy).toBe(true);
      } finally {
        await serving.disconnect();
      }
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    expect(await t.client.prisma.user.count()).toBe(0);
    const serving = new PrismaDatabaseClient({ url: t.database.url, poolMax: 1, healthCheckSql: SERVING_TABLES_HEALTH_CHECK_SQL });
    expect((await serving.healthCheck(5_000)).healthy).toBe(true);
    await serving.disconnect();
  });

  it('caps the pool at poolMax under concurrent load', async () => {
    await Promise.all(Array.from({ length: 12 }, () => t.client.prisma.$queryRaw`SELECT pg_sleep(0.02)::text`));
    expect(t.client.poolStats().total).toBeLessThanOrEqual(3);
  });

  it('kills statements that run past the statement timeout', async () => {
    await expect(t.client.prisma.$queryRaw`SELECT pg_sleep(3)::text`).rejects.toThrow(/statement timeout|canceling statement/i);
  });

  it('a query the server never answers in time fails (transient) and its connection is destroyed, not handed out again', async () => {
    // Statement timeout off, client-side bound 300 ms: stands in for a server that stopped answering.
    const client = new PrismaDatabaseClient({ url: t.database.url, poolMax: 2, statementTimeoutMs: 0, queryTimeoutMs: 300 });
    try {
      await client.connect();
      const error: unknown = await client.prisma.$queryRaw`SELECT pg_sleep(3)::text`.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeDefined();
      expect(isTransientDatabaseError(error)).toBe(true);
      await waitFor(async () => expect(client.poolStats().total).toBe(0), 5_000, 'the timed-out connection to leave the pool');
      expect(await client.prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      await client.disconnect();
    }
  });

  it('reports health', async () => {
    const health = await t.client.healthCheck();
    expect(health).toMatchObject({ healthy: true, embedded: false });
    // Measured around a real round trip (performance.now() has sub-millisecond resolution), not a constant.
    expect(health.latencyMs).toBeGreaterThan(0);
    expect(health.pool.total).toBeGreaterThan(0);
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
        logger: { warn: (obj) => warnings.push(String((obj as { code?: unknown }).code)) },
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
