import { londonDay, londonMidnight, plusDays, plusMonths, WorkingDays } from '../simulation/calendar';
import { alertKey, Expectations } from '../simulation/expectations';
import { score } from '../simulation/scoring';
import { Fact, generateWorld, World } from '../simulation/world';

/** The council-year simulation's own arithmetic, on examples worked out by hand from the calendar. */
describe('council year: the independent calendar', () => {
  const wd = WorkingDays.englandAndWales();

  it('skips Christmas, Boxing Day (substitute) and New Year bank holidays', () => {
    // 2026: Fri 25 Dec and Mon 28 Dec are bank holidays; Fri 1 Jan 2027 too.
    expect(wd.plus('2026-12-24', 2)).toBe('2026-12-30');
    expect(wd.plus('2026-12-31', 1)).toBe('2027-01-04');
    expect(wd.plus('2027-01-04', -1)).toBe('2026-12-31');
  });

  it('counts back over Easter 2027 (Good Friday 26 March, Easter Monday 29 March)', () => {
    expect(wd.plus('2027-03-31', -2)).toBe('2027-03-25');
    expect(wd.isWorkingDay('2027-03-29')).toBe(false);
  });

  it('clamps months to the month end, leap years included', () => {
    expect(plusMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(plusMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(plusMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(plusMonths('2026-08-31', 6)).toBe('2027-02-28');
  });

  it('finds London midnights across the clock changes', () => {
    // Clocks go forward at 01:00 UTC on Sun 28 Mar 2027: that midnight is still GMT, the next is BST.
    expect(londonMidnight('2027-03-28').toISOString()).toBe('2027-03-28T00:00:00.000Z');
    expect(londonMidnight('2027-03-29').toISOString()).toBe('2027-03-28T23:00:00.000Z');
    // Back at 01:00 UTC on Sun 25 Oct 2026.
    expect(londonMidnight('2026-10-25').toISOString()).toBe('2026-10-24T23:00:00.000Z');
    expect(londonMidnight('2026-10-26').toISOString()).toBe('2026-10-26T00:00:00.000Z');
    expect(londonDay(new Date('2027-03-30T23:30:00Z'))).toBe('2027-03-31');
    expect(londonDay(new Date('2027-01-15T23:30:00Z'))).toBe('2027-01-15');
  });

  it('refuses a day outside the bank-holiday table rather than guessing', () => {
    expect(() => wd.isWorkingDay('2031-01-02')).toThrow(/outside/);
  });
});

describe('council year: the expectations', () => {
  const expectations = new Expectations();

  it('puts the last day of the 26 weeks at issue + 181 days (s.32: the issue day is day 1)', () => {
    // The README's example: issued Thu 26 Nov 2026, last day Wed 26 May 2027.
    expect(plusDays('2026-11-26', 181)).toBe('2027-05-26');
    expect(expectations.levelsOn('proceedings-completion', '2027-05-12', '2027-03-31')).toEqual(['warning-6-weeks']);
    expect(expectations.levelsOn('proceedings-completion', '2027-05-12', '2027-03-30')).toEqual([]);
    // Due Sun 11 Apr 2027: two weeks before is Sun 28 Mar, the day the clocks go forward.
    expect(expectations.levelsOn('proceedings-completion', '2027-04-11', '2027-03-28')).toEqual(['warning-6-weeks', 'warning-2-weeks']);
    expect(expectations.levelsOn('proceedings-completion', '2027-03-30', '2027-03-31')).toEqual(['drift']);
  });

  it('warns of a visit 2 working days ahead, over Easter, and drifts the day after', () => {
    expect(expectations.levelsOn('visit', '2027-03-31', '2027-03-24')).toEqual([]);
    expect(expectations.levelsOn('visit', '2027-03-31', '2027-03-25')).toEqual(['warning-2-working-days']);
    expect(expectations.levelsOn('visit', '2027-03-31', '2027-03-31')).toEqual(['warning-2-working-days']);
    expect(expectations.levelsOn('visit', '2027-03-31', '2027-04-01')).toEqual(['drift']);
    // Reviews have no warnings configured: only drift.
    expect(expectations.levelsOn('lac-review', '2027-03-31', '2027-03-30')).toEqual([]);
  });

  const family = (facts: Partial<Fact>[]): World => ({
    seed: 0,
    teams: [
      { id: 'north-1', managerId: 'tm.north-1', workerIds: ['sw.1'] },
      { id: 'south-2', managerId: 'tm.south-2', workerIds: ['sw.2'] },
    ],
    cases: [
      {
        key: 'c',
        reference: 'SIM-0001',
        openedOn: '2026-12-14',
        children: [
          { key: 'c.child1', dateOfBirth: '2015-01-01' },
          { key: 'c.child2', dateOfBirth: '2017-01-01' },
        ],
        team: 'north-1',
        worker: 'sw.1',
      },
    ],
    facts: facts.map((f, i) => ({ id: `f${i}`, caseKey: 'c', enteredOn: f.date, chained: true, ...f }) as Fact),
  });

  it('owes each sibling their own visit and their own reviews, and follows the case to its new team', () => {
    const world = family([
      { type: 'open', date: '2026-12-14', status: 'looked-after' },
      {
        type: 'review-scheduled',
        date: '2026-12-14',
        reviewKey: 'r1',
        kind: 'lac-review',
        anchor: '2026-12-14',
        auto: true,
        children: ['c.child1', 'c.child2'],
      },
      { type: 'visit', date: '2027-03-05', seen: ['c.child1'], chained: false },
      { type: 'allocation', date: '2027-02-01', team: 'south-2', worker: 'sw.2' },
    ]);
    const alerts = expectations.of(world, '2027-03-31');
    // Reg 33(1): 20 working days from Mon 14 Dec 2026, skipping 25 and 28 Dec and 1 Jan → Thu 14 Jan 2027, long overdue.
    // Reg 28: child1 seen 5 Mar → due 16 Apr (nothing yet); child2 never seen since the placement of 14 Dec → due 21 Dec, drift.
    expect(alerts.map(alertKey).sort()).toEqual([
      'c.child1|lac-review|2027-01-14|drift',
      'c.child2|lac-review|2027-01-14|drift',
      'c.child2|visit|2026-12-21|drift',
    ]);
    expect(new Set(alerts.flatMap((a) => a.viewers))).toEqual(new Set(['tm.south-2']));
  });

  it('counts a protection-plan visit from the later of the last visit and the plan, whatever order they arrived in', () => {
    const world = family([
      { type: 'open', date: '2026-12-14', status: 'child-in-need' },
      { type: 'status', date: '2027-03-15', status: 'child-protection-plan', children: ['c.child1', 'c.child2'] },
      { type: 'visit', date: '2027-03-10', seen: ['c.child1', 'c.child2'], chained: false },
      { type: 'visit', date: '2027-03-17', seen: ['c.child1'], chained: false },
    ]);
    const visits = expectations.of(world, '2027-03-31').filter((a) => a.kind === 'visit');
    // child1: 10 WD after Wed 17 Mar, over Good Friday and Easter Monday → Fri 2 Apr; child2: from the plan on Mon 15 Mar → Tue 31 Mar (today: warning).
    expect(expectations.nextVisit(world.facts, 'c.child1', { status: 'child-protection-plan', start: '2027-03-15' }).dueDate).toBe(
      '2027-04-02',
    );
    expect(expectations.nextVisit(world.facts, 'c.child2', { status: 'child-protection-plan', start: '2027-03-15' }).dueDate).toBe(
      '2027-03-31',
    );
    expect(visits.map(alertKey).sort()).toEqual([
      'c.child1|visit|2027-04-02|warning-2-working-days',
      'c.child2|visit|2027-03-31|warning-2-working-days',
    ]);
  });

  it('keeps an ICPC not yet held owed after the child became looked after, while the CP review series ends with the plan', () => {
    const world = family([
      { type: 'open', date: '2027-01-04', status: 'child-protection-plan' },
      {
        type: 'review-scheduled',
        date: '2027-01-04',
        reviewKey: 'icpc',
        kind: 'icpc',
        anchor: '2027-01-04',
        auto: false,
        children: ['c.child1', 'c.child2'],
      },
      { type: 'status', date: '2027-01-11', status: 'looked-after', children: ['c.child1', 'c.child2'] },
      {
        type: 'review-scheduled',
        date: '2027-01-11',
        reviewKey: 'lac',
        kind: 'lac-review',
        anchor: '2027-01-11',
        auto: true,
        children: ['c.child1', 'c.child2'],
      },
      {
        type: 'review-held',
        date: '2027-02-05',
        reviewKey: 'lac',
        kind: 'lac-review',
        outcome: 'care-plan-endorsed',
        children: ['c.child1', 'c.child2'],
      },
      {
        type: 'review-scheduled',
        date: '2027-02-05',
        reviewKey: 'lac2',
        kind: 'lac-review',
        anchor: '2027-02-05',
        auto: true,
        children: ['c.child1', 'c.child2'],
      },
    ]);
    const child1 = expectations.openReviews(world.facts, 'c.child1', { status: 'looked-after', start: '2027-01-11' });
    // ICPC: 15 WD from Mon 4 Jan 2027 = Mon 25 Jan. Second looked-after review: 3 months after 5 Feb = 5 May.
    expect(child1.map((r) => [r.kind, r.dueDate])).toEqual([
      ['icpc', '2027-01-25'],
      ['lac-review', '2027-05-05'],
    ]);
  });

  it('projects drift when the final hearing is after the last day, and again after it was moved inside and back out; legal sees it', () => {
    const world = family([
      { type: 'open', date: '2026-06-01', status: 'child-protection-plan' },
      { type: 'proceedings-issued', date: '2026-07-01', proceedingsKey: 'p', children: ['c.child1'] },
      { type: 'final-hearing-listed', date: '2026-08-01', proceedingsKey: 'p', hearingDate: '2027-01-20' },
      { type: 'final-hearing-moved', date: '2026-09-01', proceedingsKey: 'p', hearingDate: '2026-12-20' },
      { type: 'final-hearing-adjourned', date: '2026-10-01', proceedingsKey: 'p' },
      { type: 'final-hearing-moved', date: '2026-10-01', proceedingsKey: 'p', hearingDate: '2027-02-01' },
    ]);
    const projected = expectations.of(world, '2026-11-01').filter((a) => a.level === 'projected-drift');
    // Issued Wed 1 Jul 2026: last day 29 Dec 2026; relisted for 1 Feb 2027.
    expect(projected.map(alertKey)).toEqual(['c.child1|proceedings-completion|2026-12-29|projected-drift']);
    expect(projected[0].viewers).toEqual(['tm.north-1', 'legal']);
    // After the last day, drift on the 26 weeks supersedes the projection.
    expect(
      expectations
        .of(world, '2026-12-30')
        .filter((a) => a.childKey === 'c.child1' && a.kind === 'proceedings-completion')
        .map((a) => a.level),
    ).toEqual(['drift']);
  });
});

describe('council year: siblings who differ', () => {
  const expectations = new Expectations();

  it("runs a sibling's 26 weeks from the day they joined, and owes a review only in the series of each child's own status", () => {
    const world: World = {
      seed: 0,
      teams: [{ id: 'north-1', managerId: 'tm.north-1', workerIds: ['sw.1'] }],
      cases: [
        {
          key: 'c',
          reference: 'SIM-0001',
          openedOn: '2026-09-01',
          children: [
            { key: 'c.child1', dateOfBirth: '2015-01-01' },
            { key: 'c.child2', dateOfBirth: '2017-01-01' },
          ],
          team: 'north-1',
          worker: 'sw.1',
        },
      ],
      facts: (
        [
          { type: 'open', date: '2026-09-01', status: 'child-in-need' },
          {
            type: 'review-scheduled',
            date: '2026-09-01',
            reviewKey: 'cin',
            kind: 'cin-review',
            anchor: '2026-09-01',
            auto: false,
            children: ['c.child1', 'c.child2'],
          },
          { type: 'status', date: '2026-10-05', status: 'child-protection-plan', children: ['c.child2'] },
          {
            type: 'review-scheduled',
            date: '2026-10-05',
            reviewKey: 'icpc',
            kind: 'icpc',
            anchor: '2026-10-05',
            auto: false,
            children: ['c.child2'],
          },
          { type: 'proceedings-issued', date: '2026-11-02', proceedingsKey: 'p', children: ['c.child2'] },
          { type: 'child-joined-proceedings', date: '2026-12-07', proceedingsKey: 'p', child: 'c.child1' },
        ] as Partial<Fact>[]
      ).map((f, i) => ({ id: `f${i}`, caseKey: 'c', enteredOn: f.date, chained: true, ...f }) as Fact),
    };
    const keys = expectations
      .of(world, '2027-03-31')
      .filter((a) => a.kind !== 'visit')
      .map(alertKey)
      .sort();
    // child1 is still a child in need: CIN review 12 weeks from 1 Sep = 24 Nov, overdue; their 26 weeks from 7 Dec end 6 Jun 2027 (no alert yet).
    // child2's CIN series ended with the plan: the ICPC, 15 WD from Mon 5 Oct = Mon 26 Oct, is overdue; their 26 weeks from 2 Nov end 2 May 2027:
    // 6 weeks before is 21 Mar (warning); no final hearing listed by week 20 (22 Mar) is projected drift.
    expect(keys).toEqual([
      'c.child1|cin-review|2026-11-24|drift',
      'c.child2|icpc|2026-10-26|drift',
      'c.child2|proceedings-completion|2027-05-02|projected-drift',
      'c.child2|proceedings-completion|2027-05-02|warning-6-weeks',
    ]);
  });

  it('lets siblings differ only in a per-child world', () => {
    const statusReach = (w: World) =>
      w.facts
        .filter((f): f is Extract<Fact, { type: 'status' }> => f.type === 'status')
        .map((f) => f.children.length < w.cases.find((c) => c.key === f.caseKey)!.children.length);
    const joins = (w: World) => w.facts.filter((f) => f.type === 'child-joined-proceedings').length;
    const v1 = generateWorld({ seed: 11, children: 400 });
    const perChild = generateWorld({ seed: 11, children: 400, perChild: true });
    expect(statusReach(v1).some(Boolean)).toBe(false);
    expect(joins(v1)).toBe(0);
    expect(statusReach(perChild).some(Boolean)).toBe(true);
    expect(joins(perChild)).toBeGreaterThan(0);
  });
});

describe('council year: the world and the scoring', () => {
  it('is the same world for the same seed, and a different one for another', () => {
    const a = generateWorld({ seed: 7, children: 120 });
    expect(generateWorld({ seed: 7, children: 120 })).toEqual(a);
    expect(generateWorld({ seed: 8, children: 120 })).not.toEqual(a);
    expect(a.cases.reduce((n, c) => n + c.children.length, 0)).toBe(120);
    expect(a.cases.every((c) => c.children.length >= 1 && c.children.length <= 4)).toBe(true);
  });

  it('scores precision and recall per level class', () => {
    const expected = [
      { caseKey: 'c', childKey: 'a', kind: 'visit', dueDate: '2027-01-01', level: 'drift', viewers: ['tm'], why: '' },
      { caseKey: 'c', childKey: 'b', kind: 'visit', dueDate: '2027-01-01', level: 'drift', viewers: ['tm'], why: '' },
    ];
    const [drift, warning] = score('tm', expected, [
      { childKey: 'a', kind: 'visit', dueDate: '2027-01-01', level: 'drift' },
      { childKey: 'z', kind: 'visit', dueDate: '2027-01-01', level: 'drift' },
    ]);
    expect([drift.precision, drift.recall]).toEqual([0.5, 0.5]);
    expect([warning.precision, warning.recall]).toEqual([1, 1]);
  });
});
