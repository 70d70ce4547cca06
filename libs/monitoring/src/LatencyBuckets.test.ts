import { LatencyBuckets } from './LatencyBuckets';

describe('LatencyBuckets', () => {
  it('counts a value in the first bucket whose bound it does not exceed', () => {
    const buckets = new LatencyBuckets([0.1, 1, 10]);
    for (const s of [0, 0.1, 0.1000001, 1, 9.99, 10, 10.5, 100]) buckets.observe(s);
    expect(buckets.counts).toEqual([2, 2, 2]);
    expect(buckets.cumulative()).toEqual([2, 4, 6]);
    expect(buckets.count).toBe(8);
    expect(buckets.sumSeconds).toBeCloseTo(131.6900001, 9);
  });
});
