import { createEntry, deserializeEntry, serializeEntry } from './cacheEntry';
import { isCacheError } from './errors/CacheError';
import { deserializeValue, serializeValue } from './serializer';

const roundTrip = (v: unknown) => deserializeValue(serializeValue(v));

describe('serializer', () => {
  it('round-trips plain JSON without tags', () => {
    const value = { a: [1, 2, { b: 'c' }], n: null, t: true, f: 1.5 };
    expect(serializeValue(value)).toBe(JSON.stringify(value));
    expect(roundTrip(value)).toEqual(value);
  });

  it('round-trips top-level and nested undefined, null and Dates', () => {
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip(null)).toBeNull();
    const back = roundTrip({ d: new Date(42), u: undefined, arr: [undefined, new Date(7)] }) as Record<string, unknown>;
    expect(back).toEqual({ d: new Date(42), u: undefined, arr: [undefined, new Date(7)] });
    expect(Object.hasOwn(back, 'u')).toBe(true);
    expect(roundTrip(new Date('2020-01-01T00:00:00Z'))).toEqual(new Date('2020-01-01T00:00:00Z'));
  });

  it('escapes objects that look like tags, at any depth', () => {
    const tricky = { $t: 'U', nested: { $t: 'D', v: 'x', inner: { $t: 'O', v: [] } } };
    expect(roundTrip(tricky)).toEqual(tricky);
    expect(roundTrip([{ $t: 'B', v: '1' }])).toEqual([{ $t: 'B', v: '1' }]);
  });

  it('keeps __proto__ keys as data, never as prototypes', () => {
    const back = roundTrip(JSON.parse('{"__proto__": {"polluted": true}, "$t": 1}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('throws typed errors for cycles and corrupt text', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => serializeValue(cyclic)).toThrow(expect.objectContaining({ code: 'CACHE_SERIALIZATION' }));
    let caught: unknown;
    try {
      deserializeValue('{"oops"');
    } catch (error) {
      caught = error;
    }
    expect(isCacheError(caught) && caught.code).toBe('CACHE_DESERIALIZATION');
    expect((caught as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('wraps entries in a versioned envelope', () => {
    const entry = createEntry({ when: new Date(1) }, 1_000, 500, ['a'], 10);
    expect(entry).toMatchObject({ expiresAt: 1_010, graceUntil: 1_510 });
    expect(deserializeEntry(serializeEntry(entry))).toEqual(entry);
    expect(() => deserializeEntry('{"#":2,"e":1,"g":1,"t":[],"v":1}')).toThrow(expect.objectContaining({ code: 'CACHE_DESERIALIZATION' }));
    expect(() => deserializeEntry('null')).toThrow(expect.objectContaining({ code: 'CACHE_DESERIALIZATION' }));
  });
});
