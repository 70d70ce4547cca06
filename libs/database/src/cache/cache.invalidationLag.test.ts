import { harnessRedisUrl, waitFor } from '@tools/test-harness';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Histogram, Registry } from 'prom-client';
import { ResilientCacheService } from './cache.service';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { eventually } from './testing/eventually';

/** Count and sum of an unlabelled prom-client histogram. */
async function countAndSum(histogram: Histogram): Promise<{ count: number; sum: number }> {
  const { name, values } = await histogram.get();
  const value = (suffix: string) => values.find((v) => v.metricName === `${name}${suffix}`)?.value ?? 0;
  return { count: value('_count'), sum: value('_sum') };
}

describe('invalidation lag (two caches on one real Redis)', () => {
  let prefix: string;
  let a: ResilientCacheService;
  let b: ResilientCacheService;
  let lagOnB: Histogram;
  /** Every value B observed, in order (the histogram only keeps sums and buckets). */
  let observedOnB: number[];
  let metricsB: FakeMetricsCollector;

  beforeEach(async () => {
    prefix = `lag-${randomBytes(4).toString('hex')}`;
    lagOnB = new Histogram({ name: 'cache_invalidation_lag_seconds', help: 'test', registers: [new Registry()] });
    observedOnB = [];
    const observe = lagOnB.observe.bind(lagOnB);
    lagOnB.observe = ((value: number) => {
      observedOnB.push(value);
      observe(value);
    }) as Histogram['observe'];
    metricsB = new FakeMetricsCollector();
    a = new ResilientCacheService({ redis: harnessRedisUrl(), prefix });
    b = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, metrics: metricsB, invalidationLag: lagOnB });
    expect(await a.ready()).toBe(true);
    expect(await b.ready()).toBe(true);
  });

  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('B observes publish → applied for every invalidation from A, in seconds, within the wait', async () => {
    await a.set('user:1', { v: 0 });
    await b.get('user:1'); // into B's L1
    const kinds: Array<() => Promise<unknown>> = [
      () => a.set('user:1', { v: 1 }),
      () => a.delete('user:1'),
      () => a.invalidateTags(['t']),
      () => a.invalidatePrefix('user:'),
      () => a.clear(),
    ];
    const started = Date.now();
    for (const [i, invalidate] of kinds.entries()) {
      await invalidate();
      await waitFor(async () => {
        const { count } = await countAndSum(lagOnB);
        if (count < i + 1) throw new Error(`lag count ${count}`);
      }, 5_000, `lag observation ${i + 1}`);
    }
    // Each lag lies between 0 and the time the whole loop took (seconds, not milliseconds).
    const elapsedS = (Date.now() - started) / 1000;
    expect(observedOnB).toHaveLength(kinds.length);
    for (const lag of observedOnB) {
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThanOrEqual(elapsedS);
    }
    const { count, sum } = await countAndSum(lagOnB);
    expect(count).toBe(kinds.length);
    expect(sum).toBeCloseTo(observedOnB.reduce((a, b) => a + b, 0), 9);
  });

  it('observes a message stamped in the future (a sender whose clock runs ahead) as 0, not negative', async () => {
    const raw = new Redis(harnessRedisUrl());
    try {
      await raw.publish(`${prefix}:bus`, JSON.stringify({ i: 'a-skewed-instance', o: 'k', k: ['user:3'], t: Date.now() + 60_000 }));
      await waitFor(async () => {
        if (observedOnB.length < 1) throw new Error('not observed yet');
      }, 5_000, 'the skewed message');
    } finally {
      raw.disconnect();
    }
    expect(observedOnB).toEqual([0]);
  });

  it('applies a message without a publish time (an older sender) and does not observe it', async () => {
    await a.set('user:2', 'old'); // stamped: one observation on B
    await waitFor(async () => {
      if ((await countAndSum(lagOnB)).count < 1) throw new Error('not yet');
    }, 5_000, 'the stamped message');
    // A value in B's L1 (B ignores its own message), then an old-format invalidation straight on the channel.
    await b.set('user:2', 'in-l1');
    const l1Hits = metricsB.count('cache.hit.l1');
    expect(await b.get('user:2')).toBe('in-l1');
    expect(metricsB.count('cache.hit.l1')).toBe(l1Hits + 1);
    const observed = (await countAndSum(lagOnB)).count;
    const received = metricsB.count('cache.bus.received');
    const raw = new Redis(harnessRedisUrl());
    try {
      await raw.publish(`${prefix}:bus`, JSON.stringify({ i: 'an-older-instance', o: 'k', k: ['user:2'] }));
      await eventually(() => metricsB.count('cache.bus.received') > received, 5_000, 0);
    } finally {
      raw.disconnect();
    }
    // Dropped from B's L1 (B reads L2 again), and no lag observed for it.
    const l2Hits = metricsB.count('cache.hit.l2');
    expect(await b.get('user:2')).toBe('in-l1');
    expect(metricsB.count('cache.hit.l2')).toBe(l2Hits + 1);
    expect((await countAndSum(lagOnB)).count).toBe(observed);
  });
});
