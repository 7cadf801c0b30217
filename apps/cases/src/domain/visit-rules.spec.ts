import { allowedVisitTypes, childrenSeenOn, countsAsStatutoryVisit } from './visit-rules';
import { nextReviewsAfter, reviewRuleId } from './review-rules';

describe('visits', () => {
  it('each legal status has its statutory visit types; placement visits are for looked-after children', () => {
    expect(allowedVisitTypes('looked-after')).toContain('placement');
    expect(allowedVisitTypes('child-protection-plan')).not.toContain('placement');
    expect(allowedVisitTypes('child-protection-plan')).toContain('unannounced');
  });

  it('only a statutory type with the child seen meets the visiting obligation', () => {
    expect(countsAsStatutoryVisit('child-protection-plan', 'unannounced', true)).toBe(true);
    expect(countsAsStatutoryVisit('child-protection-plan', 'home', false)).toBe(false);
    expect(countsAsStatutoryVisit('child-in-need', 'non-statutory', true)).toBe(false);
  });
});

describe('review series', () => {
  it('picks the rule by kind and position in the series', () => {
    expect(
      ['icpc', 'cp-review', 'cp-review', 'lac-review', 'lac-review', 'lac-review'].map((k, i) =>
        reviewRuleId(k as never, [1, 1, 2, 1, 2, 3][i]),
      ),
    ).toEqual(['icpc', 'first-review-conference', 'later-review-conference', 'lac-review-first', 'lac-review-second', 'lac-review-later']);
  });

  it('a held review makes the next due unless its outcome ends the series', () => {
    expect(nextReviewsAfter('icpc', 1, 'plan')).toContainEqual({ kind: 'cp-review', sequence: 1 });
    expect(nextReviewsAfter('icpc', 1, 'no-plan')).toEqual([]);
    expect(nextReviewsAfter('cp-review', 1, 'plan-continues')).toEqual([{ kind: 'cp-review', sequence: 2 }]);
    expect(nextReviewsAfter('cp-review', 2, 'plan-ended')).toEqual([]);
    expect(nextReviewsAfter('lac-review', 2, 'care-plan-endorsed')).toEqual([{ kind: 'lac-review', sequence: 3 }]);
    expect(nextReviewsAfter('lac-review', 2, 'ceased-looked-after')).toEqual([]);
  });
});

describe('children seen on a visit', () => {
  const [a, b, stranger] = [
    '11111111-1111-4111-8111-111111111111',
    '22222222-2222-4222-8222-222222222222',
    '33333333-3333-4333-8333-333333333333',
  ];

  it('a visit that saw "the child" and names nobody saw every child on the case; childId alone names one', () => {
    expect(childrenSeenOn({ childSeen: true }, [a, b])).toEqual({ seen: [a, b], problems: [] });
    expect(childrenSeenOn({ childSeen: true, childId: b }, [a, b])).toEqual({ seen: [b], problems: [] });
    expect(childrenSeenOn({ childSeen: false, childId: b }, [a, b])).toEqual({ seen: [], problems: [] });
  });

  it('childrenSeen names exactly who was seen', () => {
    expect(childrenSeenOn({ childSeen: true, childrenSeen: [b] }, [a, b])).toEqual({ seen: [b], problems: [] });
    expect(childrenSeenOn({ childSeen: false, childrenSeen: [] }, [a, b])).toEqual({ seen: [], problems: [] });
  });

  it('refuses contradictions, naming the field', () => {
    const fields = (visit: Parameters<typeof childrenSeenOn>[0]) => childrenSeenOn(visit, [a, b]).problems.map((p) => p.field);
    expect(fields({ childSeen: true, childrenSeen: [a, stranger] })).toEqual(['childrenSeen.1']);
    expect(fields({ childSeen: false, childrenSeen: [a] })).toEqual(['childrenSeen']);
    expect(fields({ childSeen: true, childrenSeen: [] })).toEqual(['childrenSeen']);
    expect(fields({ childSeen: true, childId: a, childrenSeen: [b] })).toEqual(['childId']);
  });
});
