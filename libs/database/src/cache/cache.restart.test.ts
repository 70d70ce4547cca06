import { startDedicatedRedis, waitFor, type LocalRedis } from '@tools/test-harness';
import { ResilientCacheService } from './cache.service';
import { FakeMetrics } from './testing/FakeMetrics';

/**
 * A Redis that is killed and restarted on the same port (empty, as after a crash without
 * persistence): an invalidation made on A while it was away must reach B once it is back,
 * with the cache's default reconnect and breaker settings. The outage lasts long enough for
 * the reconnect backoff to reach its cap.
 */
describe('Redis killed and restarted: an invalidation made on A while it was down reaches B', () => {
  let redis: LocalRedis;
  let a: ResilientCacheService;
  let b: ResilientCacheService;
  const metricsB = new FakeMetrics();

  beforeAll(async () => {
    redis = await startDedicatedRedis();
    const common = { redis: redis.url, prefix: 'restart', retry: { breakerKey: `restart-${redis.port}` } };
    a = new ResilientCacheService(common);
    b = new ResilientCacheService({ ...common, metrics: metricsB });
    expect(await a.ready()).toBe(true);
    expect(await b.ready()).toBe(true);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('B stops serving the invalidated value from L1 once Redis answers again', async () => {
    await a.set('user:1', { status: 'ACTIVE' });
    expect(await b.get('user:1')).toEqual({ status: 'ACTIVE' }); // now in B's L1

    await redis.stop();
    await a.delete('user:1');
    expect(a.pendingInvalidations).toBe(1);
    // The outage itself (the fault under test, not a wait for an answer): both clients are
    // refused several times, so their reconnect delay has grown to its cap.
    await new Promise((r) => setTimeout(r, 3_000));
    // While Redis is down B still serves its copy: nothing could tell it.
    expect(await b.get('user:1')).toEqual({ status: 'ACTIVE' });

    await redis.start();
    await waitFor(async () => {
      if ((await b.get('user:1')) !== undefined) throw new Error('B still serves the invalidated value');
    }, 10_000, 'B dropping the value invalidated on A');
    expect(metricsB.count('cache.bus.reconnect_clear')).toBeGreaterThan(0);
    await waitFor(async () => {
      await a.get('probe');
      await a.settle();
      if (a.pendingInvalidations !== 0) throw new Error(`${a.pendingInvalidations} invalidations pending on A`);
    }, 10_000, 'A replaying what it remembered');
  }, 60_000);
});
