import { startPostgresWithReplica, waitFor, type PostgresWithReplica } from '@tools/test-harness';
import { ResilienceRegistry } from '@libs/utils';
import { PrismaDatabaseClient } from '../client/PrismaDatabaseClient';
import { migrate } from '../migrations/migrate';
import { UserRepository } from '../postgress/repositories/user';
import { createReplicaRouter, type CreateReplicaRouterOptions } from './createReplicaRouter';
import type { ReplicaRouter } from './ReplicaRouter';

/** Where a read was answered: a hot standby says it is in recovery. */
const servedBy = async (router: ReplicaRouter) =>
  (await router.read((c) => c.$queryRaw<Array<{ standby: boolean }>>`SELECT pg_is_in_recovery() AS standby`))[0]!.standby ? 'replica' : 'primary';

describe('ReplicaRouter on a real primary + streaming replica', () => {
  let pg: PostgresWithReplica;
  let primary: PrismaDatabaseClient;
  let resilience: ResilienceRegistry;
  let router: ReplicaRouter | undefined;
  let n = 0;

  const newRouter = (options: Partial<CreateReplicaRouterOptions> = {}) => {
    resilience = new ResilienceRegistry();
    router = createReplicaRouter({ primary, urls: [pg.replicaUrl], lagCheckMs: 50, maxLagMs: 60_000, resilience, ...options });
    return { router, users: new UserRepository({ db: primary, replicas: router, resilience }) };
  };
  const ready = (r: ReplicaRouter) => waitFor(async () => expect(r.status()[0]!.state).toBe('ready'), 30_000, 'the replica to be ready');
  const user = () => ({ email: `replica-${++n}-${Date.now()}@example.com`, name: `Replica ${n}` });
  const listed = (users: UserRepository, email: string) => users.findMany({ where: { email }, readFrom: 'replica' }).then((rows) => rows.length);

  beforeAll(async () => {
    pg = await startPostgresWithReplica();
    await migrate(pg.primaryUrl);
    await pg.waitForCatchUp();
    primary = new PrismaDatabaseClient({ url: pg.primaryUrl, poolMax: 4 });
  });
  afterEach(async () => {
    await router?.close();
    resilience?.close();
    router = undefined;
    if (!pg.replica.running) await pg.startReplica();
    await pg.resumeReplay().catch(() => undefined);
  });
  afterAll(async () => {
    await primary?.disconnect();
    await pg?.stop();
  });

  it('serves a lag-tolerant read from the replica; the writer reads its own write from the primary', async () => {
    const { router, users } = newRouter();
    await ready(router);
    expect(await router.consistency.run(() => servedBy(router), 'reader')).toBe('replica');
    await pg.pauseReplay();
    const input = user();
    // One request of actor A: its read after its write goes to the primary.
    const inSameRequest = await router.consistency.run(async () => {
      await users.create(input);
      return { rows: await listed(users, input.email), at: await servedBy(router) };
    }, 'actor-a');
    expect(inSameRequest).toEqual({ rows: 1, at: 'primary' });
    // Another request of A, within the window: still the primary.
    expect(await router.consistency.run(() => listed(users, input.email), 'actor-a')).toBe(1);
    // Actor B tolerates lag: the paused replica does not have the row yet.
    expect(await router.consistency.run(() => listed(users, input.email), 'actor-b')).toBe(0);
    expect(await router.consistency.run(() => users.paginate({ where: { email: input.email }, readFrom: 'replica' }), 'actor-b')).toMatchObject({ total: 0 });
    // Reads that must be current (sign-in, status checks) never go to a replica.
    expect((await router.consistency.run(() => users.findByEmail(input.email), 'actor-b'))?.email).toBe(input.email);
    await pg.resumeReplay();
    await waitFor(async () => expect(await router.consistency.run(() => listed(users, input.email), 'actor-b')).toBe(1), 30_000, 'the row on the replica');
  });

  it('ends read-your-writes after the window', async () => {
    const { router, users } = newRouter({ readYourWritesMs: 200 });
    await ready(router);
    await pg.pauseReplay();
    const input = user();
    await router.consistency.run(() => users.create(input), 'actor-c');
    expect(await router.consistency.run(() => listed(users, input.email), 'actor-c')).toBe(1);
    // The window is over once actor C's lag-tolerant read goes to the (paused) replica again.
    await waitFor(async () => expect(await router.consistency.run(() => listed(users, input.email), 'actor-c')).toBe(0), 10_000, 'the window to end');
  });

  it('answers from the primary, without an error, while the replica is stopped; back to the replica once it returns', async () => {
    const { router, users } = newRouter({ breakerThreshold: 2 });
    await ready(router);
    const input = user();
    await users.create(input);
    await pg.waitForCatchUp();
    await pg.stopReplica();
    for (let i = 0; i < 4; i++) {
      expect(await router.consistency.run(() => listed(users, input.email), 'reader')).toBe(1);
      expect((await router.consistency.run(() => users.getUserStats(), 'reader')).total).toBeGreaterThan(0);
    }
    await waitFor(async () => expect(router.status()[0]).toMatchObject({ state: 'down', lagSeconds: null }), 10_000, 'the replica marked down');
    expect(await servedBy(router)).toBe('primary');
    expect(['open', 'closed']).toContain(router.status()[0]!.breaker);
    await pg.startReplica();
    await ready(router);
    await waitFor(async () => expect(await servedBy(router)).toBe('replica'), 10_000, 'reads back on the replica');
  });

  it('opens the replica breaker on failed reads, before any lag check notices', async () => {
    const { router, users } = newRouter({ lagCheckMs: 60_000, breakerThreshold: 2, breakerResetMs: 60_000 });
    await ready(router);
    await pg.stopReplica();
    const input = user();
    await users.create(input);
    for (let i = 0; i < 3; i++) expect(await router.consistency.run(() => listed(users, input.email), 'reader')).toBe(1);
    expect(resilience.breakers.peek('postgres-replica')?.state).toBe('open');
    expect(router.status()[0]!.state).toBe('down');
  });

  it('skips a replica lagging past the bound, and uses it again once it has caught up', async () => {
    const { router, users } = newRouter({ maxLagMs: 300 });
    await ready(router);
    await pg.pauseReplay();
    const input = user();
    await users.create(input);
    await waitFor(async () => expect(router.status()[0]!.state).toBe('lagging'), 30_000, 'the replica to lag past the bound');
    expect(router.status()[0]!.lagSeconds).toBeGreaterThan(0.3);
    // A reader with no write of its own gets the primary's (current) answer.
    expect(await router.consistency.run(() => listed(users, input.email), 'actor-d')).toBe(1);
    expect(await router.consistency.run(() => servedBy(router), 'actor-d')).toBe('primary');
    await pg.resumeReplay();
    await ready(router);
    expect(router.status()[0]!.lagSeconds).toBe(0);
    expect(await router.consistency.run(() => servedBy(router), 'actor-d')).toBe('replica');
  });
});
