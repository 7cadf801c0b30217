import { parseLocalDate } from '@plo/timescales';
import {
  bannerFor,
  childRow,
  type ChildInput,
  type HearingInput,
  legalPage,
  lengthOf,
  nextHearing,
  type ObligationInput,
  outstandingDirections,
  type ProceedingsInput,
} from './legal-view';

const d = parseLocalDate;

/** A child issued Mon 6 Jan 2025: their 26 weeks end Sun 6 Jul 2025 (as PLO reports it). */
const child = (overrides: Partial<ChildInput> = {}): ChildInput => ({
  childId: 'child-a',
  issuedOn: '2025-01-06',
  completionDate: '2025-07-06',
  originalCompletionDate: '2025-07-06',
  status: 'open',
  concludedOn: null,
  extensions: [],
  ...overrides,
});

const proceedings = (overrides: Partial<ProceedingsInput> = {}): ProceedingsInput => ({
  id: 'p1',
  caseId: 'case-1',
  court: 'Test Family Court',
  courtCaseNumber: 'TC1',
  stage: 'case-management-hearing',
  children: [child()],
  hearings: [],
  obligations: [],
  projectedDrift: [],
  ...overrides,
});

const extendedEightWeeks = child({
  completionDate: '2025-08-31',
  extensions: [{ grantedOn: '2025-07-01', previousEndDate: '2025-07-06', newEndDate: '2025-08-31' }],
});

describe("a child's clock", () => {
  const row = (c: ChildInput, today: string) => childRow(proceedings(), c, 'Ana Sibling', d(today));

  it('counts whole weeks from the issue day, which is day 1', () => {
    expect(row(child(), '2025-01-06')).toMatchObject({ weeksElapsed: 0, daysLeft: 181, tags: [] });
    expect(row(child(), '2025-03-10')).toMatchObject({ weeksElapsed: 9, daysLeft: 118, limitNote: '118 days left' });
  });

  it('is within 26 weeks on the last day, and past them the day after', () => {
    expect(row(child(), '2025-07-06')).toMatchObject({ weeksElapsed: 25, limitNote: 'ends today', tags: [], pastTwentySixWeeks: false });
    expect(row(child(), '2025-07-07')).toMatchObject({
      weeksElapsed: 26,
      limitNote: '1 day past',
      pastTwentySixWeeks: true,
      tags: [{ text: 'Past 26 weeks', classes: 'govuk-tag--red' }],
    });
  });

  it('shows each extension and runs to the extended limit PLO reports', () => {
    const during = row(extendedEightWeeks, '2025-07-20');
    expect(during).toMatchObject({
      weeksElapsed: 27,
      limitDate: '2025-08-31',
      daysLeft: 42,
      pastTwentySixWeeks: true,
      extensions: [{ length: '8 weeks', grantedOn: '2025-07-01', previousEndDate: '2025-07-06', newEndDate: '2025-08-31' }],
      tags: [{ text: 'Past 26 weeks, extended', classes: 'govuk-tag--orange' }],
    });
    expect(row(extendedEightWeeks, '2025-09-01').tags).toEqual([{ text: 'Past extended limit', classes: 'govuk-tag--red' }]);
  });

  it("stops when the child's proceedings end", () => {
    const ended = row(child({ status: 'concluded', concludedOn: '2025-05-01' }), '2025-09-01');
    expect(ended).toMatchObject({ weeksElapsed: 16, daysLeft: null, limitNote: 'proceedings ended', pastTwentySixWeeks: false });
    expect(ended.tags).toEqual([{ text: 'Concluded', classes: 'govuk-tag--grey' }]);
  });

  it("says why PLO projects the child's drift", () => {
    const late = proceedings({
      projectedDrift: [{ childId: 'child-a', reason: 'final-hearing-after-completion', finalHearingDate: '2025-07-21' }],
    });
    const projected = childRow(late, child(), 'Ana Sibling', d('2025-03-10'));
    expect(projected.drift).toBe('The final hearing on 21 Jul 2025 is after the limit');
    expect(projected.tags).toEqual([{ text: 'Projected drift', classes: 'govuk-tag--purple' }]);
    const unlisted = proceedings({ projectedDrift: [{ childId: 'child-a', reason: 'no-final-hearing-listed', finalHearingDate: null }] });
    expect(childRow(unlisted, child(), 'Ana Sibling', d('2025-06-01')).drift).toBe('No final hearing is listed');
  });
});

