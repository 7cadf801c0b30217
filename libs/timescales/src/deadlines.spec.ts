import { checkExtension, cmhWindow, computeDeadline, dueInstant, nextLookedAfterVisit } from './deadlines';
import { DEFAULT_RULES, type StandardRuleId } from './default-rules';
import { type LocalDate, parseLocalDate } from './local-date';
import { overdueAt } from './london-time';
import { RulePack } from './rule-pack';
import { CalendarCoverageError } from './working-day-calendar';

const d = (text: string): LocalDate => parseLocalDate(text);
const pack = RulePack.standard();

// Every date below was worked by hand from a calendar and the bank-holiday table; the comment says how.
const RULE_CASES: readonly [StandardRuleId, anchor: string, due: string, working: string][] = [
  ['proceedings-26-week-limit', '2025-01-06', '2025-07-06', 'issue + 181 days (domain.md example)'],
  ['proceedings-26-week-limit', '2027-09-01', '2028-02-29', 'issue + 181 days lands on the 2028 leap day'],
  ['proceedings-26-week-limit', '2025-12-31', '2026-06-30', 'across a year end'],
  ['proceedings-26-week-hmcts-date', '2025-01-06', '2025-07-07', 'submitted + 26 weeks, a day after the statutory last day'],
  ['proceedings-26-week-hmcts-date', '2027-09-01', '2028-03-01', 'the day after the 2028 leap day'],
  ['proceedings-extension-limit', '2025-07-06', '2025-08-31', 'base + 56 days'],
  ['proceedings-extension-limit', '2028-01-10', '2028-03-06', 'base + 56 days across 29 Feb 2028'],
  ['pd12a-gatekeeping', '2025-01-06', '2025-01-07', 'Day 2 = issue + 1'],
  ['pd12a-gatekeeping', '2024-12-31', '2025-01-01', 'calendar days: Day 2 can be a bank holiday'],
  ['pd12a-cmh-earliest', '2025-01-06', '2025-01-17', 'Day 12 = issue + 11'],
  ['pd12a-cmh-earliest', '2024-02-20', '2024-03-02', 'issue + 11 across 29 Feb 2024'],
  ['pd12a-cmh-latest', '2025-01-06', '2025-01-23', 'Day 18 = issue + 17'],
  ['pd12a-cmh-latest', '2024-02-20', '2024-03-08', 'issue + 17 across 29 Feb 2024'],
  ['pd12a-further-cmh-latest', '2025-01-06', '2025-01-30', 'Day 25 = issue + 24'],
  ['pd12a-further-cmh-latest', '2025-12-15', '2026-01-08', 'issue + 24 across a year end'],
  ['cmh-advocates-meeting', '2025-01-08', '2025-01-06', 'Wed CMH: Tue, Mon'],
  ['cmh-advocates-meeting', '2025-04-22', '2025-04-16', 'CMH after Easter: Thu 17, Wed 16'],
  ['cmh-advocates-meeting', '2025-01-06', '2025-01-02', 'Mon CMH: Fri 3, Thu 2'],
  ['hearing-bundle', '2020-12-29', '2020-12-23', 'Boxing Day substitute Mon 28, Christmas Fri 25: Thu 24, Wed 23'],
  ['hearing-bundle', '2022-06-07', '2022-06-01', 'Jubilee Thu 2 and Fri 3 Jun: Mon 6, Wed 1'],
  ['hearing-case-summary', '2022-09-20', '2022-09-16', 'State Funeral Mon 19 Sep: Fri 16'],
  ['hearing-case-summary', '2023-01-03', '2022-12-30', 'New Year substitute Mon 2 Jan: Fri 30 Dec'],
  ['irh-advocates-meeting', '2025-04-24', '2025-04-11', 'Wed 23, Tue 22, Thu 17, Wed 16, Tue 15, Mon 14, Fri 11'],
  ['irh-advocates-meeting', '2026-01-05', '2025-12-22', 'Fri 2, Wed 31, Tue 30, Mon 29, Wed 24, Tue 23, Mon 22'],
  ['draft-order-after-hearing', '2025-01-06', '2025-01-11', 'hearing + 5 calendar days'],
  ['draft-order-after-hearing', '2024-02-26', '2024-03-02', 'across 29 Feb 2024'],
  ['pre-proceedings-limit', '2025-01-06', '2025-04-28', 'start + 112 days'],
  ['pre-proceedings-limit', '2023-11-20', '2024-03-11', 'start + 112 days across a year end and 29 Feb'],
  ['pre-proceedings-review', '2025-01-06', '2025-02-17', 'meeting + 42 days'],
  ['pre-proceedings-review', '2025-12-01', '2026-01-12', 'across a year end'],
  ['referral-decision', '2025-04-17', '2025-04-22', 'Thu before Easter → Tue after'],
  ['referral-decision', '2020-05-07', '2020-05-11', 'VE Day Fri 8 May 2020 skipped'],
  ['referral-decision', '2025-01-04', '2025-01-06', 'received on a Saturday → Monday'],
  ['referral-next-step', '2022-06-01', '2022-06-07', 'Jubilee: Mon 6, Tue 7'],
  ['assessment-completion', '2025-01-06', '2025-03-10', '4 + 8 × 5 + 1 working days'],
  ['assessment-completion', '2025-11-17', '2026-01-22', 'across Christmas and New Year'],
  ['assessment-local-target', '2025-01-06', '2025-03-10', 'by default the national 45 working days'],
  ['icpc', '2025-04-10', '2025-05-06', 'Easter and Early May holidays skipped'],
  ['first-core-group', '2022-05-27', '2022-06-14', 'Jubilee holidays skipped'],
  ['core-group-interval', '2025-01-31', '2025-02-28', 'month-end clamp'],
  ['core-group-interval', '2024-01-31', '2024-02-29', 'month-end clamp in a leap year'],
  ['first-review-conference', '2025-01-06', '2025-04-06', 'ICPC + 3 months'],
  ['first-review-conference', '2025-11-30', '2026-02-28', 'clamped across a year end'],
  ['first-review-conference', '2027-11-29', '2028-02-29', 'lands on the 2028 leap day'],
  ['later-review-conference', '2024-08-31', '2025-02-28', 'clamped'],
  ['later-review-conference', '2023-08-29', '2024-02-29', 'lands on the 2024 leap day'],
  ['lac-review-first', '2025-01-06', '2025-02-03', '4 working weeks'],
  ['lac-review-first', '2025-12-08', '2026-01-08', 'Christmas, Boxing Day and New Year skipped'],
  ['lac-review-second', '2025-05-31', '2025-08-31', 'first review + 3 months'],
  ['lac-review-second', '2024-11-30', '2025-02-28', 'clamped'],
  ['lac-review-later', '2025-08-31', '2026-02-28', 'clamped'],
  ['lac-review-later', '2027-08-31', '2028-02-29', 'clamped to the 2028 leap day'],
  ['lac-visit-placement-start', '2025-12-29', '2026-01-05', 'placement + 7 days across a year end'],
  ['lac-visit-first-year', '2024-02-15', '2024-03-28', 'visit + 42 days across 29 Feb'],
  ['lac-visit-long-term', '2025-11-30', '2026-02-28', 'visit + 3 months, clamped'],
  ['lac-visit-other', '2025-12-01', '2026-01-12', 'visit + 42 days'],
  ['cp-visit', '2025-12-19', '2026-01-07', 'Christmas, Boxing Day and New Year skipped'],
  ['cp-visit', '2026-03-27', '2026-04-14', 'DST week (29 Mar) then Good Friday and Easter Monday skipped'],
  ['cin-visit', '2026-03-20', '2026-05-01', 'visit + 42 days across the spring clock change'],
  ['cin-visit', '2026-09-14', '2026-10-26', 'visit + 42 days, due the day after the autumn clock change'],
  ['supervision-cp', '2025-12-10', '2026-01-07', 'supervision + 28 days across Christmas (calendar weeks: holidays count)'],
  ['supervision-cin', '2026-03-20', '2026-05-01', 'supervision + 42 days across the spring clock change'],
  ['cin-review', '2025-10-20', '2026-01-12', 'review + 84 days'],
  ['proceedings-warning-week-20', '2025-01-06', '2025-05-26', 'issue + 140 days'],
  ['proceedings-warning-week-24', '2025-01-06', '2025-06-23', 'issue + 168 days'],
  ['visit-due-warning', '2025-12-30', '2025-12-24', 'Mon 29, then Christmas and the weekend skipped: Wed 24'],
  ['visit-due-warning', '2025-01-06', '2025-01-02', 'Fri 3, Thu 2'],
];

