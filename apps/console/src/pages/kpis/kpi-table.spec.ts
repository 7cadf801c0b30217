import { kpiCsv, kpiRows, type PeriodFigures, supervisionBreakdown } from './kpi-table';

const ratio = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  percent: denominator ? Math.round((1000 * numerator) / denominator) / 10 : null,
});
const definition = { definition: 'What is counted', source: 'Children Act 1989 s.32' };

function figures(
  label: string,
  seen: [number, number],
  withinChild: [number, number],
  withinCase: [number, number],
  supervisedWorkers: ({ workerId: string } & ReturnType<typeof ratio>)[] = [],
): PeriodFigures {
  return {
    label,
    from: '2026-08-01',
    to: '2026-08-31',
    cases: {
      councilId: 'demo-council',
      teamId: 'north-1',
      from: '2026-08-01',
      to: '2026-08-31',
      contactsDecidedWithin1WorkingDay: ratio(9, 10),
      referralsProgressedWithin2WorkingDays: ratio(0, 0),
      repeatReferrals: ratio(1, 4),
      childrenInNeedSeenInLast6Weeks: ratio(...seen),
      lookedAfterChildrenSeenInLast6Weeks: ratio(3, 3),
      icpcsResultingInPlan: ratio(2, 3),
      assessmentsCompletedWithin45WorkingDays: { ...ratio(4, 5), definition: 'Assessments completed in the period' },
      section47sLeadingToIcpc: ratio(1, 2),
      icpcsWithin15WorkingDaysOfStrategyDiscussion: ratio(3, 3),
      supervisionWithinCadence: {
        ...ratio(3, 4),
        definition: 'Supervisions due in the period held by their due date',
        byTeam: [{ teamId: 'north-1', ...ratio(3, 4) }],
        byWorker: supervisedWorkers,
      },
    },
    plo: {
      councilId: 'demo-council',
      teamId: 'north-1',
      from: '2026-08-01',
      to: '2026-08-31',
      concludedWithin26Weeks: { ...definition, perChild: ratio(...withinChild), perCase: ratio(...withinCase) },
      averageWeeksToConclusion: { ...definition, perChild: { weeks: 27.5, count: 2 }, perCase: { weeks: null, count: 0 } },
      preProceedingsWithin16Weeks: { ...definition, perCase: ratio(1, 2), extended: 1 },
      openProceedings: {
        ...definition,
        children: 5,
        cases: 3,
        bands: [
          { band: 'up-to-20-weeks', children: 2, cases: 1 },
          { band: 'over-20-up-to-26-weeks', children: 1, cases: 1 },
          { band: 'over-26-weeks', children: 2, cases: 1 },
        ],
        pastCompletionDate: { children: 2, cases: 1 },
      },
    },
  };
}

describe('the KPI table', () => {
  const periods: [PeriodFigures, PeriodFigures] = [
    figures(
      'August 2026',
      [4, 8],
      [1, 2],
      [0, 1],
      [
        { workerId: 'sw.alex', ...ratio(2, 2) },
        { workerId: 'sw.pat', ...ratio(1, 2) },
      ],
    ),
    figures(
      'November 2026',
      [7, 8],
      [2, 2],
      [1, 1],
      [
        { workerId: 'sw.alex', ...ratio(1, 3) },
        { workerId: 'sw.kit', ...ratio(2, 2) },
      ],
    ),
  ];
  const rows = kpiRows(periods);

  it('puts both periods side by side and says how each figure is counted', () => {
    const seen = rows.find((row) => row.key === 'childrenInNeedSeenInLast6Weeks')!;
    expect(seen.counted).toBe('per child');
    expect(seen.cells.map((cell) => cell.text)).toEqual(['50% (4 of 8)', '87.5% (7 of 8)']);
    const perChild = rows.find((row) => row.key === 'concludedWithin26Weeks.perChild')!;
    const perCase = rows.find((row) => row.key === 'concludedWithin26Weeks.perCase')!;
    expect([perChild.counted, perCase.counted]).toEqual(['per child', 'per case']);
    expect(perCase.cells[0].text).toBe('0% (0 of 1)');
  });

  it('shows a dash, not 0%, when there was nothing to count', () => {
    expect(rows.find((row) => row.key === 'referralsProgressedWithin2WorkingDays')!.cells[0].text).toBe('—');
    expect(rows.find((row) => row.key === 'averageWeeksToConclusion.perCase')!.cells[0].text).toBe('—');
  });

  it('gives every measure a definition and a source', () => {
    for (const row of rows) {
      expect(row.definition.length).toBeGreaterThan(10);
      expect(row.source.length).toBeGreaterThan(3);
    }
  });

  it('sets the national figure with its source beside the measures it compares with', () => {
    const repeat = rows.find((row) => row.key === 'repeatReferrals')!;
    expect(repeat.national?.text).toContain('22%');
    expect(repeat.national?.citation).toContain('Department for Education');
    const perCase = rows.find((row) => row.key === 'concludedWithin26Weeks.perCase')!;
    expect(perCase.national?.citation).toContain('Ministry of Justice');
  });

  it('shows supervision within cadence per team and per worker, furthest behind first, with a dash where nothing was due', () => {
    const { teams, workers } = supervisionBreakdown(periods);
    expect(teams.map((row) => [row.who, ...row.cells.map((cell) => cell.text)])).toEqual([['north-1', '75% (3 of 4)', '75% (3 of 4)']]);
    expect(workers.map((row) => [row.who, ...row.cells.map((cell) => cell.text)])).toEqual([
      ['sw.alex', '100% (2 of 2)', '33.3% (1 of 3)'],
      ['sw.kit', '—', '100% (2 of 2)'],
      ['sw.pat', '50% (1 of 2)', '—'],
    ]);
  });

  it('downloads as CSV with both periods, quoting commas and disarming spreadsheet formulas', () => {
    const csv = kpiCsv(periods, rows, { upTo1Week: 1, upTo4Weeks: 2, upTo12Weeks: 0, over12Weeks: 4 }, '2026-11-19');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'group,measure,counted,August 2026 (2026-08-01 to 2026-08-31),November 2026 (2026-08-01 to 2026-08-31),national figure,national source,definition,rule source',
    );
    expect(lines).toHaveLength(1 + rows.length + 4);
    expect(csv).toContain('Children in need seen in the last 6 weeks,per child,50% (4 of 8),87.5% (7 of 8)');
    expect(lines.at(-1)).toContain('Over 12 weeks past due');
    expect(lines.at(-1)).toContain(',4,');
    const hostile = kpiCsv(
      periods,
      [{ ...rows[0], measure: '=HYPERLINK("http://x")' }],
      { upTo1Week: 0, upTo4Weeks: 0, upTo12Weeks: 0, over12Weeks: 0 },
      '2026-11-19',
    );
    expect(hostile).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});
