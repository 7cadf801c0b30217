import fc from 'fast-check';
import { parseLocalDate, RulePack } from '@plo/timescales';
import {
  ChildFacts,
  ChildStatusFact,
  lookedAfterSince,
  nextChildVisit,
  PlacementFact,
  summaryStatus,
  VisitFact,
} from './child-status-rules';

const rules = RulePack.standard();
const d = parseLocalDate;

function facts(partial: Partial<ChildFacts>): ChildFacts {
  return { since: d('2026-09-01'), statuses: [], placements: [], visits: [], ...partial };
}

const status = (s: Partial<ChildStatusFact> & Pick<ChildStatusFact, 'status' | 'startDate'>): ChildStatusFact => ({
  basis: null,
  endDate: null,
  ...s,
});

describe("a child's next visit, from the statuses the child holds", () => {
  it('follows the cadence of the status', () => {
    const cp = facts({ statuses: [status({ status: 'child-protection-plan', startDate: d('2026-11-02') })] });
    const cin = facts({ statuses: [status({ status: 'child-in-need', startDate: d('2026-11-02') })] });
    expect(nextChildVisit(cp, rules)?.dueDate).toBe('2026-11-16');
    expect(nextChildVisit(cin, rules)?.dueDate).toBe('2026-12-14');
  });

  it('takes the most frequent cadence among the statuses held; pre-proceedings alone asks for none', () => {
    const both = facts({
      statuses: [
        status({ status: 'child-in-need', startDate: d('2026-11-02') }),
        status({ status: 'care-proceedings', startDate: d('2026-11-02') }),
      ],
    });
    expect(nextChildVisit(both, rules)).toMatchObject({ ruleId: 'cp-visit', dueDate: '2026-11-16' });
    expect(nextChildVisit(facts({ statuses: [status({ status: 'pre-proceedings', startDate: d('2026-11-02') })] }), rules)).toBeUndefined();
    expect(nextChildVisit(facts({}), rules)).toBeUndefined();
  });

  it('a looked-after child with a placement is visited within a week of it, then 6-weekly in its first year', () => {
    const placements = [{ startedOn: d('2026-11-02'), intendedToLastUntil18: true }];
    const lookedAfter = [status({ status: 'looked-after', basis: 'section-20', startDate: d('2026-10-01') })];
    expect(nextChildVisit(facts({ statuses: lookedAfter, placements }), rules)).toMatchObject({
      ruleId: 'lac-visit-placement-start',
      dueDate: '2026-11-09',
    });
    const visited = facts({ statuses: lookedAfter, placements, visits: [{ visitedOn: d('2026-11-06'), visitType: 'placement' }] });
    expect(nextChildVisit(visited, rules)).toMatchObject({ ruleId: 'lac-visit-first-year', dueDate: '2026-12-18' });
  });

  it('a looked-after child in care proceedings keeps reg 28 visits', () => {
    const held = facts({
      statuses: [
        status({ status: 'looked-after', basis: 'interim-care-order', startDate: d('2026-11-02') }),
        status({ status: 'care-proceedings', startDate: d('2026-11-02') }),
      ],
      placements: [{ startedOn: d('2026-11-02'), intendedToLastUntil18: false }],
    });
    expect(nextChildVisit(held, rules)).toMatchObject({ ruleId: 'lac-visit-placement-start', dueDate: '2026-11-09' });
  });

  it('a change of basis continues the looked-after period: the placement made under the first basis still counts', () => {
    const statuses = [
      status({ status: 'looked-after', basis: 'interim-care-order', startDate: d('2026-09-01'), endDate: d('2026-12-01') }),
      status({ status: 'looked-after', basis: 'care-order', startDate: d('2026-12-01') }),
    ];
    expect(lookedAfterSince(statuses)).toBe('2026-09-01');
    const placements = [{ startedOn: d('2026-09-02'), intendedToLastUntil18: true }];
    const visits = [{ visitedOn: d('2026-11-20'), visitType: 'placement' }];
    expect(nextChildVisit(facts({ statuses, placements, visits }), rules)).toMatchObject({ ruleId: 'lac-visit-first-year' });
  });

  it('summarises the children for the v1 case-level status: proceedings first, then looked after, CP, CIN', () => {
    expect(summaryStatus(['child-in-need', 'looked-after'])).toBe('looked-after');
    expect(summaryStatus(['pre-proceedings', 'child-protection-plan'])).toBe('plo');
    expect(summaryStatus([])).toBeUndefined();
  });
});

