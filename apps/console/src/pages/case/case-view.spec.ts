import { allocationRows, CaseReads, chronologyTables, childRows, statusName, timelineModels } from './case-view';

const ANA = '00000000-0000-4000-8000-00000000000a';
const BEN = '00000000-0000-4000-8000-00000000000b';
const status = (status: string, startDate: string, extra: Record<string, unknown> = {}) => ({
  id: `${status}-${startDate}`,
  status,
  basis: null,
  startDate,
  endDate: null,
  source: 'recorded',
  endReason: null,
  ...extra,
});
const child = (id: string, firstName: string, statuses: ReturnType<typeof status>[]) => ({
  id,
  firstName,
  lastName: 'Sibling',
  dateOfBirth: '2019-04-01',
  expectedDateOfBirth: null,
  sex: 'female',
  identifiers: [],
  statuses: statuses.filter((s) => s.endDate === null),
  statusHistory: statuses,
});

const reads = {
  record: {
    caseReference: 'BC-2026-0042',
    openedOn: '2026-01-05',
    closedOn: null,
    children: [
      // Ben is listed second on the case though PLO lists him first.
      child(ANA, 'Ana', [
        status('child-in-need', '2026-01-05', { endDate: '2026-03-01', endReason: 'Came into care' }),
        status('looked-after', '2026-03-02', { basis: 'interim-care-order', source: 'court-order' }),
        status('care-proceedings', '2026-03-02', { source: 'legal-involvement' }),
      ]),
      child(BEN, 'Ben', [status('child-protection-plan', '2026-01-20')]),
    ],
    allocations: [
      { teamId: 'north-1', workerId: 'sw.alex', teamManagerId: 'tm.sam', startDate: '2026-01-05', endDate: '2026-02-01', reason: null },
      { teamId: 'north-1', workerId: 'sw.kai', teamManagerId: 'tm.sam', startDate: '2026-02-01', endDate: null, reason: 'Alex left' },
    ],
    placements: [{ id: 'p1', childId: ANA, startedOn: '2026-03-02', intendedToLastUntil18: false }],
  },
  visits: [
    {
      visitedOn: '2026-03-09',
      visitType: 'placement',
      visitorId: 'sw.kai',
      childSeen: true,
      seenAlone: false,
      childrenSeen: [ANA],
    },
  ],
  reviews: [
    { kind: 'lac-review', status: 'held', heldOn: '2026-03-30', heldLate: false, outcome: 'plan-continues' },
    { kind: 'cp-review', status: 'scheduled', heldOn: null },
  ],
  referrals: [
    { kind: 'referral', receivedOn: '2026-01-02', source: 'school', repeat: true, decidedOn: '2026-01-05', outcome: 'assessment' },
  ],
  plans: [{ kind: 'care', agreedOn: '2026-03-20', childId: ANA }],
  proceedings: [
    {
      children: [
        {
          childId: BEN,
          issuedOn: '2026-03-09',
          completionDate: '2026-09-06',
          originalCompletionDate: '2026-09-06',
          extensions: [],
          concludedOn: null,
          outcome: null,
        },
        {
          childId: ANA,
          issuedOn: '2026-03-02',
          completionDate: '2026-10-25',
          originalCompletionDate: '2026-08-30',
          extensions: [{ grantedOn: '2026-08-20', previousEndDate: '2026-08-30', newEndDate: '2026-10-25', reason: 'timetable-for-child' }],
          concludedOn: null,
          outcome: null,
        },
      ],
      hearings: [{ id: 'h1', hearingType: 'case-management', hearingDate: '2026-03-20', status: 'held' }],
      projectedDrift: [{ childId: BEN, reason: 'no-final-hearing-listed' }],
    },
  ],
  ploChronology: [
    {
      date: '2026-03-02',
      event: 'proceedings-issued',
      detail: 'NT123',
      reason: null,
      childId: null,
      hearingType: null,
      fromDate: null,
      toDate: null,
    },
    {
      date: '2026-03-02',
      event: 'order-made',
      detail: 'interim-care-order',
      childId: ANA,
      hearingType: null,
      fromDate: null,
      toDate: null,
    },
    {
      date: '2026-03-04',
      event: 'hearing-moved',
      hearingId: 'h1',
      hearingType: 'case-management',
      fromDate: '2026-03-16',
      toDate: '2026-03-18',
    },
    // Moved to another time on the same day: no move on a timeline of days.
    {
      date: '2026-03-05',
      event: 'hearing-moved',
      hearingId: 'h1',
      hearingType: 'case-management',
      fromDate: '2026-03-18',
      toDate: '2026-03-18',
    },
    {
      date: '2026-03-06',
      event: 'hearing-moved',
      hearingId: 'h1',
      hearingType: 'case-management',
      fromDate: '2026-03-18',
      toDate: '2026-03-20',
    },
    {
      date: '2026-08-20',
      event: 'extension-granted',
      reason: 'timetable-for-child',
      childId: ANA,
      hearingType: null,
      fromDate: '2026-08-30',
      toDate: '2026-10-25',
    },
  ],
} as unknown as CaseReads;

