import { roundOrder, roundShare } from './measureServers';

describe('roundOrder', () => {
  it('rotates which server goes first each round', () => {
    expect([0, 1, 2, 3].map((r) => roundOrder(3, r))).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
    ]);
  });
});

describe('roundShare', () => {
  it('splits a total over rounds so the parts add up to it', () => {
    const parts = [0, 1, 2, 3].map((r) => roundShare(30, 4, r));
    expect(parts).toEqual([7, 8, 7, 8]);
    expect(parts.reduce((a, b) => a + b)).toBe(30);
  });

  it('gives empty rounds when there are fewer items than rounds', () => {
    expect([0, 1, 2, 3].map((r) => roundShare(2, 4, r))).toEqual([0, 1, 0, 1]);
  });
});