describe('the same facts in any order give the same next visit', () => {
  // Half the days fall in the first fortnight, so statuses often begin within days of each other and of the child joining: the ties.
  const day = fc.oneof(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 14 })).map((n) => {
    const t = new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
    return d(t.toISOString().slice(0, 10));
  });
  const visit: fc.Arbitrary<VisitFact> = fc.record({
    visitedOn: day,
    visitType: fc.constantFrom('statutory', 'home', 'placement', 'school', 'non-statutory', 'unannounced'),
  });
  const placement: fc.Arbitrary<PlacementFact> = fc.record({ startedOn: day, intendedToLastUntil18: fc.boolean() });
  // One current row per status, some with an ended looked-after row before a change of basis.
  const statuses: fc.Arbitrary<ChildStatusFact[]> = fc
    .record({
      cin: fc.option(day, { nil: undefined }),
      cp: fc.option(day, { nil: undefined }),
      proceedings: fc.option(day, { nil: undefined }),
      lookedAfter: fc.option(fc.tuple(day, fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined })), { nil: undefined }),
    })
    .map(({ cin, cp, proceedings, lookedAfter }) => {
      const rows: ChildStatusFact[] = [];
      if (cin) rows.push(status({ status: 'child-in-need', startDate: cin }));
      if (cp) rows.push(status({ status: 'child-protection-plan', startDate: cp }));
      if (proceedings) rows.push(status({ status: 'care-proceedings', startDate: proceedings }));
      if (lookedAfter) {
        const [start, changedAfter] = lookedAfter;
        if (changedAfter === undefined) rows.push(status({ status: 'looked-after', basis: 'section-20', startDate: start }));
        else {
          const changed = d(new Date(Date.parse(start) + changedAfter * 86_400_000).toISOString().slice(0, 10));
          rows.push(status({ status: 'looked-after', basis: 'interim-care-order', startDate: start, endDate: changed }));
          rows.push(status({ status: 'looked-after', basis: 'care-order', startDate: changed }));
        }
      }
      return rows;
    });
  const childFacts = fc.record({
    since: day,
    statuses,
    placements: fc.array(placement, { maxLength: 3 }),
    visits: fc.array(visit, { maxLength: 8 }),
  });

  it('holds for statuses, placements and visits shuffled', () => {
    fc.assert(
      fc.property(childFacts, fc.integer(), (facts, seed) => {
        const shuffled: ChildFacts = {
          since: facts.since,
          statuses: shuffle(facts.statuses, seed),
          placements: shuffle(facts.placements, seed + 1),
          visits: shuffle(facts.visits, seed + 2),
        };
        const reversed: ChildFacts = {
          since: facts.since,
          statuses: [...facts.statuses].reverse(),
          placements: [...facts.placements].reverse(),
          visits: [...facts.visits].reverse(),
        };
        const expected = nextChildVisit(facts, rules);
        expect(nextChildVisit(shuffled, rules)).toEqual(expected);
        expect(nextChildVisit(reversed, rules)).toEqual(expected);
      }),
      // Fixed, so npm test is the same every run; this seed's runs include ties that a tie broken by entry order fails on.
      { seed: 20261206, numRuns: 500 },
    );
  });

  it('a protection plan and care proceedings due the same day give the same visit in either order', () => {
    // The counterexample fast-check found: the plan counts from the day the child joined, proceedings from a day later, a Saturday.
    const statuses = [
      status({ status: 'child-protection-plan', startDate: d('2026-01-01') }),
      status({ status: 'care-proceedings', startDate: d('2026-01-10') }),
    ];
    const one = nextChildVisit(facts({ since: d('2026-01-09'), statuses }), rules);
    const other = nextChildVisit(facts({ since: d('2026-01-09'), statuses: [...statuses].reverse() }), rules);
    expect(other).toEqual(one);
    expect(one).toMatchObject({ ruleId: 'cp-visit' });
    expect(one).toEqual(nextChildVisit(facts({ since: d('2026-01-09'), statuses: [statuses[1]] }), rules));
  });
});

/** A seeded Fisher–Yates shuffle, so a failure replays. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