describe('the case page’s view of a case', () => {
  it('names a status with its legal basis', () => {
    expect(statusName({ status: 'looked-after', basis: 'section-20' })).toBe('Looked after (section 20 accommodation)');
    expect(statusName({ status: 'child-protection-plan', basis: null })).toBe('Child protection plan');
  });

  it('gives each child their statuses now, oldest first, saying which follow the PLO record', () => {
    expect(childRows(reads.record).map((row) => [row.name, row.born, row.statuses])).toEqual([
      [
        'Ana Sibling',
        '1 Apr 2019',
        [
          { name: 'Looked after (interim care order)', since: '2026-03-02', followsPlo: false },
          { name: 'Care proceedings', since: '2026-03-02', followsPlo: true },
        ],
      ],
      ['Ben Sibling', '1 Apr 2019', [{ name: 'Child protection plan', since: '2026-01-20', followsPlo: false }]],
    ]);
  });

  it('lists the allocations newest first, the current one without an end', () => {
    expect(allocationRows(reads.record).map((row) => [row.workerId, row.from, row.to, row.reason])).toEqual([
      ['sw.kai', '2026-02-01', null, 'Alex left'],
      ['sw.alex', '2026-01-05', '2026-02-01', null],
    ]);
  });

  it("builds a timeline per child in the case's order, with each hearing's earlier days and the child's own projection", () => {
    const [ana, ben] = timelineModels(reads, '2026-04-01');
    expect(ana).toMatchObject({
      id: 'timeline-1-1',
      childName: 'Ana Sibling',
      issuedOn: '2026-03-02',
      originalLimit: '2026-08-30',
      limit: '2026-10-25',
      extensions: [{ grantedOn: '2026-08-20', from: '2026-08-30', to: '2026-10-25', reason: 'timetable-for-child' }],
      hearings: [{ id: 'h1', type: 'case-management', date: '2026-03-20', status: 'held', movedFrom: ['2026-03-16', '2026-03-18'] }],
      today: '2026-04-01',
      projectedDrift: null,
    });
    expect(ben).toMatchObject({
      id: 'timeline-1-2',
      childName: 'Ben Sibling',
      limit: '2026-09-06',
      projectedDrift: 'no-final-hearing-listed',
    });
  });

  it("lays out each child's chronology from the cases service, oldest first, with the console's export addresses", () => {
    const entry = (date: string, event: string, source: string, significance: string) => ({
      date,
      event,
      source,
      significance,
      recordType: 'x',
      recordId: 'y',
    });
    const record = { ...reads.record, id: 'case-1' };
    const chronologies = [
      {
        caseId: 'case-1',
        caseReference: 'BC-2026-0042',
        childId: BEN,
        childName: 'Ben Sibling',
        entries: [
          entry('2026-01-20', 'Child protection plan started', 'cases', 'significant'),
          entry('2026-02-03', 'Statutory visit not done by 2026-02-03: every 10 working days', 'alerting', 'timescale missed'),
          entry('2026-03-20', 'Case management hearing held', 'plo', 'significant'),
        ],
      },
      { caseId: 'case-1', caseReference: 'BC-2026-0042', childId: ANA, childName: 'Ana Sibling', entries: [] },
    ] as unknown as CaseReads['chronologies'];
    const tables = chronologyTables(record, chronologies);
    expect(tables.map((t) => [t.childName, t.csvHref, t.pdfHref])).toEqual([
      ['Ana Sibling', `/cases/case-1/children/${ANA}/chronology.csv`, `/cases/case-1/children/${ANA}/chronology.pdf`],
      ['Ben Sibling', `/cases/case-1/children/${BEN}/chronology.csv`, `/cases/case-1/children/${BEN}/chronology.pdf`],
    ]);
    expect(tables[1].entries.map((e) => `${e.date} ${e.event} [${e.source}, ${e.significance}]`)).toEqual([
      '2026-01-20 Child protection plan started [Cases, Significant]',
      '2026-02-03 Statutory visit not done by 2026-02-03: every 10 working days [Alerting, Timescale missed]',
      '2026-03-20 Case management hearing held [PLO, Significant]',
    ]);
    expect(chronologyTables(record, chronologies, true)[1].entries.map((e) => e.date)).toEqual(['2026-03-20', '2026-02-03', '2026-01-20']);
  });
});
