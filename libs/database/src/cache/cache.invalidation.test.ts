import { harnessRedisUrl } from '@tools/test-harness';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ResilientCacheService } from './cache.service';
import { defaultRedisExecutor, type RedisExecutor } from './facades/redisExecutor';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { eventually } from './testing/eventually';
import { latch } from './testing/latch';

/** An executor that holds every L2 GET reply (after Redis answered) until `release()`; `held` settles when the first one is held. */
function holdingGetReplies(): { holding: RedisExecutor; held: Promise<void>; release: () => void } {
  const reached = latch();
  const gate = latch();
  let holdingOn = true;
  const holding: RedisExecutor = async (redis, fn, options, metrics, logger) => {
    const result = await defaultRedisExecutor(redis, fn, options, metrics, logger);
    if (options.operationName === 'cache.l2.get' && holdingOn) {
      reached.open();
      await gate.opened;
    }
    return result;
  };
  return {
    holding,
    held: reached.opened,
    release: () => {
      holdingOn = false;
      gate.open();
    },
  };
}

/** A loader that stops where it has read the database, until `release()`; `started` settles when it got there. */
function heldLoad<T>(value: T): { loader: () => Promise<T>; started: Promise<void>; release: () => void } {
  const started = latch();
  const gate = latch();
  return {
    loader: async () => {
      started.open();
      await gate.opened;
      return value;
    },
    started: started.opened,
    release: gate.open,
  };
}

