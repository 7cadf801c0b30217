import { ratio } from './kpi';

describe('ratio', () => {
  it('gives the percentage to one decimal place, and none when there is nothing to count', () => {
    expect(ratio(1, 3)).toEqual({ numerator: 1, denominator: 3, percent: 33.3 });
    expect(ratio(2, 3).percent).toBe(66.7);
    expect(ratio(0, 0)).toEqual({ numerator: 0, denominator: 0, percent: null });
  });
});