describe('lengths of extensions', () => {
  it.each([
    [56, '8 weeks'],
    [7, '1 week'],
    [38, '5 weeks and 3 days'],
    [1, '1 day'],
    [4, '4 days'],
  ])('%i days is %s', (span, words) => expect(lengthOf(span)).toBe(words));
});

describe('the next hearing', () => {
  const hearing = (overrides: Partial<HearingInput>): HearingInput => ({
    id: 'h',
    hearingType: 'case-management',
    startsAt: '2025-03-20T10:00:00.000Z',
    hearingDate: '2025-03-20',
    listingStatus: 'fixed',
    status: 'listed',
    venue: 'Court 3',
    ...overrides,
  });

  it('is the first hearing still to take place, today included, passing over vacated and held ones', () => {
    const next = nextHearing(
      [
        hearing({ hearingType: 'final', startsAt: '2025-06-02T10:00:00.000Z', hearingDate: '2025-06-02' }),
        hearing({ status: 'vacated', startsAt: '2025-03-12T10:00:00.000Z', hearingDate: '2025-03-12' }),
        hearing({ status: 'held', startsAt: '2025-03-01T10:00:00.000Z', hearingDate: '2025-03-01' }),
        hearing({ hearingType: 'issue-resolution', startsAt: '2025-03-10T14:00:00.000Z', hearingDate: '2025-03-10' }),
      ],
      d('2025-03-10'),
    );
    expect(next).toEqual({
      type: 'Issues resolution hearing',
      startsAt: '2025-03-10T14:00:00.000Z',
      venue: 'Court 3',
      listing: 'fixed',
      state: { text: 'Listed', classes: 'govuk-tag--green' },
    });
  });

  it('says a hearing moved, or was vacated when nothing else is listed', () => {
    expect(nextHearing([hearing({ status: 'vacated-and-relisted' })], d('2025-03-10'))?.state.text).toBe('Moved (vacated and re-listed)');
    expect(nextHearing([hearing({ status: 'listed', movedFrom: '2025-03-11' })], d('2025-03-10'))?.state).toEqual({
      text: 'Moved from 11 Mar 2025',
      classes: 'govuk-tag--yellow',
    });
    expect(nextHearing([hearing({ status: 'vacated' })], d('2025-03-10'))?.state).toEqual({ text: 'Vacated', classes: 'govuk-tag--red' });
    expect(nextHearing([hearing({ status: 'held' })], d('2025-03-10'))).toBeNull();
    expect(nextHearing([hearing({})], d('2025-03-21'))).toBeNull();
  });
});

describe('outstanding directions', () => {
  const obligation = (overrides: Partial<ObligationInput>): ObligationInput => ({
    id: 'o',
    kind: 'hearing-bundle',
    title: 'Court bundle before a hearing',
    hearingId: 'cmh',
    dueDate: '2025-03-18',
    dueAt: '2025-03-18T16:00:00+00:00',
    status: 'open',
    ...overrides,
  });
  const hearings: HearingInput[] = [
    {
      id: 'cmh',
      hearingType: 'case-management',
      startsAt: '2025-03-20T10:00:00.000Z',
      hearingDate: '2025-03-20',
      listingStatus: 'fixed',
      status: 'listed',
      venue: null,
    },
  ];
  const all = [
    obligation({
      kind: 'hearing-case-summary',
      title: 'Case summary before a hearing',
      dueDate: '2025-03-19',
      dueAt: '2025-03-19T12:00:00+00:00',
    }),
    obligation({ kind: 'cmh-advocates-meeting', title: "Advocates' meeting before the CMH", dueAt: null }),
    obligation({}),
    obligation({ kind: 'proceedings-completion', title: 'Completion', hearingId: null, dueDate: '2025-03-01', dueAt: null }),
    obligation({ kind: 'gatekeeping', title: 'Gatekeeping', hearingId: null, dueDate: '2025-01-07', dueAt: null, status: 'satisfied' }),
    obligation({ kind: 'case-management-hearing', title: 'CMH, latest', hearingId: null, dueDate: '2025-03-27', dueAt: null }),
  ];

  it("are the open ones other than a child's completion, by the instant they fall due, each with the hearing it comes before", () => {
    // The bundle is due at 16:00; the advocates' meeting by the end of the same day.
    const cmh = 'Case management hearing on 20 Mar 2025';
    expect(outstandingDirections(all, hearings, new Date('2025-03-18T16:30:00Z'))).toEqual([
      { title: 'Court bundle before a hearing', hearing: cmh, dueDate: '2025-03-18', dueAt: '2025-03-18T16:00:00+00:00', overdue: true },
      { title: "Advocates' meeting before the CMH", hearing: cmh, dueDate: '2025-03-18', dueAt: null, overdue: false },
      { title: 'Case summary before a hearing', hearing: cmh, dueDate: '2025-03-19', dueAt: '2025-03-19T12:00:00+00:00', overdue: false },
      { title: 'CMH, latest', hearing: null, dueDate: '2025-03-27', dueAt: null, overdue: false },
    ]);
  });

  it('are overdue from their time of day, or from the end of their day in London', () => {
    const overdue = (now: string) => outstandingDirections(all, hearings, new Date(now)).map((direction) => direction.overdue);
    expect(overdue('2025-03-18T15:59:00Z')).toEqual([false, false, false, false]);
    expect(overdue('2025-03-19T00:00:00Z')).toEqual([true, true, false, false]);
  });
});

