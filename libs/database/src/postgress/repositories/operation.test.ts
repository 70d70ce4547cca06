import { isRepositoryError, type RepositoryError } from '../../errors/RepositoryError';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { DATABASE_ATTEMPTS_EVENT, OperationRunner } from './operation';

const lost = () => Object.assign(new Error('Connection terminated unexpectedly'));
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
let n = 0;
const runner = (metrics?: FakeMetricsCollector) => new OperationRunner({ repository: 'unit', metrics, retry: { breakerKey: `unit-${n++}`, baseDelayMs: 1, maxDelayMs: 2, maxRetries: 3 } });

describe('OperationRunner retry policy', () => {
  it('retries a read on a lost connection and succeeds', async () => {
    let calls = 0;
    const metrics = new FakeMetricsCollector();
    const value = await runner(metrics).run('read', async () => (++calls < 3 ? Promise.reject(lost()) : 'ok'));
    expect([value, calls]).toEqual(['ok', 3]);
    expect(metrics.operations.filter((o) => o.operation === 'unit.read').map((o) => o.success)).toEqual([false, false, true]);
    // Every try is one database attempt, counted where the chaos runner reads it (/metrics).
    expect(metrics.events[DATABASE_ATTEMPTS_EVENT]).toBe(3);
  });

  it('does not resend a non-idempotent write whose outcome is unknown', async () => {
    let calls = 0;
    const error = (await runner()
      .run('write', async () => {
        calls++;
        throw lost();
      }, { idempotent: false })
      .catch((e: unknown) => e)) as RepositoryError;
    expect(calls).toBe(1);
    expect(error).toMatchObject({ code: 'TRANSIENT', ambiguous: true, retryable: false });
  });

  it('resends a non-idempotent write that provably never reached the server', async () => {
    let calls = 0;
    const value = await runner().run('write', async () => (++calls < 2 ? Promise.reject(refused()) : 'written'), { idempotent: false });
    expect([value, calls]).toEqual(['written', 2]);
  });

  it('reconciles an ambiguous write: returns the landed row, or sends it again', async () => {
    let writes = 0;
    const landed = await runner().run('create', async () => {
      writes++;
      throw lost();
    }, { idempotent: false, reconcile: async () => 'found-it' });
    expect([landed, writes]).toEqual(['found-it', 1]);

    writes = 0;
    const resent = await runner().run('create', async () => (++writes === 1 ? Promise.reject(lost()) : 'second'), { idempotent: false, reconcile: async () => undefined });
    expect([resent, writes]).toEqual(['second', 2]);
  });

  it('maps exhausted retries to TRANSIENT and keeps figures', async () => {
    const r = runner();
    const error = await r.run('read', async () => Promise.reject(lost())).catch((e: unknown) => e);
    expect(isRepositoryError(error, 'TRANSIENT') && error.attempts).toBe(4);
    expect(r.metrics()).toMatchObject({ operationCount: 1, errorCount: 1 });
  });

  it('maps a dropped connection at the start of a transaction to TRANSIENT, not to a caller error', async () => {
    // What pg-pool rejects with when Prisma's startTransaction connects while Postgres shuts down:
    // a plain Error, no code, no severity (measured in the acknowledged-writes chaos scenario).
    const error = await runner()
      .runTransaction(async () => Promise.reject(lost()), 2)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TRANSIENT', ambiguous: true });
    // The caller's own errors still come back unchanged.
    const own = new Error('not a database error');
    await expect(runner().runTransaction(async () => Promise.reject(own), 2)).rejects.toBe(own);
  });
});
