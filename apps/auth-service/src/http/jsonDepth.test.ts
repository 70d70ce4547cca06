import fc from 'fast-check';
import { jsonDepth } from './jsonDepth';

/** Nesting depth of a parsed value (the reference). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('jsonDepth', () => {
  it('agrees with the depth of the parsed value, brackets inside strings included', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), (text) => {
        expect(jsonDepth(text)).toBe(depthOf(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
    expect(jsonDepth('{"a":"[[[{{\\"\\\\"}')).toBe(1);
  });

  it('stops counting past the limit', () => {
    expect(jsonDepth('['.repeat(20_000), 64)).toBe(65);
  });
});
