import { Client } from 'pg';
import { ResilienceRegistry } from '@libs/utils';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { DATABASE_ATTEMPTS_EVENT } from './operation';
import { UserRepository } from './user';

describe('repositories under a lock (Postgres slow, not down)', () => {
  let t: MigratedTestDatabase;
  let holder: Client;
  beforeAll(async () => {
    t = await migratedTestDatabase('locktimeout', { lockTimeoutMs: 150 });
    holder = new Client({ connectionString: t.database.url });
    await holder.connect();
  });
  afterAll(async () => {
    await holder?.end();
    await t?.close();
  });

  it('a read or a write meeting the lock fails with TIMEOUT after one attempt each, the breaker opens, and both work once the lock is gone', async () => {
    const metrics = new FakeMetricsCollector();
    const resilience = new ResilienceRegistry();
    const users = new UserRepository({ db: t.client, metrics, resilience, retry: { circuitBreakerThreshold: 3, recoveryCheckMs: 0, circuitBreakerResetMs: 600_000 } });
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE "User" IN ACCESS EXCLUSIVE MODE');
    try {
      await expect(users.findByEmail('nobody@example.com')).rejects.toMatchObject({ code: 'TIMEOUT', exhausted: true, retryable: false });
      await expect(users.create({ email: 'locked@example.com', name: 'Locked' })).rejects.toMatchObject({ code: 'TIMEOUT' });
      // One attempt per call: a lock timeout is not sent again (it would wait on the same lock).
      expect(metrics.events[DATABASE_ATTEMPTS_EVENT]).toBe(2);
      await expect(users.findByEmail('nobody@example.com')).rejects.toMatchObject({ code: 'TIMEOUT' });
      // Three counted failures: the breaker is open and the next call costs no attempt.
      await expect(users.findByEmail('nobody@example.com')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
      expect(metrics.events[DATABASE_ATTEMPTS_EVENT]).toBe(3);
    } finally {
      await holder.query('ROLLBACK');
    }
    expect(await holder.query('SELECT 1 FROM "User" WHERE email = $1', ['locked@example.com']).then((r) => r.rowCount)).toBe(0);
    const fresh = new UserRepository({ db: t.client, resilience: new ResilienceRegistry() });
    expect(await fresh.create({ email: 'after@example.com', name: 'After' })).toMatchObject({ email: 'after@example.com' });
    resilience.close();
  });
});
