import { MemoryWindow } from './MemoryWindow';

describe('MemoryWindow (fixed window in memory)', () => {
  it('allows max hits per window, refuses the rest with the time to reset, and opens a new window after it', () => {
    let now = 1_000;
    const window = new MemoryWindow(10, () => now);
    const limit = { max: 2, windowMs: 1_000 };
    expect(window.hit('k', limit)).toEqual({ allowed: true, count: 1, limit: 2, resetInMs: 1_000 });
    now += 400;
    expect(window.hit('k', limit).allowed).toBe(true);
    expect(window.hit('k', limit)).toEqual({ allowed: false, count: 3, limit: 2, resetInMs: 600 });
    expect(window.hit('other', limit).allowed).toBe(true);
    now += 600;
    expect(window.hit('k', limit)).toEqual({ allowed: true, count: 1, limit: 2, resetInMs: 1_000 });
  });

  it('is bounded: the least recently used key is forgotten', () => {
    const window = new MemoryWindow(2);
    const limit = { max: 1, windowMs: 60_000 };
    window.hit('a', limit);
    window.hit('b', limit);
    window.hit('c', limit);
    expect(window.hit('a', limit).allowed).toBe(true); // 'a' was evicted
    expect(window.hit('c', limit).allowed).toBe(false);
  });
});
