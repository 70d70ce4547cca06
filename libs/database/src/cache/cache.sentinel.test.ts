import { ResilienceRegistry } from '@libs/utils';
import { redisCommand, startRedisWithSentinel, waitFor, type RedisSentinelSetup } from '@tools/test-harness';
import { ResilientCacheService } from './cache.service';
import { createRedisClient, type RedisSentinelEndpoint } from './redisEndpoint';
import { FakeMetricsCollector } from '@libs/monitoring/testing';

const DEADLINE_MS = 30_000;

/** Two cache instances on one Sentinel-managed Redis, as two app instances would have. */
async function twoCaches(setup: RedisSentinelSetup, prefix: string) {
  const endpoint: RedisSentinelEndpoint = { sentinels: setup.sentinels, masterName: setup.masterName };
  const registry = new ResilienceRegistry();
  const metricsA = new FakeMetricsCollector();
  const metricsB = new FakeMetricsCollector();
  const common = { redis: endpoint, prefix, retry: { circuitBreakerResetMs: 200, registry } };
  const a = new ResilientCacheService({ ...common, metrics: metricsA });
  const b = new ResilientCacheService({ ...common, metrics: metricsB });
  expect(await a.ready(DEADLINE_MS)).toBe(true);
  expect(await b.ready(DEADLINE_MS)).toBe(true);
  // Reads of L2 straight from whichever node is master (what a third instance would see).
  const raw = createRedisClient(endpoint, { maxRetriesPerRequest: 1 });
  raw.on('error', () => undefined);
  return {
    a,
    b,
    metricsA,
    metricsB,
    raw,
    rawKey: (key: string) => `${prefix}:k:${key}`,
    async close() {
      await Promise.all([a.close(), b.close()]);
      raw.disconnect();
      registry.close();
    },
  };
}

