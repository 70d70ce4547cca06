import { cpuMsPerRequest, percentile, ratio, round } from './stats';

describe('percentile', () => {
  it('uses nearest rank on an unsorted copy', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 99)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('is null without values', () => {
    expect(percentile([], 50)).toBeNull();
  });
});

describe('ratio', () => {
  it('divides ours by the baseline', () => {
    expect(ratio(300, 150)).toBe(2);
  });

  it('is null, never a number, when a side is missing or zero', () => {
    expect(ratio(null, 100)).toBeNull();
    expect(ratio(100, undefined)).toBeNull();
    expect(ratio(100, 0)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
  });
});

describe('cpuMsPerRequest', () => {
  it('adds user and system time and divides by requests', () => {
    expect(cpuMsPerRequest({ userMicros: 1_000, systemMicros: 500 }, { userMicros: 9_000, systemMicros: 2_500 }, 5)).toBe(2);
  });

  it('is null for no requests', () => {
    expect(cpuMsPerRequest({ userMicros: 0, systemMicros: 0 }, { userMicros: 1, systemMicros: 1 }, 0)).toBeNull();
  });
});

describe('round', () => {
  it('rounds and keeps null', () => {
    expect(round(1.23456, 2)).toBe(1.23);
    expect(round(null)).toBeNull();
  });
});
