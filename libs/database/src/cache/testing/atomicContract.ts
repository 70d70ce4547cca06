import { randomBytes } from 'node:crypto';
import type { ResilientCacheService } from '../cache.service';
import { isCacheError } from '../errors/CacheError';
import { closingAfterEach, type CacheFactory } from './closingFactory';

/**
 * `take` and `increment` under concurrency, for every cache configuration. With `shared`, two
 * instances on one prefix (one Redis) race each other too.
 */
export function describeAtomicContract(name: string, factory: CacheFactory, shared: boolean): void {
  describe(`ICache take / increment: ${name}`, () => {
    const make = closingAfterEach(factory);
    /** Two instances when the configuration shares a Redis, else one (its own race). */
    const pair = async (): Promise<[ResilientCacheService, ResilientCacheService]> => {
      const prefix = `atomic-${randomBytes(4).toString('hex')}`;
      const a = await make({ prefix });
      return [a, shared ? await make({ prefix }) : a];
    };

    it('hands a value to exactly one of many concurrent takers, then it is gone', async () => {
      const [a, b] = await pair();
      await a.set('once', { token: 't' });
      if (b !== a) expect(await b.get('once')).toEqual({ token: 't' }); // b holds a copy in L1 too
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).take<{ token: string }>('once')));
      expect(results.filter((r) => r !== undefined)).toEqual([{ token: 't' }]);
      expect(await a.get('once')).toBeUndefined();
      expect(await a.take('once')).toBeUndefined();
    });

    it('counts concurrent increments without losing one, across instances', async () => {
      const [a, b] = await pair();
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? b : a).increment('hits', 60_000)));
      expect([...results].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await a.get('hits')).toBeUndefined(); // counters live beside values
    });

    it('sets a counter\'s TTL once: increments never extend its window', async () => {
      const [a] = await pair();
      expect(await a.increment('window', 300)).toBe(1);
      // A sliding TTL would keep the counter alive for ever under this steady traffic.
      const deadline = Date.now() + 10_000;
      let value = 2;
      while ((value = await a.increment('window', 300)) !== 1) {
        if (Date.now() > deadline) throw new Error(`counter still at ${value}: its TTL was extended`);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(value).toBe(1);
    });

    it('rejects a counter without a positive TTL with a typed error', async () => {
      const [a] = await pair();
      const error = await a.increment('bad', 0).catch((e: unknown) => e);
      expect(isCacheError(error) && error.code).toBe('CACHE_INVALID_OPTIONS');
    });
  });
}
