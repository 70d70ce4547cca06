import { startDedicatedPostgres, type LocalPostgres } from '@tools/test-harness';
import { Client } from 'pg';
import { PrismaDatabaseClient } from '../../client/PrismaDatabaseClient';
import { isRepositoryError, type RepositoryError } from '../../errors/RepositoryError';
import { migrate } from '../../migrations/migrate';
import type { UserEvent } from '../../models';
import { FakeMetrics } from '../../testing/FakeMetrics';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { BaseRepository } from './base';

async function admin<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const terminateOthers = (url: string, database: string) =>
  admin(url, (c) => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]));

describe('BaseRepository resilience', () => {
  describe('connections killed with pg_terminate_backend', () => {
    let t: MigratedTestDatabase;
    const metrics = new FakeMetrics();
    let events: BaseRepository<UserEvent>;
    let userId: string;

    beforeAll(async () => {
      t = await migratedTestDatabase('terminate', { poolMax: 4 });
      const users = new BaseRepository({ db: t.client }, { model: 'user' });
      userId = ((await users.create({ email: 'term@example.com', name: 'T' })) as { id: string }).id;
      // Slow inserts, so terminations land while a write is in flight.
      await admin(t.database.url, (c) =>
        c.query(`CREATE FUNCTION slow_insert() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.03); RETURN NEW; END $$ LANGUAGE plpgsql;
                 CREATE TRIGGER slow BEFORE INSERT ON "UserEvent" FOR EACH ROW EXECUTE FUNCTION slow_insert();`),
      );
      events = new BaseRepository({ db: t.client, metrics, retry: { breakerKey: 'terminate-test', baseDelayMs: 5, maxRetries: 5, circuitBreakerThreshold: 50 } }, { model: 'userEvent' });
    });
    afterAll(() => t.close());

    it('retries reads on fresh connections after every backend is killed', async () => {
      await Promise.all(Array.from({ length: 4 }, () => events.count()));
      await terminateOthers(t.database.url, t.database.name);
      const results = await Promise.all(Array.from({ length: 8 }, () => events.findMany({ take: 1 })));
      expect(results).toHaveLength(8);
    });

    it('never duplicates a create whose connection died mid-write', async () => {
      let stop = false;
      const killer = (async () => {
        while (!stop) {
          await new Promise((r) => setTimeout(r, 50));
          await terminateOthers(t.database.url, t.database.name);
        }
      })();
      const killed = () => metrics.operations.filter((o) => o.operation === 'userEvent.create.reconcile').length;
      const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => events.create({ userId, eventType: `e-${i}` })));
      stop = true;
      await killer;
      const rows = await admin(t.database.url, (c) => c.query<{ eventType: string; n: number }>('SELECT "eventType", count(*)::int AS n FROM "UserEvent" GROUP BY 1'));
      const counts = new Map(rows.rows.map((r) => [r.eventType, r.n]));
      outcomes.forEach((outcome, i) => {
        const n = counts.get(`e-${i}`) ?? 0;
        expect(n).toBeLessThanOrEqual(1);
        if (outcome.status === 'fulfilled') expect(n).toBe(1);
        else expect(isRepositoryError(outcome.reason)).toBe(true);
      });
      // The killer really hit writes in flight, and reconciliation recovered them.
      expect(killed()).toBeGreaterThan(0);
      expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(30);
    });
  });

  describe('database stopped', () => {
    let pg: LocalPostgres;
    let client: PrismaDatabaseClient;
    beforeAll(async () => {
      pg = await startDedicatedPostgres();
      await migrate(pg.url);
      // The harness runs Postgres with synchronous_commit off: make the schema survive an immediate stop.
      await admin(pg.url, (c) => c.query('CHECKPOINT'));
      client = new PrismaDatabaseClient({ url: pg.url, poolMax: 2, connectionTimeoutMs: 500 });
    });
    afterAll(async () => {
      await client.disconnect();
      await pg.destroy();
    });

    it('fails fast with CIRCUIT_OPEN once the breaker opens, then recovers after a restart', async () => {
      const metrics = new FakeMetrics();
      const repo = new BaseRepository(
        { db: client, metrics, retry: { breakerKey: 'stopped-db-test', maxRetries: 1, baseDelayMs: 5, circuitBreakerThreshold: 3, circuitBreakerResetMs: 400 } },
        { model: 'store' },
      );
      expect(await repo.count()).toBe(0);
      await pg.stop();
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) codes.push(((await repo.count().catch((e: unknown) => e)) as RepositoryError).code);
      expect(codes.slice(0, 1)).toEqual(['TRANSIENT']);
      expect(codes.at(-1)).toBe('CIRCUIT_OPEN');
      const open = (await repo.findMany().catch((e: unknown) => e)) as RepositoryError;
      expect(open.code).toBe('CIRCUIT_OPEN');
      expect(open.retryAfterMs).toBeGreaterThan(0);
      expect(metrics.breakers.some((b) => b.breaker === 'stopped-db-test' && b.state === 'open')).toBe(true);

      await pg.start();
      let recovered: number | undefined;
      for (let i = 0; i < 30 && recovered === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100));
        recovered = await repo.count().catch(() => undefined);
      }
      expect(recovered).toBe(0);
      expect(await repo.create({ name: 'back', slug: 'back' })).toMatchObject({ slug: 'back' });
    });
  });
});
