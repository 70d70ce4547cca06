import { boundedKey, OVERFLOW_LABEL } from './boundedKey';

describe('boundedKey', () => {
  const limits = { maxKeys: 2, maxLength: 5 };

  it('admits new keys while there is room and keeps known keys after', () => {
    const map = new Map<string, number>();
    expect(boundedKey(map, 'a', limits)).toBe('a');
    map.set('a', 1).set('b', 1);
    expect(boundedKey(map, 'c', limits)).toBe(OVERFLOW_LABEL);
    expect(boundedKey(map, 'b', limits)).toBe('b');
  });

  it('folds keys that cannot be label values', () => {
    const map = new Map<string, number>();
    expect(boundedKey(map, '', limits)).toBe(OVERFLOW_LABEL);
    expect(boundedKey(map, 'toolong', limits)).toBe(OVERFLOW_LABEL);
    expect(boundedKey(map, 7, limits)).toBe(OVERFLOW_LABEL);
    expect(boundedKey(map, null, limits)).toBe(OVERFLOW_LABEL);
  });

  it('treats a caller\'s own "other" as the overflow entry, so there is one series', () => {
    const map = new Map<string, number>([['other', 1], ['a', 1]]);
    expect(boundedKey(map, 'other', limits)).toBe(OVERFLOW_LABEL);
    expect(boundedKey(map, 'b', limits)).toBe(OVERFLOW_LABEL);
  });
});