/** Reads, writes and invalidations on both instances until stopped; counts what threw. */
function loadLoop(a: ResilientCacheService, b: ResilientCacheService) {
  let running = true;
  let operations = 0;
  const errors: unknown[] = [];
  const done = (async () => {
    for (let i = 0; running; i++) {
      const key = `load:${i % 50}`;
      try {
        await a.set(key, { i });
        await b.get(key);
        await b.getOrSet(`loaded:${i % 20}`, async () => ({ loadedAt: i }), { tags: ['loaded'] });
        if (i % 5 === 0) await a.invalidateTags(['loaded']);
        if (i % 7 === 0) await b.delete(key);
        operations++;
      } catch (error) {
        errors.push(error);
      }
      // Yield to I/O: L1 hits resolve without it and would starve the event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return {
    get operations() {
      return operations;
    },
    async stop() {
      running = false;
      await done;
      return errors;
    },
  };
}

describe('cache on Redis Sentinel: the master is killed under load', () => {
  let setup: RedisSentinelSetup;
  let caches: Awaited<ReturnType<typeof twoCaches>>;
  beforeAll(async () => {
    setup = await startRedisWithSentinel();
    caches = await twoCaches(setup, 'failover');
  });
  afterAll(async () => {
    await caches?.close();
    await setup?.stop();
  });

  it('keeps serving, follows the promoted replica, and a ban done during the switch reaches the other instance', async () => {
    const { a, b, metricsA, metricsB, raw, rawKey } = caches;
    await a.set('user:banned', { status: 'ACTIVE' });
    expect(await b.get('user:banned')).toEqual({ status: 'ACTIVE' }); // now in B's L1
    expect(await raw.wait(1, 5_000)).toBe(1); // replicated before the crash

    const load = loadLoop(a, b);
    await waitFor(async () => {
      if (load.operations < 20) throw new Error(`${load.operations} operations so far`);
    }, DEADLINE_MS, 'load running');
    const killed = await setup.killMaster();
    // The ban lands while no master answers: A remembers it and replays it on the new master.
    await a.delete('user:banned');
    expect(await a.get('user:banned')).toBeUndefined();
    const promoted = await setup.waitForFailover(killed);
    expect(promoted.port).not.toBe(killed.port);

    // Both instances reconnect to the new master; B forgets its L1 (it may have missed messages).
    await waitFor(async () => {
      if (metricsB.count('cache.bus.reconnect_clear') < 1) throw new Error('B has not resubscribed');
      await a.get('probe');
      if (a.degraded || a.pendingInvalidations > 0) throw new Error(`A: degraded ${a.degraded}, pending ${a.pendingInvalidations}`);
    }, DEADLINE_MS, 'both instances back on the new master');
    await waitFor(async () => {
      if ((await b.get('user:banned')) !== undefined) throw new Error('B still serves the banned user');
    }, DEADLINE_MS, 'the ban on B');
    expect(await raw.exists(rawKey('user:banned'))).toBe(0);

    // An invalidation published after the failover reaches B over the resubscribed bus.
    await a.set('user:later', { status: 'ACTIVE' });
    expect(await b.get('user:later')).toEqual({ status: 'ACTIVE' }); // now in B's L1
    await a.set('user:later', { status: 'BANNED' });
    await waitFor(async () => {
      const seen = await b.get<{ status: string }>('user:later');
      if (seen?.status !== 'BANNED') throw new Error(`B sees ${JSON.stringify(seen)}`);
    }, DEADLINE_MS, 'the update on B');
    // L2 is the new master: B reads what A wrote there.
    const l2Hits = metricsB.count('cache.hit.l2');
    await a.set('after:failover', 'from-new-master');
    await waitFor(async () => {
      if ((await b.get('after:failover')) !== 'from-new-master') throw new Error('not yet');
    }, DEADLINE_MS, 'a value written after the failover');
    expect(metricsB.count('cache.hit.l2')).toBeGreaterThan(l2Hits);
    expect(await raw.exists(rawKey('after:failover'))).toBe(1);

    const errors = await load.stop();
    // The cache never throws: an L2 failure is a miss or an L1-only write.
    expect(errors).toEqual([]);
    expect(metricsA.count('cache.l2.error')).toBeGreaterThan(0); // the switch was felt
  });
});

describe('cache on Redis Sentinel: an invalidation the master acknowledged but never replicated', () => {
  let setup: RedisSentinelSetup;
  let caches: Awaited<ReturnType<typeof twoCaches>>;
  beforeAll(async () => {
    setup = await startRedisWithSentinel();
    caches = await twoCaches(setup, 'lost');
  });
  afterAll(async () => {
    await caches?.close();
    await setup?.stop();
  });

  it('is applied again on the promoted replica, so no instance reads the revoked entry', async () => {
    const { a, b, metricsA, raw, rawKey } = caches;
    await a.set('session:revoked', { valid: true });
    expect(await raw.wait(1, 5_000)).toBe(1);
    expect(await b.get('session:revoked')).toEqual({ valid: true });
    const [replica] = setup.nodes.filter((node) => node.port !== setup.nodes[0].port);
    // The replica stops receiving: frozen, and cut off by the master (a frozen process would still
    // find the master's replication stream in its socket buffer when thawed). The master then
    // acknowledges the revocation, and no replica ever sees it.
    replica.freeze();
    expect(await redisCommand(setup.nodes[0].port, 'CLIENT KILL TYPE replica')).toBe(':1');
    await a.delete('session:revoked');
    expect(a.pendingInvalidations).toBe(0);
    const killed = await setup.killMaster();
    replica.thaw();
    await setup.waitForFailover(killed);

    await waitFor(async () => {
      await a.get('probe');
      if (a.degraded || a.pendingInvalidations > 0) throw new Error(`A: degraded ${a.degraded}, pending ${a.pendingInvalidations}`);
      if ((await raw.exists(rawKey('session:revoked'))) !== 0) throw new Error('the promoted replica still holds the revoked entry');
    }, DEADLINE_MS, 'the revocation on the new master');
    expect(metricsA.count('cache.l2.reapplied')).toBeGreaterThanOrEqual(1);
    await waitFor(async () => {
      if ((await b.get('session:revoked')) !== undefined) throw new Error('B still serves the revoked entry');
    }, DEADLINE_MS, 'the revocation on B');
  });
});
