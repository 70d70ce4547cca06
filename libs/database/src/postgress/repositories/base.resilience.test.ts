import { startDedicatedPostgres, waitFor, type LocalPostgres } from '@tools/test-harness';
import { executeWithRetry, ResilienceRegistry } from '@libs/utils/src/executeWithRetry';
import { Client } from 'pg';
import { PrismaDatabaseClient } from '../../client/PrismaDatabaseClient';
import { isRepositoryError, type RepositoryError } from '../../errors/RepositoryError';
import { migrate } from '../../migrations/migrate';
import type { UserEvent } from '../../models';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
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
    const metrics = new FakeMetricsCollector();
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

    /** Database attempts of `operation` (rejections by an open breaker never reach Postgres). */
    const attempts = (metrics: FakeMetricsCollector, operation: string) => metrics.operations.filter((o) => o.operation === operation && o.errorCode !== 'CIRCUIT_OPEN').length;
    const codeOf = (error: unknown) => (error as RepositoryError).code;

    it('under concurrent load the breaker opens and requests stop reaching Postgres; the recovery check closes it after a restart', async () => {
      const metrics = new FakeMetricsCollector();
      const resilience = new ResilienceRegistry();
      // A reset far beyond the test's deadline: only the recovery check can close the breaker in time.
      const repo = new BaseRepository(
        { db: client, metrics, resilience, retry: { breakerKey: 'stopped-db', maxRetries: 3, baseDelayMs: 5, circuitBreakerThreshold: 5, circuitBreakerResetMs: 600_000, recoveryCheckMs: 50 } },
        { model: 'store' },
      );
      expect(await repo.count()).toBe(0);
      await pg.stop();

      // 20 waves of 20 concurrent requests.
      const codes: string[] = [];
      for (let wave = 0; wave < 20; wave++) {
        const outcomes = await Promise.all(Array.from({ length: 20 }, () => repo.count().then(() => 'OK', codeOf)));
        codes.push(...outcomes);
      }
      const breaker = resilience.breakers.peek('stopped-db')!;
      expect(breaker.state).toBe('open');
      expect(codes.filter((c) => c === 'OK')).toEqual([]);
      expect(codes.filter((c) => c === 'CIRCUIT_OPEN').length).toBeGreaterThan(360);
      // Only the requests already in flight when it opened reached Postgres (each at most one schedule).
      expect(attempts(metrics, 'store.count') - 1).toBeLessThanOrEqual(codes.length * 1.1);
      const whileOpen = attempts(metrics, 'store.count');
      const rejected = await Promise.all(Array.from({ length: 50 }, () => repo.findMany().then(() => 'OK', codeOf)));
      expect(rejected.every((c) => c === 'CIRCUIT_OPEN')).toBe(true);
      expect(attempts(metrics, 'store.count') + attempts(metrics, 'store.findMany')).toBe(whileOpen);
      const open = (await repo.findMany().catch((e: unknown) => e)) as RepositoryError;
      expect(open).toMatchObject({ code: 'CIRCUIT_OPEN', retryable: false });
      expect(open.retryAfterMs).toBeGreaterThan(0);
      expect(resilience.breakers.list()).toEqual([{ key: 'stopped-db', state: 'open' }]);

      await pg.start();
      // The health check releases the breaker; the next requests are its trials and close it.
      await waitFor(async () => expect(breaker.state).not.toBe('open'), 30_000, 'the recovery check releasing the breaker');
      const served = await Promise.all(Array.from({ length: 10 }, () => repo.count()));
      expect(served).toEqual(Array.from({ length: 10 }, () => 0));
      expect(breaker.state).toBe('closed');
      expect(metrics.breakerStates.filter((b) => b.breaker === 'stopped-db').map((b) => b.state)).toEqual(['closed', 'open', 'half-open', 'closed']);
      expect(await repo.create({ name: 'back', slug: 'back' })).toMatchObject({ slug: 'back' });
    });

    it('an outer executeWithRetry around a repository call on a stopped database makes one schedule of attempts, not two', async () => {
      const metrics = new FakeMetricsCollector();
      const resilience = new ResilienceRegistry();
      const repo = new BaseRepository({ db: client, metrics, resilience, retry: { breakerKey: 'nested', maxRetries: 3, baseDelayMs: 5, enableCircuitBreaker: false } }, { model: 'store' });
      await pg.stop();
      try {
        // The seed's Example 3 shape: 5 retries of its own around a repository that retries 3 times.
        const error = await executeWithRetry(() => repo.count(), undefined, { operationName: 'outer', maxRetries: 5, baseDelayMs: 5, registry: resilience }, metrics).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'TRANSIENT', attempts: 4, exhausted: true, retryable: false });
        expect(attempts(metrics, 'store.count')).toBe(4);
        expect(attempts(metrics, 'outer')).toBe(1);
      } finally {
        await pg.start();
      }
    });
  });
});
