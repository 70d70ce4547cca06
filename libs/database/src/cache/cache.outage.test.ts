import { startDedicatedRedis, type LocalRedis } from '@tools/test-harness';
import { ResilientCacheService } from './cache.service';
import type { CacheLogger } from './logger';
import { eventually, FakeMetrics } from './testing/FakeMetrics';

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

describe('Redis outage (a dedicated redis-server, killed and restarted)', () => {
  let redis: LocalRedis;
  let a: ResilientCacheService;
  let b: ResilientCacheService;
  const metricsA = new FakeMetrics();
  const metricsB = new FakeMetrics();
  const logA = recordingLogger();

  beforeAll(async () => {
    redis = await startDedicatedRedis();
    const common = { redis: redis.url, prefix: 'outage', retry: { circuitBreakerResetMs: 200, breakerKey: `outage-${redis.port}` } };
    a = new ResilientCacheService({ ...common, metrics: metricsA, logger: logA.logger });
    b = new ResilientCacheService({ ...common, metrics: metricsB });
    expect(await a.ready()).toBe(true);
    expect(await b.ready()).toBe(true);
  });

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it('keeps reads and writes working while Redis is down, then uses L2 again without serving stale values', async () => {
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