describe('the page', () => {
  const today = d('2025-07-20');
  const now = new Date('2025-07-20T09:00:00Z');
  const early = proceedings({
    id: 'p-early',
    caseId: 'case-early',
    courtCaseNumber: 'TC-EARLY',
    children: [child({ childId: 'ben' }), child({ childId: 'cat', status: 'concluded', concludedOn: '2025-06-01' })],
  });
  const late = proceedings({
    id: 'p-late',
    caseId: 'case-late',
    courtCaseNumber: 'TC-LATE',
    children: [
      child({ childId: 'dan', issuedOn: '2025-03-03', completionDate: '2025-08-31', originalCompletionDate: '2025-08-31' }),
      { ...extendedEightWeeks, childId: 'eve' },
    ],
    projectedDrift: [{ childId: 'dan', reason: 'no-final-hearing-listed', finalHearingDate: null }],
  });
  const page = legalPage(
    [late, early],
    new Map([
      ['ben', 'Ben Sibling'],
      ['dan', 'Dan Other'],
    ]),
    now,
    today,
  );

  it('lists children furthest past or nearest their limit first (a projected drift first among equals), and ended ones last', () => {
    expect(page.children.map((row) => [row.childName, row.courtCaseNumber, row.limitNote])).toEqual([
      ['Ben Sibling', 'TC-EARLY', '14 days past'],
      ['Dan Other', 'TC-LATE', '42 days left'],
      ['Child 2', 'TC-LATE', '42 days left'],
      ['Child 2', 'TC-EARLY', 'proceedings ended'],
    ]);
  });

  it('puts each set of proceedings in the order of its most urgent child, and counts what needs attention', () => {
    expect(page.proceedings.map((p) => p.courtCaseNumber)).toEqual(['TC-EARLY', 'TC-LATE']);
    expect([page.pastTwentySixWeeks, page.projectedToDrift]).toEqual([2, 1]);
  });
});

describe('the banner after a form', () => {
  it('says what a retry or a dismissal did', () => {
    expect(bannerFor({ done: 'retried', exception: '12', outcome: 'applied', resolved: 'yes' })).toEqual({
      type: 'success',
      text: 'Court update 12 was applied to the proceedings. It has left the queue.',
    });
    expect(bannerFor({ done: 'retried', exception: '12', outcome: 'rejected' })).toEqual({
      type: 'important',
      text: 'Court update 12 still cannot be applied. It stays in the queue with the reason.',
    });
    expect(bannerFor({ done: 'dismissed', exception: '7' })?.text).toBe(
      'Court update 7 was dismissed with your note and has left the queue.',
    );
  });

  it('shows nothing for a query string it did not write', () => {
    expect(bannerFor({})).toBeNull();
    expect(bannerFor({ done: 'retried', exception: '12', outcome: 'exploded' })).toBeNull();
    expect(bannerFor({ done: 'dismissed', exception: '<script>' })).toBeNull();
    expect(bannerFor({ done: 'dismissed', exception: ['1', '2'] })).toBeNull();
  });
});
