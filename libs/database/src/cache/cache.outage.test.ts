import { startDedicatedRedis, waitFor, type LocalRedis } from '@tools/test-harness';
import { ResilientCacheService } from './cache.service';
import type { CacheOptions } from './cacheOptions';
import type { CacheLogger } from './logger';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { eventually } from './testing/eventually';

function recordingLogger() {
  const lines: Array<{ level: string; msg?: string; obj: object }> = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  const logger: CacheLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines, count: (level: string, text: string) => lines.filter((l) => l.level === level && l.msg?.includes(text)).length };
}

/** Two caches on `redis`, both ready; closed after the enclosing describe. */
function cachePair(make: () => { a: CacheOptions; b: CacheOptions }): { a: ResilientCacheService; b: ResilientCacheService } {
  const pair = {} as { a: ResilientCacheService; b: ResilientCacheService };
  beforeAll(async () => {
    const options = make();
    pair.a = new ResilientCacheService(options.a);
    pair.b = new ResilientCacheService(options.b);
    expect(await pair.a.ready()).toBe(true);
    expect(await pair.b.ready()).toBe(true);
  });
  afterAll(async () => {
    await Promise.all([pair.a?.close(), pair.b?.close()]);
  });
  return pair;
}

describe('Redis outage (a dedicated redis-server, killed and restarted)', () => {
  let redis: LocalRedis;

  beforeAll(async () => {
    redis = await startDedicatedRedis();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  describe('two caches with a short breaker reset', () => {
    const metricsA = new FakeMetricsCollector();
    const metricsB = new FakeMetricsCollector();
    const logA = recordingLogger();
    const caches = cachePair(() => {
      const common = { redis: redis.url, prefix: 'outage', retry: { circuitBreakerResetMs: 200, breakerKey: `outage-${redis.port}` } };
      return { a: { ...common, metrics: metricsA, logger: logA.logger }, b: { ...common, metrics: metricsB } };
    });

    it('keeps reads and writes working while Redis is down, then uses L2 again without serving stale values', async () => {
      const { a, b } = caches;
      await a.set('user:1', { name: 'before' });
      expect(await b.get('user:1')).toEqual({ name: 'before' }); // B holds it in L1

      await redis.stop();

      // Every operation keeps working on L1 and loaders; none throws.
      for (let i = 0; i < 20; i++) {
        await a.set('user:1', { name: `during-${i}` });
        expect(await a.get('user:1')).toEqual({ name: `during-${i}` });
        expect(await a.getOrSet(`fresh:${i}`, async () => i)).toBe(i);
        expect(await a.mget(['user:1', 'nope'])).toEqual([{ name: `during-${i}` }, undefined]);
        expect(await a.has('nope')).toBe(false);
      }
      await a.delete('gone');
      await a.invalidateTags(['t']);
      await a.invalidatePrefix('p:');
      expect(a.degraded).toBe(true);
      expect(a.pendingInvalidations).toBeGreaterThan(0);
      expect(metricsA.count('cache.l2.error')).toBeGreaterThanOrEqual(20);
      // Logged and counted once per outage, not once per failure.
      expect(metricsA.count('cache.l2.outage')).toBe(1);
      expect(logA.count('warn', 'L2 unavailable')).toBe(1);

      await redis.start();
      // B's subscriber comes back and B forgets its L1: it may have missed A's writes.
      await eventually(() => metricsB.count('cache.bus.reconnect_clear') > 0, 15_000, 20);
      expect(await a.ready(15_000)).toBe(true);
      // The next L2 call ends the outage and replays the invalidations A remembered.
      await eventually(async () => {
        await a.get('probe');
        return !a.degraded;
      }, 15_000, 50);
      await a.settle();
      expect(a.pendingInvalidations).toBe(0);
      expect(logA.count('info', 'L2 recovered')).toBe(1);

      // No stale value: B no longer serves 'before' from its L1.
      expect(await b.get('user:1')).not.toEqual({ name: 'before' });
      // L2 is used again: a write on A is read by B from Redis.
      await a.set('user:1', { name: 'after' });
      const l2Hits = metricsB.count('cache.hit.l2');
      expect(await b.get('user:1')).toEqual({ name: 'after' });
      expect(metricsB.count('cache.hit.l2')).toBe(l2Hits + 1);
    }, 60_000);
  });

  /**
   * A Redis that is killed and restarted on the same port (empty, as after a crash without
   * persistence): an invalidation made on A while it was away must reach B once it is back,
   * with the cache's default reconnect and breaker settings. The outage lasts long enough for
   * the reconnect backoff to reach its cap.
   */
  describe('Redis killed and restarted: an invalidation made on A while it was down reaches B', () => {
    const metricsB = new FakeMetricsCollector();
    const caches = cachePair(() => {
      const common = { redis: redis.url, prefix: 'restart', retry: { breakerKey: `restart-${redis.port}` } };
      return { a: common, b: { ...common, metrics: metricsB } };
    });

    it('B stops serving the invalidated value from L1 once Redis answers again', async () => {
      const { a, b } = caches;
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
});
