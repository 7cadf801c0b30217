import { nextReviewsAfter, reviewRuleId, seriesEndedBy } from './review-rules';

describe('review rules: core groups', () => {
  it('starts review conferences and core groups when an ICPC makes a plan, neither when it does not', () => {
    expect(nextReviewsAfter('icpc', 1, 'plan')).toEqual([
      { kind: 'cp-review', sequence: 1 },
      { kind: 'core-group', sequence: 1 },
    ]);
    expect(nextReviewsAfter('icpc', 1, 'no-plan')).toEqual([]);
  });

  it('dates the first core group from the ICPC and the next ones from the last core group', () => {
    expect(reviewRuleId('core-group', 1)).toBe('first-core-group');
    expect(reviewRuleId('core-group', 2)).toBe('core-group-interval');
    expect(nextReviewsAfter('core-group', 1, 'plan-continues')).toEqual([{ kind: 'core-group', sequence: 2 }]);
    expect(nextReviewsAfter('core-group', 3, 'plan-ended')).toEqual([]);
  });

  it('ends the core groups when a review conference ends the plan', () => {
    expect(seriesEndedBy('cp-review', 'plan-ended')).toEqual(['core-group']);
    expect(seriesEndedBy('cp-review', 'plan-continues')).toEqual([]);
    expect(seriesEndedBy('core-group', 'plan-ended')).toEqual([]);
  });
});
