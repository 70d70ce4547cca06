import { PinningLru } from './PinningLru';

interface Entry {
  pinned: boolean;
}
const entry = (pinned = false): Entry => ({ pinned });

describe('PinningLru', () => {
  it('drops the least recently used unpinned entry past the cap', () => {
    const lru = new PinningLru<string, Entry>({ max: 2, isPinned: (e) => e.pinned });
    lru.set('a', entry());
    lru.set('b', entry());
    lru.get('a');
    lru.set('c', entry());
    expect([...lru.entries()].map(([k]) => k).sort()).toEqual(['a', 'c']);
    expect(lru.size).toBe(2);
  });

  it('keeps a pinned entry past the cap and hands it back; it rejoins the LRU once unpinned', () => {
    const lru = new PinningLru<string, Entry>({ max: 2, isPinned: (e) => e.pinned });
    const open = entry(true);
    lru.set('open', open);
    for (let i = 0; i < 10; i++) lru.set(`k${i}`, entry());
    expect(lru.get('open')).toBe(open);
    expect(lru.peek('open')).toBe(open);
    expect(lru.size).toBe(3);
    open.pinned = false;
    expect(lru.get('open')).toBe(open);
    lru.set('x', entry());
    lru.set('y', entry());
    expect(lru.get('open')).toBeUndefined();
  });

  it('expires idle unpinned entries but keeps pinned ones past their TTL', () => {
    jest.useFakeTimers();
    try {
      // lru-cache treats a start time of 0 (a fresh fake clock) as "no TTL".
      jest.advanceTimersByTime(1);
      const lru = new PinningLru<string, Entry>({ max: 10, ttlMs: 1_000, isPinned: (e) => e.pinned });
      const busy = entry(true);
      lru.set('idle', entry());
      lru.set('busy', busy);
      jest.advanceTimersByTime(1_001);
      expect(lru.peek('busy')).toBe(busy);
      expect(lru.get('idle')).toBeUndefined();
      expect(lru.get('busy')).toBe(busy);
    } finally {
      jest.useRealTimers();
    }
  });

  it('delete and clear drop pinned entries too', () => {
    const lru = new PinningLru<string, Entry>({ max: 1, isPinned: (e) => e.pinned });
    lru.set('p', entry(true));
    lru.set('q', entry(true));
    expect(lru.size).toBe(2);
    expect(lru.delete('p')).toBe(true);
    expect(lru.get('p')).toBeUndefined();
    lru.clear();
    expect(lru.size).toBe(0);
  });
});
