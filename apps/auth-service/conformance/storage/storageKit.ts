import { afterEach, beforeEach, describe, expect } from 'vitest';
import { eventually, kitTest } from './kitTest';
import type { StoragePair, StorageTarget } from './storageTargets';

/**
 * Better-Auth 1.7's `secondaryStorage` contract (better-auth/core `SecondaryStorage`): get / set
 * with a TTL in seconds / delete, `increment` whose TTL is set on creation only, and an atomic
 * `getAndDelete`. Run on two instances of the target where it shares data.
 */
export function describeStorageContract(target: StorageTarget): void {
  describe('secondaryStorage contract', () => {
    let pair: StoragePair;
    beforeEach(async () => {
      pair = await target.open(async () => true);
    });
    afterEach(() => pair.close());

    kitTest(target, 'get is null for a missing key and returns what set stored', async () => {
      expect(await pair.a.get('missing')).toBeNull();
      await pair.a.set('k', 'v', 60);
      expect(await pair.a.get('k')).toBe('v');
    });

    kitTest(target, 'delete removes a value', async () => {
      await pair.a.set('k', 'v', 60);
      await pair.a.delete('k');
      expect(await pair.a.get('k')).toBeNull();
    });

    kitTest(target, 'set without a TTL keeps the value; set with one lets it expire', async () => {
      await pair.a.set('kept', 'v');
      await pair.a.set('brief', 'v', 1);
      await eventually(async () => (await pair.a.get('brief')) === null);
      expect(await pair.a.get('kept')).toBe('v');
    });

    kitTest(target, 'increment starts at 1 and loses no concurrent increment', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => pair.a.increment('n', 60)));
      expect([...results].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    kitTest(
      target,
      'increment loses no concurrent increment across two instances',
      async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? pair.b : pair.a).increment('n2', 60)));
        expect([...results].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      },
      true,
    );

    kitTest(target, 'increment sets its TTL once: steady increments do not extend the window', async () => {
      expect(await pair.a.increment('window', 1)).toBe(1);
      // With a sliding TTL this loop would never see the counter start again at 1.
      await eventually(async () => (await pair.a.increment('window', 1)) === 1);
    });

    kitTest(target, 'getAndDelete of a missing key is null', async () => {
      expect(await pair.a.getAndDelete('missing')).toBeNull();
    });

    kitTest(target, 'getAndDelete hands the value to exactly one of concurrent callers', async () => {
      await pair.a.set('once', 'v', 60);
      const results = await Promise.all(Array.from({ length: 20 }, () => pair.a.getAndDelete('once')));
      expect(results.filter((r) => r !== null)).toEqual(['v']);
      expect(await pair.a.get('once')).toBeNull();
    });

    kitTest(
      target,
      'getAndDelete hands the value to exactly one caller across two instances',
      async () => {
        await pair.a.set('once2', 'v', 60);
        expect(await pair.b.get('once2')).toBe('v'); // b may now hold it in its own memory layer too
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? pair.b : pair.a).getAndDelete('once2')));
        expect(results.filter((r) => r !== null)).toEqual(['v']);
      },
      true,
    );

    kitTest(
      target,
      'a write and a delete on one instance are seen by the other',
      async () => {
        await pair.a.set('shared', 'v1', 60);
        expect(await pair.b.get('shared')).toBe('v1');
        await pair.a.set('shared', 'v2', 60);
        await eventually(async () => (await pair.b.get('shared')) === 'v2');
        await pair.a.delete('shared');
        await eventually(async () => (await pair.b.get('shared')) === null);
      },
      true,
    );
  });
}
