import { harnessRedisUrl } from '@tools/test-harness';
import { randomBytes } from 'node:crypto';
import { ResilientCacheService } from '../cache.service';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { eventually } from '../testing/eventually';
import { defaultRedisExecutor, type RedisExecutor } from './redisExecutor';

/** An executor that can cut this one instance off Redis (a partition: the server stays up). */
function switchableExecutor() {
  const state = { down: false, failReplays: false, calls: 0 };
  const executor: RedisExecutor = (redis, fn, options, metrics, logger) => {
    state.calls++;
    if (state.down || (state.failReplays && options.operationName.startsWith('cache.l2.replay'))) return Promise.reject(Object.assign(new Error('partitioned'), { code: 'ECONNRESET' }));
    return defaultRedisExecutor(redis, fn, options, metrics, logger);
  };
  return { state, executor };
}

describe('RemoteLayer: invalidations missed during a partition are replayed', () => {
  let prefix: string;
  const open: ResilientCacheService[] = [];
  afterEach(async () => Promise.all(open.splice(0).map((c) => c.close())));

  async function instance(executor?: RedisExecutor, metrics = new FakeMetricsCollector(), maxPendingInvalidations?: number) {
    const cache = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, metrics, maxPendingInvalidations }, executor);
    open.push(cache);
    expect(await cache.ready()).toBe(true);
    return { cache, metrics };
  }

  beforeEach(() => {
    prefix = `replay-${randomBytes(4).toString('hex')}`;
  });

  it('replays deletes, tags and writes in order once Redis answers again', async () => {
    const { state, executor } = switchableExecutor();
    const { cache: a, metrics: metricsA } = await instance(executor);
    const { cache: b, metrics: metricsB } = await instance();
    await b.set('revoked', 'valid');
    await b.set('banned', 'active', { tags: ['user:7'] });
    await b.set('renamed', 'old');
    await b.mget(['revoked', 'banned', 'renamed']);

    state.down = true;
    await a.delete('revoked');
    await a.invalidateTags(['user:7']);
    await a.set('renamed', 'new');
    expect(a.pendingInvalidations).toBe(3);
    expect(await a.get('renamed')).toBe('new'); // L1 kept working
    // B cannot know yet: the partition hid A's writes from Redis.
    expect(await b.get('revoked')).toBe('valid');

    state.down = false;
    const received = metricsB.count('cache.bus.received');
    await a.get('anything'); // the first success ends the outage and starts the replay
    await a.settle();
    expect(a.pendingInvalidations).toBe(0);
    expect(metricsA.count('cache.l2.replayed')).toBe(3);
    await eventually(() => metricsB.count('cache.bus.received') >= received + 3);
    expect(await b.mget(['revoked', 'banned', 'renamed'])).toEqual([undefined, undefined, undefined]);
  });

  it('replays on a timer even when this instance makes no further cache call (everything served from L1)', async () => {
    const { state, executor } = switchableExecutor();
    const cache = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, metrics: new FakeMetricsCollector(), retry: { circuitBreakerResetMs: 50, breakerKey: `idle-${prefix}` } }, executor);
    open.push(cache);
    await cache.ready();
    const { cache: b } = await instance();
    await b.set('banned', 'active');
    state.down = true;
    await cache.delete('banned');
    expect(cache.pendingInvalidations).toBe(1);
    state.down = false;
    // No call on `cache` at all from here on (a frozen Redis gives no reconnect either).
    await eventually(() => cache.pendingInvalidations === 0, 5_000, 10);
    expect(await b.get('banned')).toBeUndefined();
  });

  it('retries a failed replay on a timer, without waiting for the next cache call', async () => {
    const { state, executor } = switchableExecutor();
    const metrics = new FakeMetricsCollector();
    const cache = new ResilientCacheService(
      { redis: harnessRedisUrl(), prefix, metrics, retry: { circuitBreakerResetMs: 50, breakerKey: `replay-${prefix}` } },
      executor,
    );
    open.push(cache);
    await cache.ready();
    const { cache: b } = await instance();
    await b.set('late', 'stale');
    state.down = true;
    await cache.delete('late');
    expect(cache.pendingInvalidations).toBe(1);
    state.down = false;
    state.failReplays = true;
    await cache.get('x'); // ends the outage; the replay it starts fails and is rescheduled
    await cache.settle();
    expect(cache.pendingInvalidations).toBe(1);
    state.failReplays = false;
    // No further cache call: the scheduled retry alone must deliver the invalidation.
    await eventually(() => cache.pendingInvalidations === 0, 5_000, 10);
    expect(await b.get('late')).toBeUndefined();
  });

  it('clears this cache’s L2 on recovery when too much was missed to replay', async () => {
    const { state, executor } = switchableExecutor();
    const { cache: a, metrics } = await instance(executor, new FakeMetricsCollector(), 2);
    const { cache: b } = await instance();
    await b.set('x', 1);
    await b.set('y', 2);
    state.down = true;
    await a.delete('k1');
    await a.delete('k2');
    await a.delete('k3');
    expect(metrics.count('cache.l2.pending_overflow')).toBe(1);
    state.down = false;
    await a.get('anything');
    await a.settle();
    const fresh = await instance();
    expect(await fresh.cache.mget(['x', 'y'])).toEqual([undefined, undefined]);
  });

  it('treats an unreadable L2 entry as a miss and drops it', async () => {
    const { cache, metrics } = await instance();
    const { Redis } = await import('ioredis');
    const raw = new Redis(harnessRedisUrl());
    try {
      await raw.set(`${prefix}:k:corrupt`, '{"#":99}');
      expect(await cache.get('corrupt')).toBeUndefined();
      expect(metrics.count('cache.l2.corrupt')).toBe(1);
      await eventually(async () => (await raw.exists(`${prefix}:k:corrupt`)) === 0);
    } finally {
      raw.disconnect();
    }
  });
});
