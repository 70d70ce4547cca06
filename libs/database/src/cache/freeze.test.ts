import { isCacheError } from './errors/CacheError';
import { deepFreeze, isDeepFrozen } from './freeze';

describe('deepFreeze (what L1 hands out on a hit)', () => {
  const row = () => ({
    id: 'u1',
    createdAt: new Date('2024-01-02T03:04:05.678Z'),
    roles: ['a', 'b'],
    meta: { nested: { list: [{ at: new Date(0) }] } },
    seen: new Set(['x']),
    counts: new Map([['k', { n: 1 }]]),
    nothing: null,
  });

  it('freezes every level in place and stays equal to the original, even strictly', () => {
    const value = row();
    const frozen = deepFreeze(value);
    expect(frozen).toBe(value);
    expect(frozen).toStrictEqual(row());
    for (const part of [frozen, frozen.roles, frozen.meta, frozen.meta.nested, frozen.meta.nested.list, frozen.meta.nested.list[0], frozen.counts.get('k')]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(isDeepFrozen(frozen)).toBe(true);
    expect(isDeepFrozen({})).toBe(false);
    expect(isDeepFrozen(3)).toBe(true);
  });

  it('makes Dates, Maps and Sets read-only while they stay Dates, Maps and Sets', () => {
    const frozen = deepFreeze(row());
    expect(frozen.createdAt).toBeInstanceOf(Date);
    expect(frozen.createdAt.constructor).toBe(Date);
    expect(frozen.createdAt.toISOString()).toBe('2024-01-02T03:04:05.678Z');
    expect(Object.prototype.toString.call(frozen.createdAt)).toBe('[object Date]');
    expect(JSON.stringify(frozen.createdAt)).toBe('"2024-01-02T03:04:05.678Z"');
    expect(() => frozen.createdAt.setTime(0)).toThrow(TypeError);
    expect(() => frozen.createdAt.setUTCFullYear(1999)).toThrow(/read-only/);
    expect(() => frozen.meta.nested.list[0].at.setHours(1)).toThrow(TypeError);
    expect(frozen.createdAt.getTime()).toBe(Date.parse('2024-01-02T03:04:05.678Z'));
    expect(frozen.seen).toBeInstanceOf(Set);
    expect(frozen.seen.has('x')).toBe(true);
    expect(() => frozen.seen.add('y')).toThrow(TypeError);
    expect(() => frozen.seen.delete('x')).toThrow(TypeError);
    expect(() => frozen.seen.clear()).toThrow(TypeError);
    expect(frozen.counts).toBeInstanceOf(Map);
    expect(frozen.counts.get('k')).toEqual({ n: 1 });
    expect(() => frozen.counts.set('k', { n: 2 })).toThrow(TypeError);
    expect(() => frozen.counts.delete('k')).toThrow(TypeError);
    expect(() => frozen.counts.clear()).toThrow(TypeError);
    expect([...frozen.counts.keys()]).toEqual(['k']);
    // Copies are ordinary, mutable values again.
    const copy = new Date(frozen.createdAt);
    copy.setTime(0);
    expect(copy.getTime()).toBe(0);
    const mapCopy = new Map(frozen.counts);
    mapCopy.set('z', { n: 9 });
    expect(mapCopy.size).toBe(2);
  });

  it('throws on writes to plain objects and arrays (modules are strict)', () => {
    const frozen = deepFreeze(row());
    expect(() => ((frozen as { id: string }).id = 'u2')).toThrow(TypeError);
    expect(() => frozen.roles.push('c')).toThrow(TypeError);
    expect(() => delete (frozen as Partial<ReturnType<typeof row>>).nothing).toThrow(TypeError);
    expect(frozen).toStrictEqual(row());
  });

  it('is idempotent and cheap the second time (a frozen value is returned as is)', () => {
    const once = deepFreeze(row());
    const dateBefore = once.createdAt;
    expect(deepFreeze(once)).toBe(once);
    expect(once.createdAt).toBe(dateBefore);
  });

  it('copies a foreign shallowly-frozen object rather than failing to freeze its children', () => {
    const inner = { at: new Date(5) };
    const foreign = Object.freeze({ inner });
    const frozen = deepFreeze(foreign);
    expect(frozen).not.toBe(foreign);
    expect(frozen).toStrictEqual({ inner: { at: new Date(5) } });
    expect(() => frozen.inner.at.setTime(1)).toThrow(TypeError);
  });

  it('returns primitives unchanged and refuses cycles and binary data with CACHE_SERIALIZATION', () => {
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze('s')).toBe('s');
    expect(deepFreeze(10n)).toBe(10n);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    for (const bad of [cyclic, { bytes: new Uint8Array([1]) }]) {
      let caught: unknown;
      try {
        deepFreeze(bad);
      } catch (error) {
        caught = error;
      }
      expect(isCacheError(caught) && caught.code).toBe('CACHE_SERIALIZATION');
    }
  });

  it('freezes a shared child reached twice (a DAG is not a cycle)', () => {
    const shared = { n: 1 };
    const frozen = deepFreeze({ a: shared, b: shared, list: [shared, shared] });
    expect(frozen.a).toBe(frozen.b);
    expect(Object.isFrozen(shared)).toBe(true);
  });
});