describe('cross-instance invalidation (two caches on one Redis)', () => {
  let prefix: string;
  let a: ResilientCacheService;
  let b: ResilientCacheService;
  let metricsB: FakeMetricsCollector;
  const delays: number[] = [];

  beforeEach(async () => {
    prefix = `inv-${randomBytes(4).toString('hex')}`;
    metricsB = new FakeMetricsCollector();
    a = new ResilientCacheService({ redis: harnessRedisUrl(), prefix });
    b = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, metrics: metricsB });
    expect(await a.ready()).toBe(true);
    expect(await b.ready()).toBe(true);
  });

  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  afterAll(() => {
    if (delays.length) {
      const sorted = [...delays].sort((x, y) => x - y);
      console.log(`cache invalidation delay (set on A → B's L1 dropped), ${sorted.length} samples: median ${sorted[sorted.length >> 1].toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms`);
    }
  });

  /** Waits until B has applied one more bus message; returns the delay in ms from `start`. */
  async function nextMessageOnB(before: number, start: bigint): Promise<number> {
    await eventually(() => metricsB.count('cache.bus.received') > before, 5_000, 0);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }

  it('a set on A drops the old value from B’s L1; B then reads the new value from L2', async () => {
    await a.set('user:1', { name: 'old' });
    expect(await b.get('user:1')).toEqual({ name: 'old' }); // now in B's L1
    expect(await b.get('user:1')).toEqual({ name: 'old' });
    expect(metricsB.count('cache.hit.l1')).toBe(1);

    for (let i = 0; i < 20; i++) {
      const before = metricsB.count('cache.bus.received');
      const start = process.hrtime.bigint();
      await a.set('user:1', { name: `new-${i}` });
      delays.push(await nextMessageOnB(before, start));
      const hitsL2 = metricsB.count('cache.hit.l2');
      expect(await b.get('user:1')).toEqual({ name: `new-${i}` });
      expect(metricsB.count('cache.hit.l2')).toBe(hitsL2 + 1);
    }
  });

  it('delete, tag, prefix and clear on A reach B', async () => {
    await a.set('ban:1', 'active', { tags: ['user:1'] });
    await a.set('key:1', 'valid');
    await a.set('sess:1', 'open');
    await a.set('other', 'x');
    await b.mget(['ban:1', 'key:1', 'sess:1', 'other']); // into B's L1

    let before = metricsB.count('cache.bus.received');
    await a.invalidateTags(['user:1']);
    await nextMessageOnB(before, process.hrtime.bigint());
    expect(await b.get('ban:1')).toBeUndefined();

    before = metricsB.count('cache.bus.received');
    await a.delete('key:1');
    await nextMessageOnB(before, process.hrtime.bigint());
    expect(await b.get('key:1')).toBeUndefined();

    before = metricsB.count('cache.bus.received');
    await a.invalidatePrefix('sess:');
    await nextMessageOnB(before, process.hrtime.bigint());
    expect(await b.get('sess:1')).toBeUndefined();

    before = metricsB.count('cache.bus.received');
    await a.clear();
    await nextMessageOnB(before, process.hrtime.bigint());
    expect(await b.get('other')).toBeUndefined();
  });

  it('an instance ignores its own messages and the caches of other prefixes', async () => {
    const metricsA = new FakeMetricsCollector();
    const self = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, metrics: metricsA });
    const stranger = new ResilientCacheService({ redis: harnessRedisUrl(), prefix: `${prefix}-other`, metrics: new FakeMetricsCollector() });
    try {
      await self.ready();
      await stranger.ready();
      const before = metricsB.count('cache.bus.received');
      await self.set('k', 1);
      await stranger.set('k', 2);
      await nextMessageOnB(before, process.hrtime.bigint());
      // B got self's message; self did not apply its own, and no one heard the stranger.
      expect(metricsA.count('cache.bus.received')).toBe(0);
      expect(await b.get('k')).toBe(1);
    } finally {
      await Promise.all([self.close(), stranger.close()]);
    }
  });

  it('does not keep in L1 an L2 reply that a bus message overtook', async () => {
    // B's GET runs on Redis before A's write, but its reply is held until after A's message
    // reached B: B may answer with the old value once, but must not cache it.
    const { holding, held, release } = holdingGetReplies();
    const metrics = new FakeMetricsCollector();
    const slowB = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, metrics }, holding);
    try {
      await slowB.ready();
      await a.set('raced', 'old');
      const read = slowB.get('raced');
      await held; // the GET has been answered by Redis and is being held
      await a.set('raced', 'new');
      await eventually(() => metrics.count('cache.bus.received') > 0);
      release();
      expect(await read).toBe('old');
      expect(await slowB.get('raced')).toBe('new');
    } finally {
      await slowB.close();
    }
  });

  it('does not let a read that started before a local write overwrite it in L1', async () => {
    const { holding, held, release } = holdingGetReplies();
    const local = new ResilientCacheService({ redis: harnessRedisUrl(), prefix }, holding);
    try {
      await local.ready();
      await a.set('mine', 'old');
      const read = local.get('mine');
      await held;
      await local.set('mine', 'new');
      release();
      expect(await read).toBe('old');
      expect(await local.get('mine')).toBe('new');
    } finally {
      await local.close();
    }
  });

  it.each([
    ['a key delete', (c: ResilientCacheService) => c.delete('loading')],
    ['a tag invalidation (key not cached yet)', (c: ResilientCacheService) => c.invalidateTags(['user:9'])],
    ['a prefix invalidation', (c: ResilientCacheService) => c.invalidatePrefix('load')],
    ['a clear', (c: ResilientCacheService) => c.clear()],
  ])('a load that read the database before %s on another instance does not write L2', async (_name, invalidate) => {
    // B listens on another channel, so only Redis (not the bus) can stop its stale write.
    const deaf = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, channel: `${prefix}:elsewhere` });
    const fresh = new ResilientCacheService({ redis: harnessRedisUrl(), prefix });
    try {
      await deaf.ready();
      await fresh.ready();
      const load = heldLoad('before-the-write');
      const loading = deaf.getOrSet('loading', load.loader, { tags: ['user:9'] });
      await load.started; // the row was read here, before A's write below
      await invalidate(a);
      load.release();
      expect(await loading).toBe('before-the-write');
      const loader = jest.fn(async () => 'after-the-write');
      expect(await fresh.getOrSet('loading', loader)).toBe('after-the-write');
      expect(loader).toHaveBeenCalledTimes(1);
      // Nor does the refused writer keep it in its own L1.
      expect(await deaf.get('loading')).toBe('after-the-write');
    } finally {
      await Promise.all([deaf.close(), fresh.close()]);
    }
  });

  it('a load that read the database before a set on another instance does not overwrite it', async () => {
    const deaf = new ResilientCacheService({ redis: harnessRedisUrl(), prefix, channel: `${prefix}:elsewhere` });
    const fresh = new ResilientCacheService({ redis: harnessRedisUrl(), prefix });
    try {
      await deaf.ready();
      await fresh.ready();
      const load = heldLoad('before-the-write');
      const loading = deaf.getOrSet('written', load.loader);
      await load.started;
      await a.set('written', 'the-write');
      load.release();
      expect(await loading).toBe('before-the-write');
      expect(await fresh.get('written')).toBe('the-write');
    } finally {
      await Promise.all([deaf.close(), fresh.close()]);
    }
  });

  it('ignores malformed messages on the channel', async () => {
    const raw = new Redis(harnessRedisUrl());
    try {
      await a.set('still', 'here');
      expect(await b.get('still')).toBe('here');
      const before = metricsB.count('cache.bus.received');
      await raw.publish(`${prefix}:bus`, 'not json');
      await raw.publish(`${prefix}:bus`, JSON.stringify({ i: 'x', o: 'zz', k: [] }));
      await a.set('still', 'there');
      await nextMessageOnB(before, process.hrtime.bigint());
      // Redis delivers one channel's messages in publish order: the junk, published first, was
      // already handled when A's message arrived. Only A's was applied; the junk was dropped
      // without breaking the subscriber.
      expect(metricsB.count('cache.bus.received')).toBe(before + 1);
      expect(await b.get('still')).toBe('there');
    } finally {
      raw.disconnect();
    }
  });
});
