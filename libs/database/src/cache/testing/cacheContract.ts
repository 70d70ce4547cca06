import { isCacheError } from '../errors/CacheError';
import { closingAfterEach, type CacheFactory } from './closingFactory';
import { FakeMetricsCollector } from '@libs/monitoring/testing';
import { eventually, sleep } from './eventually';
import { latch } from './latch';

export type { CacheFactory } from './closingFactory';

/**
 * The contract every cache configuration must meet (bentocache's driver_test_suite idea):
 * the same assertions run against L1-only and against L1 + real Redis.
 */
export function describeCacheContract(name: string, factory: CacheFactory): void {
  describe(`ICache contract: ${name}`, () => {
    const make = closingAfterEach(factory);

    it('returns undefined for a missing key and the value after set', async () => {
      const cache = await make();
      expect(await cache.get('missing')).toBeUndefined();
      expect(await cache.has('missing')).toBe(false);
      await cache.set('k', { a: 1 });
      expect(await cache.get('k')).toEqual({ a: 1 });
      expect(await cache.has('k')).toBe(true);
    });

    it('keeps null apart from missing', async () => {
      const cache = await make();
      await cache.set('nothing', null);
      expect(await cache.get('nothing')).toBeNull();
      expect(await cache.has('nothing')).toBe(true);
      expect(await cache.has('never-set')).toBe(false);
    });

    it('round-trips Dates, nested JSON, bigint, Map, Set and look-alike tags', async () => {
      const cache = await make();
      const value = {
        createdAt: new Date('2024-02-29T12:34:56.789Z'),
        nested: { list: [1, 'two', null, { when: new Date(0) }], deep: { deeper: { ok: true } } },
        big: 12345678901234567890n,
        map: new Map<string, unknown>([['a', new Date(5)]]),
        set: new Set([1, 2, 3]),
        lookAlike: { $t: 'D', v: '2020-01-01T00:00:00.000Z' },
        text: 'ünïcødé ✓ "quotes" \\ backslash',
        invalidDate: new Date(Number.NaN),
      };
      await cache.set('rich', value);
      const back = await cache.get<typeof value>('rich');
      // Jest compares Dates by getTime(), and NaN !== NaN: check the invalid Date apart.
      expect({ ...back, invalidDate: undefined }).toEqual({ ...value, invalidDate: undefined });
      expect(back?.createdAt).toBeInstanceOf(Date);
      expect(back?.nested.list[3]).toEqual({ when: new Date(0) });
      expect(back?.lookAlike).toEqual({ $t: 'D', v: '2020-01-01T00:00:00.000Z' });
      expect(Number.isNaN(back?.invalidDate.getTime())).toBe(true);
    });

    it('protects cached values from callers mutating what they got', async () => {
      const cache = await make();
      type Obj = { n: number; list: number[]; at: Date; set: Set<string>; map: Map<string, number> };
      const fresh = (): Obj => ({ n: 1, list: [1], at: new Date(0), set: new Set(['a']), map: new Map([['k', 1]]) });
      await cache.set('obj', fresh());
      const first = (await cache.get<Obj>('obj')) as Obj;
      // A cache may hand out a copy (mutations land on it) or a shared read-only value (they throw).
      const attempt = (change: () => unknown) => {
        try {
          change();
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
        }
      };
      attempt(() => (first.n = 99));
      attempt(() => first.list.push(2));
      attempt(() => first.at.setTime(5));
      attempt(() => first.set.add('b'));
      attempt(() => first.map.set('k', 2));
      attempt(() => first.map.clear());
      expect(await cache.get('obj')).toStrictEqual(fresh());
    });

    it('keeps what callers passed in their own: set and loader values stay mutable and detached', async () => {
      const cache = await make();
      const mine = { n: 1, at: new Date(0) };
      await cache.set('mine', mine);
      mine.n = 2;
      mine.at.setTime(5);
      expect(await cache.get('mine')).toStrictEqual({ n: 1, at: new Date(0) });
      const loaded = { n: 1, at: new Date(0) };
      const got = await cache.getOrSet('loaded', async () => loaded);
      expect(got).toStrictEqual({ n: 1, at: new Date(0) });
      loaded.n = 3;
      loaded.at.setTime(7);
      expect(await cache.get('loaded')).toStrictEqual({ n: 1, at: new Date(0) });
    });

    it('deletes one or several keys', async () => {
      const cache = await make();
      await cache.set('a', 1);
      await cache.set('b', 2);
      await cache.set('c', 3);
      await cache.delete('a', 'b');
      expect(await cache.mget(['a', 'b', 'c'])).toEqual([undefined, undefined, 3]);
    });

    it('expires values after their TTL', async () => {
      const cache = await make({ staleIfErrorMs: 0 });
      await cache.set('short', 'v', { ttlMs: 1_000 });
      await cache.set('long', 'v', { ttlMs: 600_000 });
      expect(await cache.get('short')).toBe('v');
      await eventually(async () => (await cache.get('short')) === undefined, 10_000, 20);
      expect(await cache.has('short')).toBe(false);
      expect(await cache.get('long')).toBe('v');
    });

    it('applies the TTL configured for a resource type', async () => {
      const cache = await make({ resources: { session: { ttlMs: 40 } } });
      await cache.set('s', 'session', { resource: 'session' });
      await cache.set('u', 'user', { resource: 'user' });
      await eventually(async () => (await cache.get('s')) === undefined);
      expect(await cache.get('u')).toBe('user');
    });

    it('invalidates by tag', async () => {
      const cache = await make();
      await cache.set('a', 1, { tags: ['x'] });
      await cache.set('b', 2, { tags: ['x', 'y'] });
      await cache.set('c', 3, { tags: ['y'] });
      await cache.set('d', 4);
      await cache.invalidateTags(['x']);
      expect(await cache.mget(['a', 'b', 'c', 'd'])).toEqual([undefined, undefined, 3, 4]);
    });

    it('invalidates by prefix', async () => {
      const cache = await make();
      await cache.set('user:1', 1);
      await cache.set('user:2', 2);
      await cache.set('session:1', 3);
      await cache.set('user*glob', 4);
      await cache.invalidatePrefix('user:');
      expect(await cache.mget(['user:1', 'user:2', 'session:1', 'user*glob'])).toEqual([undefined, undefined, 3, 4]);
    });

    it('isolates namespaces: keys, tags and clear', async () => {
      const cache = await make();
      const users = cache.namespace('users');
      const keys = cache.namespace('keys');
      await users.set('1', 'u', { tags: ['t'] });
      await keys.set('1', 'k', { tags: ['t'] });
      expect(await users.get('1')).toBe('u');
      expect(await keys.get('1')).toBe('k');
      expect(await cache.get('users:1')).toBe('u');
      await users.invalidateTags(['t']);
      expect(await users.get('1')).toBeUndefined();
      expect(await keys.get('1')).toBe('k');
      await keys.namespace('deep').set('x', 1);
      await keys.clear();
      expect(await keys.get('1')).toBeUndefined();
      expect(await cache.get('keys:deep:x')).toBeUndefined();
    });

    it('clears everything', async () => {
      const cache = await make();
      await cache.set('a', 1, { tags: ['t'] });
      await cache.namespace('n').set('b', 2);
      await cache.clear();
      expect(await cache.mget(['a', 'n:b'])).toEqual([undefined, undefined]);
    });

    it('getOrSet caches the loader result', async () => {
      const cache = await make();
      const loader = jest.fn(async () => ({ at: new Date(1) }));
      expect(await cache.getOrSet('g', loader)).toEqual({ at: new Date(1) });
      expect(await cache.getOrSet('g', loader)).toEqual({ at: new Date(1) });
      expect(loader).toHaveBeenCalledTimes(1);
    });

    it('runs the loader once for 100 concurrent getOrSet on a cold key', async () => {
      const metrics = new FakeMetricsCollector();
      const cache = await make({ metrics });
      let calls = 0;
      const gate = latch();
      const loader = async () => {
        calls++;
        await gate.opened;
        return 'loaded';
      };
      const pending = Promise.all(Array.from({ length: 100 }, () => cache.getOrSet('cold', loader)));
      // All 100 arrived while the load is held open: 99 joined it.
      expect(metrics.count('cache.stampede.joined')).toBe(99);
      gate.open();
      const results = await pending;
      expect(calls).toBe(1);
      expect(new Set(results)).toEqual(new Set(['loaded']));
    });

    it('shares a loader failure with concurrent callers and caches nothing', async () => {
      const cache = await make();
      const boom = new Error('db down');
      const gate = latch();
      const loader = jest.fn(async () => {
        await gate.opened;
        throw boom;
      });
      gate.open();
      const settled = await Promise.allSettled([cache.getOrSet('f', loader), cache.getOrSet('f', loader)]);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
      expect(loader).toHaveBeenCalledTimes(1);
      expect(await cache.has('f')).toBe(false);
    });

    it('does not cache negative results unless asked, and then only until a set', async () => {
      const cache = await make();
      const loader = jest.fn(async (): Promise<string | null> => null);
      await cache.getOrSet('neg', loader);
      await cache.getOrSet('neg', loader);
      expect(loader).toHaveBeenCalledTimes(2);
      await cache.getOrSet('neg2', loader, { negativeTtlMs: 60_000 });
      expect(await cache.getOrSet('neg2', loader, { negativeTtlMs: 60_000 })).toBeNull();
      expect(loader).toHaveBeenCalledTimes(3);
      await cache.set('neg2', 'created');
      expect(await cache.getOrSet('neg2', loader)).toBe('created');
    });

    it('serves a recently expired value when the loader fails, and counts it', async () => {
      const metrics = new FakeMetricsCollector();
      const cache = await make({ metrics });
      await cache.getOrSet('sie', async () => 'old', { ttlMs: 30, staleIfErrorMs: 60_000 });
      await eventually(async () => (await cache.get('sie')) === undefined);
      const failing = async (): Promise<string> => {
        throw new Error('db down');
      };
      expect(await cache.getOrSet('sie', failing, { ttlMs: 30, staleIfErrorMs: 60_000 })).toBe('old');
      expect(metrics.count('cache.stale_served')).toBe(1);
      await cache.set('nograce', 'x', { ttlMs: 30, staleIfErrorMs: 0 });
      await eventually(async () => (await cache.get('nograce')) === undefined);
      await expect(cache.getOrSet('nograce', failing)).rejects.toThrow('db down');
    });

    it('answers with the stale value after a soft timeout and refreshes in the background', async () => {
      const metrics = new FakeMetricsCollector();
      const cache = await make({ metrics });
      await cache.getOrSet('slow', async () => 'v1', { ttlMs: 30, staleIfErrorMs: 60_000 });
      // Staleness comes from the stored entry; the refreshed value gets a long TTL so a slow
      // machine cannot expire it before the assertion reads it.
      const options = { ttlMs: 60_000, staleIfErrorMs: 60_000, timeoutMs: 20 };
      await eventually(async () => (await cache.get('slow')) === undefined);
      let release!: () => void;
      const loader = jest.fn(async () => {
        await new Promise<void>((r) => (release = r));
        return 'v2';
      });
      expect(await cache.getOrSet('slow', loader, options)).toBe('v1');
      expect(await cache.getOrSet('slow', loader, options)).toBe('v1'); // still refreshing: no second loader
      expect(loader).toHaveBeenCalledTimes(1);
      expect(metrics.count('cache.loader.soft_timeout')).toBe(1);
      release();
      await eventually(async () => (await cache.get('slow')) === 'v2');
      expect(await cache.getOrSet('cold-slow', async () => {
        await sleep(40);
        return 'waited';
      }, options)).toBe('waited'); // nothing stale to serve: the caller waits
    });

    it('does not cache a load that an invalidation overtook', async () => {
      const cache = await make();
      const started = latch();
      const gate = latch();
      const pending = cache.getOrSet('race', async () => {
        started.open();
        await gate.opened;
        return 'read-before-write';
      });
      await started.opened;
      await cache.delete('race');
      gate.open();
      expect(await pending).toBe('read-before-write');
      expect(await cache.has('race')).toBe(false);
    });

    it('rejects unserializable values on set but still answers getOrSet with them', async () => {
      const metrics = new FakeMetricsCollector();
      const cache = await make({ metrics });
      const cyclic: Record<string, unknown> = { name: 'loop' };
      cyclic.self = cyclic;
      const error = await cache.set('cyclic', cyclic).catch((e: unknown) => e);
      expect(isCacheError(error) && error.code).toBe('CACHE_SERIALIZATION');
      expect(await cache.getOrSet('cyclic', async () => cyclic)).toBe(cyclic);
      expect(metrics.count('cache.serialization_error')).toBe(1);
      expect(await cache.has('cyclic')).toBe(false);
    });

    it('rejects empty keys with a typed error', async () => {
      const cache = await make();
      const error = await cache.get('').catch((e: unknown) => e);
      expect(isCacheError(error) && error.code).toBe('CACHE_INVALID_KEY');
      await expect(cache.set('', 1)).rejects.toThrow('non-empty');
    });
  });
}
