import { whereToQuery } from './whereToQuery';

describe('whereToQuery', () => {
  it('matches everything for an empty where', () => {
    expect(whereToQuery([])).toEqual({});
    expect(whereToQuery(undefined)).toEqual({});
  });

  it('maps a single equality, null and not-null', () => {
    expect(whereToQuery([{ field: 'email', value: 'a@b.c' }])).toEqual({ email: { equals: 'a@b.c' } });
    expect(whereToQuery([{ field: 'image', value: null, operator: 'eq' }])).toEqual({ image: null });
    expect(whereToQuery([{ field: 'image', value: null, operator: 'ne' }])).toEqual({ image: { not: null } });
  });

  it('renames comparison and string operators', () => {
    expect(whereToQuery([{ field: 'n', value: 3, operator: 'gte' }])).toEqual({ n: { gte: 3 } });
    expect(whereToQuery([{ field: 'name', value: 'ab', operator: 'starts_with' }])).toEqual({ name: { startsWith: 'ab' } });
    expect(whereToQuery([{ field: 'name', value: 'yz', operator: 'ends_with' }])).toEqual({ name: { endsWith: 'yz' } });
    expect(whereToQuery([{ field: 'name', value: 'x', operator: 'ne' }])).toEqual({ name: { not: { equals: 'x' } } });
  });

  it('drops nulls from in / not_in and makes an empty in match nothing', () => {
    expect(whereToQuery([{ field: 'id', value: ['a', null, 'b'], operator: 'in' }])).toEqual({ id: { in: ['a', 'b'] } });
    expect(whereToQuery([{ field: 'id', value: ['a'], operator: 'not_in' }])).toEqual({ id: { notIn: ['a'] } });
    expect(whereToQuery([{ field: 'id', value: [], operator: 'not_in' }])).toEqual({});
    const none = whereToQuery([{ field: 'id', value: [], operator: 'in' }]);
    expect(none).toHaveProperty('AND');
  });

  it('groups AND and OR connectors', () => {
    expect(
      whereToQuery([
        { field: 'userId', value: 'u1', connector: 'AND' },
        { field: 'expiresAt', value: new Date(0), operator: 'gt' },
        { field: 'token', value: 't1', connector: 'OR' },
        { field: 'token', value: 't2', connector: 'OR' },
      ]),
    ).toEqual({
      AND: [{ userId: { equals: 'u1' } }, { expiresAt: { gt: new Date(0) } }],
      OR: [{ token: { equals: 't1' } }, { token: { equals: 't2' } }],
    });
  });

  it('folds case only for string values', () => {
    expect(whereToQuery([{ field: 'email', value: 'A@B.C', mode: 'insensitive' }])).toEqual({
      email: { equals: 'A@B.C', mode: 'insensitive' },
    });
    expect(whereToQuery([{ field: 'n', value: 1, mode: 'insensitive' }])).toEqual({ n: { equals: 1 } });
  });

  it('rejects an unknown operator instead of matching everything', () => {
    expect(() => whereToQuery([{ field: 'x', value: 1, operator: 'regex' as never }])).toThrow(TypeError);
  });
});
