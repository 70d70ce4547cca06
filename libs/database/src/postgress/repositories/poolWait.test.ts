import { freePort, waitFor } from '@tools/test-harness';
import { ResilienceRegistry } from '@libs/utils/src/executeWithRetry';
import { PrismaDatabaseClient } from '../../client/PrismaDatabaseClient';
import type { RepositoryError } from '../../errors/RepositoryError';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { BaseRepository } from './base';

const THRESHOLD = 3;
const N = THRESHOLD * 3;
const retry = (breakerKey: string) => ({ breakerKey, maxRetries: 1, baseDelayMs: 5, circuitBreakerThreshold: THRESHOLD, circuitBreakerResetMs: 600_000 });

describe('pool-wait timeouts answer as an outage but leave the breaker closed; real connection failures open it', () => {
  let t: MigratedTestDatabase;
  let client: PrismaDatabaseClient;
  beforeAll(async () => {
    t = await migratedTestDatabase('poolwait');
    // One connection, a short wait for it (opened below, before the pool is exhausted).
    client = new PrismaDatabaseClient({ url: t.database.url, poolMax: 1, connectionTimeoutMs: 250 });
  });
  afterAll(async () => {
    await client?.disconnect();
    await t?.close();
  });

  it(`${N} requests that found no free pooled connection: each fails transient (a 503), the breaker stays closed, the next request is served`, async () => {
    const resilience = new ResilienceRegistry();
    const repo = new BaseRepository({ db: client, resilience, retry: retry('pool-wait') }, { model: 'store' });
    // Opening the one connection may itself take longer than 250 ms on a loaded machine.
    await waitFor(async () => expect(await client.prisma.store.count()).toBe(0), 30_000, 'the pooled connection opening');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const holds = new Promise<void>((resolve) => (holding = resolve));
    // The only connection stays checked out until every request below has failed.
    const holder = client.prisma.$transaction(async (tx) => {
      await tx.store.count();
      holding();
      await held;
    }, { timeout: 60_000 });
    await holds;
    const failures: RepositoryError[] = [];
    try {
      for (let i = 0; i < N; i++) failures.push((await repo.count().then(() => undefined, (e: unknown) => e)) as RepositoryError);
    } finally {
      release();
      await holder;
    }
    expect(failures.map((f) => f?.code)).toEqual(Array.from({ length: N }, () => 'TRANSIENT'));
    expect(resilience.breakers.peek('pool-wait')?.state).toBe('closed');
    expect(await repo.count()).toBe(0);
  });

  it(`${N} refused connections open the breaker`, async () => {
    const down = new PrismaDatabaseClient({ url: `postgresql://auth:auth@127.0.0.1:${await freePort()}/none`, poolMax: 1, connectionTimeoutMs: 100 });
    const resilience = new ResilienceRegistry();
    const repo = new BaseRepository({ db: down, resilience, retry: { ...retry('refused'), recoveryCheckMs: 600_000 } }, { model: 'store' });
    try {
      const codes: string[] = [];
      for (let i = 0; i < N; i++) codes.push(await repo.count().then(() => 'OK', (e: unknown) => (e as RepositoryError).code));
      expect(codes.slice(-1)).toEqual(['CIRCUIT_OPEN']);
      expect(resilience.breakers.peek('refused')?.state).toBe('open');
    } finally {
      await down.disconnect().catch(() => undefined);
    }
  });
});