describe('every rule of the standard pack, with hand-worked dates', () => {
  it.each(RULE_CASES)('%s from %s → %s (%s)', (ruleId, anchor, due) => {
    expect(computeDeadline(ruleId, d(anchor), pack).dueDate).toBe(due);
  });

  it('has at least one hand-worked case for each default rule', () => {
    const covered = new Set(RULE_CASES.map(([ruleId]) => ruleId));
    expect(DEFAULT_RULES.map((rule) => rule.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('the deadline record', () => {
  it('explains the 26-week limit the way domain.md states it', () => {
    expect(computeDeadline('proceedings-26-week-limit', d('2025-01-06'), pack)).toEqual({
      ruleId: 'proceedings-26-week-limit',
      title: 'Proceedings: 26-week statutory limit (last day)',
      anchorDate: '2025-01-06',
      dueDate: '2025-07-06',
      explanation: '26 weeks beginning with issue on Mon 6 Jan 2025 → last day Sun 6 Jul 2025 (Children Act 1989 s.32(1)(a)(ii))',
      source: 'Children Act 1989 s.32(1)(a)(ii)',
      kind: 'statutory',
      marks: 'deadline',
      verify: false,
      authority: 'statute',
    });
  });

  it('shows drift from issue + 182 days: overdue from the start of that day in London', () => {
    const deadline = computeDeadline('proceedings-26-week-limit', d('2025-01-06'), pack);
    expect(overdueAt(deadline.dueDate).toISOString()).toBe('2025-07-06T23:00:00.000Z');
  });

  it('stores the HMCTS display date beside the statutory one', () => {
    const hmcts = computeDeadline('proceedings-26-week-hmcts-date', d('2025-01-06'), pack);
    expect(hmcts.explanation).toBe(
      '26 weeks after issue on Mon 6 Jan 2025 → last day Mon 7 Jul 2025 (HMCTS Family Public Law service (case completion date = date submitted + 26 weeks))',
    );
  });

  it('explains working-day, Day-N, earliest and warning rules in their own terms', () => {
    expect(computeDeadline('hearing-bundle', d('2020-12-29'), pack).explanation).toBe(
      '2 working days before the hearing on Tue 29 Dec 2020 → last day Wed 23 Dec 2020 by 16:00 (HMCTS standard directions (fpl-ccd-configuration ordersConfig.json, LODGE_BUNDLE))',
    );
    expect(computeDeadline('pd12a-gatekeeping', d('2025-01-06'), pack).explanation).toBe(
      'day 2 counting issue on Mon 6 Jan 2025 as day 1 → last day Tue 7 Jan 2025 (FPR PD12A Public Law Outline, Stage 1)',
    );
    const earliest = computeDeadline('pd12a-cmh-earliest', d('2025-01-06'), pack);
    expect(earliest.explanation).toBe(
      'day 12 counting issue on Mon 6 Jan 2025 as day 1 → not before Fri 17 Jan 2025 (FPR PD12A Public Law Outline, Stage 2)',
    );
    expect(earliest.marks).toBe('earliest');
    expect(earliest.verify).toBe(true);
    const warning = computeDeadline('visit-due-warning', d('2025-12-30'), pack);
    expect(warning.explanation).toBe(
      '2 working days before the visit due date on Tue 30 Dec 2025 → warn on Wed 24 Dec 2025 (Local alerting policy (default lead time))',
    );
    expect(warning).toMatchObject({ kind: 'local', marks: 'warning' });
    expect(computeDeadline('referral-decision', d('2025-01-06'), pack).explanation).toMatch(/^1 working day after receipt/);
  });

  it('explains FPR clear days', () => {
    const pack = RulePack.fromRules([
      {
        id: 'position-statement',
        title: 'Position statement',
        anchor: 'hearingDate',
        offset: 3,
        unit: 'calendar-days',
        direction: 'before',
        counting: 'clear-days',
        kind: 'statutory',
        source: 'Court order',
        authority: 'guidance',
      },
      {
        id: 'response',
        title: 'Response',
        anchor: 'hearingDate',
        offset: 14,
        unit: 'calendar-days',
        direction: 'after',
        counting: 'clear-days',
        kind: 'statutory',
        source: 'Court order',
        authority: 'guidance',
      },
    ]);
    expect(computeDeadline('position-statement', d('2025-04-22'), pack).explanation).toBe(
      '3 clear days before the hearing on Tue 22 Apr 2025 (neither the day of the hearing nor the day of the act counted, nor non-business days; FPR r.2.9) → last day Mon 14 Apr 2025 (Court order)',
    );
    expect(computeDeadline('response', d('2025-04-11'), pack).explanation).toBe(
      '14 clear days after the hearing on Fri 11 Apr 2025 (the day of the hearing not counted; FPR r.2.9) → last day Fri 25 Apr 2025 (Court order)',
    );
  });

  it('needs the bank-holiday table only for rules that count working days', () => {
    expect(computeDeadline('proceedings-26-week-limit', d('2031-01-06'), pack)).toMatchObject({
      dueDate: '2031-07-06',
      explanation: expect.stringMatching(/^26 weeks beginning with issue on Mon 6 Jan 2031 → last day Sun 6 Jul 2031/),
    });
    expect(() => computeDeadline('cp-visit', d('2030-12-24'), pack)).toThrow(CalendarCoverageError);
    expect(() => computeDeadline('cp-visit', d('2030-12-24'), pack)).toThrow(/10 working day\(s\) after 2030-12-24 falls outside/);
  });
});

describe('directions due at a time of day (FPL ordersConfig.json: working days before, then a time)', () => {
  const dueAt = (ruleId: StandardRuleId, hearing: string) => computeDeadline(ruleId, d(hearing), pack).dueAt;

  it('the bundle is due by 16:00 two working days before, the case summary by 12:00 the working day before', () => {
    // Hearing Wed 14 Jan 2026 (GMT): bundle Mon 12 Jan 16:00, case summary Tue 13 Jan 12:00.
    expect(dueAt('hearing-bundle', '2026-01-14')).toBe('2026-01-12T16:00:00+00:00');
    expect(dueAt('hearing-case-summary', '2026-01-14')).toBe('2026-01-13T12:00:00+00:00');
  });

  it('is overdue from that instant, not from the end of the day', () => {
    const bundle = computeDeadline('hearing-bundle', d('2026-01-14'), pack);
    expect(new Date(bundle.dueAt!).toISOString()).toBe('2026-01-12T16:00:00.000Z');
    expect(overdueAt(bundle.dueDate).toISOString()).toBe('2026-01-13T00:00:00.000Z');
  });

  it('keeps 16:00 London time across the spring change (last Sunday of March: Sun 29 Mar 2026)', () => {
    // Hearing Tue 31 Mar 2026: 2 WD back is Fri 27 Mar, still GMT; the case summary Mon 30 Mar is BST.
    expect(dueAt('hearing-bundle', '2026-03-31')).toBe('2026-03-27T16:00:00+00:00');
    expect(dueAt('hearing-case-summary', '2026-03-31')).toBe('2026-03-30T12:00:00+01:00');
    expect(new Date(dueAt('hearing-case-summary', '2026-03-31')!).toISOString()).toBe('2026-03-30T11:00:00.000Z');
  });

  it('keeps 16:00 London time across the autumn change (last Sunday of October: Sun 25 Oct 2026)', () => {
    // Hearing Tue 27 Oct 2026: bundle Fri 23 Oct (BST), case summary Mon 26 Oct (GMT again).
    expect(dueAt('hearing-bundle', '2026-10-27')).toBe('2026-10-23T16:00:00+01:00');
    expect(new Date(dueAt('hearing-bundle', '2026-10-27')!).toISOString()).toBe('2026-10-23T15:00:00.000Z');
    expect(dueAt('hearing-case-summary', '2026-10-27')).toBe('2026-10-26T12:00:00+00:00');
  });

  it('counts back over bank holidays: Easter 2026 (Good Friday 3 Apr, Easter Monday 6 Apr) and Christmas 2026', () => {
    // Hearing Tue 7 Apr 2026: the working days before are Thu 2 Apr, Wed 1 Apr.
    expect(dueAt('hearing-case-summary', '2026-04-07')).toBe('2026-04-02T12:00:00+01:00');
    expect(dueAt('hearing-bundle', '2026-04-07')).toBe('2026-04-01T16:00:00+01:00');
    // FPL's own check: from Good Friday 2020, −2 working days is Wed 8 Apr 2020.
    expect(dueAt('hearing-bundle', '2020-04-10')).toBe('2020-04-08T16:00:00+01:00');
    // Hearing Tue 29 Dec 2026 (25 and 28 Dec are holidays): Thu 24 Dec, Wed 23 Dec.
    expect(dueAt('hearing-case-summary', '2026-12-29')).toBe('2026-12-24T12:00:00+00:00');
    expect(dueAt('hearing-bundle', '2026-12-29')).toBe('2026-12-23T16:00:00+00:00');
  });

  it('says the time in the explanation; rules without one have no dueAt', () => {
    expect(computeDeadline('hearing-case-summary', d('2026-01-14'), pack).explanation).toContain('last day Tue 13 Jan 2026 by 12:00');
    expect(computeDeadline('cmh-advocates-meeting', d('2026-01-14'), pack)).not.toHaveProperty('dueAt');
  });

  it('gives the same instant for a due date already computed, so a stored date is read back with its time', () => {
    // A bundle stored as due Mon 30 Mar 2026 (BST) is due at 16:00 that day; a rule without a time is due by the end of the day.
    expect(dueInstant(pack.rule('hearing-bundle'), d('2026-03-30'))).toBe('2026-03-30T16:00:00+01:00');
    expect(dueInstant(pack.rule('hearing-bundle'), d('2026-01-12'))).toBe(computeDeadline('hearing-bundle', d('2026-01-14'), pack).dueAt);
    expect(dueInstant(pack.rule('cmh-advocates-meeting'), d('2026-01-12'))).toBeUndefined();
  });
});

describe('authority: statute, guidance or local', () => {
  it('keeps guidance apart from statute: the 16-week pre-proceedings period and the 5-day draft order are guidance', () => {
    const authority = (ruleId: StandardRuleId) => computeDeadline(ruleId, d('2025-01-06'), pack).authority;
    expect(authority('pre-proceedings-limit')).toBe('guidance');
    expect(authority('draft-order-after-hearing')).toBe('guidance');
    expect(authority('referral-decision')).toBe('guidance');
    expect(authority('proceedings-26-week-limit')).toBe('statute');
    expect(authority('lac-review-first')).toBe('statute');
    expect(authority('cp-visit')).toBe('local');
  });
});

describe('cmhWindow', () => {
  it('gives the earliest and latest CMH dates', () => {
    const window = cmhWindow(d('2025-01-06'), pack);
    expect(window.earliest.dueDate).toBe('2025-01-17');
    expect(window.latest.dueDate).toBe('2025-01-23');
  });
});

describe('checkExtension (s.32(8))', () => {
  const currentEndDate = d('2025-07-06');

  it('allows up to 8 weeks after the current end when granted before it ends', () => {
    const check = checkExtension({ currentEndDate, grantDate: d('2025-06-30') }, pack);
    expect(check.latestAllowedEndDate).toBe('2025-08-31');
    expect(check.allowed).toBe(true);
    expect(check.limit.verify).toBe(true);
  });

  it('counts from the grant date when it is later than the current end', () => {
    expect(checkExtension({ currentEndDate, grantDate: d('2025-07-20') }, pack).latestAllowedEndDate).toBe('2025-09-14');
  });

  it('allows any requested end up to and including the latest', () => {
    expect(checkExtension({ currentEndDate, grantDate: d('2025-06-30'), requestedEndDate: d('2025-08-31') }, pack).allowed).toBe(true);
    expect(checkExtension({ currentEndDate, grantDate: d('2025-06-30'), requestedEndDate: d('2025-07-07') }, pack).allowed).toBe(true);
  });

  it('refuses a later end, stating the latest allowed date', () => {
    const check = checkExtension({ currentEndDate, grantDate: d('2025-06-30'), requestedEndDate: d('2025-09-05') }, pack);
    expect(check.allowed).toBe(false);
    expect(check.message).toBe(
      'Requested end date Fri 5 Sep 2025 is too late: the latest allowed end date is Sun 31 Aug 2025. ' +
        'Limit: 8 weeks after the later of the current end date and the grant date on Sun 6 Jul 2025 → last day Sun 31 Aug 2025 (Children Act 1989 s.32(8))',
    );
  });

  it('refuses an end that extends nothing or ends before the grant', () => {
    const sameEnd = checkExtension({ currentEndDate, grantDate: d('2025-06-30'), requestedEndDate: currentEndDate }, pack);
    expect(sameEnd.allowed).toBe(false);
    expect(sameEnd.message).toMatch(
      /is not after the current end date Sun 6 Jul 2025, so it extends nothing; the latest allowed end date is Sun 31 Aug 2025/,
    );
    const beforeGrant = checkExtension({ currentEndDate, grantDate: d('2025-07-20'), requestedEndDate: d('2025-07-10') }, pack);
    expect(beforeGrant.allowed).toBe(false);
    expect(beforeGrant.message).toMatch(
      /is before the extension is granted on Sun 20 Jul 2025; the latest allowed end date is Sun 14 Sep 2025/,
    );
  });

  it('follows a national correction of the 8-week figure', () => {
    const corrected = pack.withNationalCorrections({ 'proceedings-extension-limit': { offset: 6 } });
    expect(checkExtension({ currentEndDate, grantDate: d('2025-06-30') }, corrected).latestAllowedEndDate).toBe('2025-08-17');
  });
});

describe('nextLookedAfterVisit (reg 28(2))', () => {
  const placementStart = d('2024-02-29');

  it.each([
    ['no visit yet', undefined, true, 'lac-visit-placement-start', '2024-03-07'],
    ['last visit was in an earlier placement', '2024-02-01', false, 'lac-visit-placement-start', '2024-03-07'],
    ['last visit in the first year', '2024-04-01', true, 'lac-visit-first-year', '2024-05-13'],
    ['last visit the day before the first anniversary (28 Feb 2025)', '2025-02-27', true, 'lac-visit-first-year', '2025-04-10'],
    ['after the first year, placement meant to last until 18', '2025-02-28', true, 'lac-visit-long-term', '2025-05-28'],
    ['after the first year, other placements', '2025-02-28', false, 'lac-visit-other', '2025-04-11'],
  ])('%s', (_situation, lastVisitDate, intendedToLastUntil18, ruleId, due) => {
    const deadline = nextLookedAfterVisit(
      { placementStart, lastVisitDate: lastVisitDate === undefined ? undefined : d(lastVisitDate), intendedToLastUntil18 },
      pack,
    );
    expect(deadline.ruleId).toBe(ruleId);
    expect(deadline.dueDate).toBe(due);
  });
});
