import { executeWithRetry, ResilienceRegistry } from '@libs/utils/src/executeWithRetry';
import type { DatabaseClient, DatabaseHealth } from '../../types/DatabaseClient';
import { watchDatabaseRecovery } from './databaseRecovery';

/** A database whose health the test sets; counts health checks. */
function fakeDatabase() {
  const state = { healthy: false, checks: 0 };
  const db = {
    healthCheck: async (): Promise<DatabaseHealth> => {
      state.checks++;
      return { healthy: state.healthy, latencyMs: 0, pool: { total: 0, idle: 0, waiting: 0 }, embedded: false };
    },
  } as unknown as DatabaseClient;
  return { db, state };
}

const openBreaker = async (registry: ResilienceRegistry, key: string) => {
  for (let i = 0; i < 2; i++)
    await executeWithRetry(
      async () => {
        throw Object.assign(new Error('down'), { code: 'ECONNREFUSED' });
      },
      undefined,
      { operationName: key, maxRetries: 0, circuitBreakerThreshold: 2, circuitBreakerResetMs: 600_000, circuitBreakerHalfOpenCalls: 1, retryBudget: false, registry },
    ).catch(() => undefined);
};

describe('watchDatabaseRecovery', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('one health check per database serves every repository breaker over it, once per key however often it is asked', async () => {
    const registry = new ResilienceRegistry();
    const { db, state } = fakeDatabase();
    for (const key of ['db.user', 'db.user', 'db.session']) watchDatabaseRecovery(registry, db, key, 100);
    await openBreaker(registry, 'db.user');
    await openBreaker(registry, 'db.session');
    await jest.advanceTimersByTimeAsync(300);
    expect(state.checks).toBe(3);
    state.healthy = true;
    await jest.advanceTimersByTimeAsync(100);
    expect(registry.breakers.list().map((b) => b.state)).toEqual(['half-open', 'half-open']);
  });

  it('an interval of 0 turns it off', async () => {
    const registry = new ResilienceRegistry();
    const { db, state } = fakeDatabase();
    watchDatabaseRecovery(registry, db, 'db.user', 0);
    await openBreaker(registry, 'db.user');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(state.checks).toBe(0);
  });
});
