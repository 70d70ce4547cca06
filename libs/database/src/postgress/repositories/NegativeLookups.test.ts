import { NegativeLookups } from './NegativeLookups';

describe('NegativeLookups', () => {
  it('remembers a miss for ttlMs, no longer', () => {
    let now = 1_000;
    const misses = new NegativeLookups({ ttlMs: 2_000, now: () => now });
    misses.add('a');
    expect(misses.has('a')).toBe(true);
    expect(misses.has('b')).toBe(false);
    now += 1_999;
    expect(misses.has('a')).toBe(true);
    now += 2;
    expect(misses.has('a')).toBe(false);
  });

  it('is bounded in entries: a flood drops the oldest misses, never grows past max', () => {
    const misses = new NegativeLookups({ max: 100 });
    for (let i = 0; i < 10_000; i++) misses.add(`k${i}`);
    expect(misses.size).toBe(100);
    expect(misses.has('k0')).toBe(false);
    expect(misses.has('k9999')).toBe(true);
  });

  it('forgets a miss when the identifier is created; max 0 or ttl 0 disables it', () => {
    const misses = new NegativeLookups();
    misses.add('a');
    misses.delete('a');
    expect(misses.has('a')).toBe(false);
    for (const off of [new NegativeLookups({ max: 0 }), new NegativeLookups({ ttlMs: 0 })]) {
      off.add('a');
      expect(off.has('a')).toBe(false);
    }
  });
});
