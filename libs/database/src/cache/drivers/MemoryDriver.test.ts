import { createEntry } from '../cacheEntry';
import { MemoryDriver } from './MemoryDriver';

const entry = (value: unknown, ttlMs = 60_000, graceMs = 0, tags: string[] = []) => createEntry(value, ttlMs, graceMs, tags);

describe('MemoryDriver (L1)', () => {
  it('is bounded by entry count (least recently used goes first)', () => {
    const l1 = new MemoryDriver({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c']) l1.set(k, entry(k));
    l1.get('a');
    l1.set('d', entry('d'));
    expect(l1.size).toBe(3);
    expect(l1.get('b')).toBeUndefined();
    expect(l1.get('a')?.value).toBe('a');
  });

  it('is bounded by bytes and skips an entry larger than the budget', () => {
    const l1 = new MemoryDriver({ maxBytes: 1_000 });
    for (let i = 0; i < 50; i++) l1.set(`k${i}`, entry('x'.repeat(100)));
    expect(l1.calculatedSize).toBeLessThanOrEqual(1_000);
    expect(l1.size).toBeLessThan(10);
    l1.set('huge', entry('y'.repeat(5_000)));
    expect(l1.get('huge')).toBeUndefined();
  });

  it('keeps an expired entry through its grace window, then drops it', async () => {
    const l1 = new MemoryDriver();
    const now = Date.now();
    l1.set('k', createEntry('v', 10, 1_000, [], now));
    expect(l1.get('k', now + 500)?.value).toBe('v');
    expect(l1.get('k', now + 1_011)).toBeUndefined();
    expect(l1.size).toBe(0);
  });

  it('by default freezes a value once on insertion and returns that same object on every hit', () => {
    const l1 = new MemoryDriver();
    expect(l1.mode).toBe('frozen');
    type Row = { n: number; at: Date; list: Array<{ x: number }> };
    const stored = l1.set<Row>('k', entry({ n: 1, at: new Date(0), list: [{ x: 1 }] }) as ReturnType<typeof createEntry<Row>>);
    const hit = l1.get<Row>('k')?.value;
    expect(hit).toBe(stored);
    expect(l1.get('k')?.value).toBe(hit);
    expect(Object.isFrozen(hit)).toBe(true);
    expect(Object.isFrozen(hit?.list[0])).toBe(true);
    expect(() => hit?.at.setTime(5)).toThrow(TypeError);
    expect(hit).toStrictEqual({ n: 1, at: new Date(0), list: [{ x: 1 }] });
  });

  it('returns a fresh mutable copy per hit when serializing, and the stored object unprotected in shared mode', () => {
    const obj = { n: 1 };
    const copying = new MemoryDriver({ serialize: true });
    expect(copying.mode).toBe('serialized');
    copying.set('k', entry(obj));
    const copy = copying.get<{ n: number }>('k')?.value;
    expect(copy).not.toBe(obj);
    expect(copying.get('k')?.value).not.toBe(copy);
    expect(Object.isFrozen(copy)).toBe(false);
    const sharing = new MemoryDriver({ freeze: false });
    expect(sharing.mode).toBe('shared');
    sharing.set('k', entry(obj));
    expect(sharing.get('k')?.value).toBe(obj);
    expect(Object.isFrozen(obj)).toBe(false);
  });

  it('remembers which decoder produced a value and lets a decoded value replace the stored one', () => {
    const l1 = new MemoryDriver();
    const decode = (v: unknown) => ({ ...(v as object), decoded: true });
    l1.set('raw', entry({ n: 1 }));
    const raw = l1.get('raw') as NonNullable<ReturnType<MemoryDriver['get']>>;
    expect(raw.decodedBy).toBeUndefined();
    l1.adopt(raw, decode(raw.value), decode);
    expect(l1.get('raw')?.value).toEqual({ n: 1, decoded: true });
    expect(l1.get('raw')?.decodedBy).toBe(decode);
    expect(Object.isFrozen(l1.get('raw')?.value)).toBe(true);
    l1.set('done', entry({ n: 2 }), undefined, decode);
    expect(l1.get('done')?.decodedBy).toBe(decode);
  });

  it('drops by tags and by prefix', () => {
    const l1 = new MemoryDriver();
    l1.set('user:1', entry(1, 60_000, 0, ['u1']));
    l1.set('user:2', entry(2, 60_000, 0, ['u2']));
    l1.set('sess:1', entry(3, 60_000, 0, ['u1']));
    expect(l1.deleteByTags(['u1'])).toBe(2);
    expect(l1.get('user:2')?.value).toBe(2);
    expect(l1.deleteByPrefix('user:')).toBe(1);
    expect(l1.size).toBe(0);
  });
});
