import type { AlertingPaths, CasesPaths, PloPaths } from '@plo/api-client';
import { NATIONAL_BENCHMARKS, type NationalBenchmark } from '@plo/contracts';
import { csvCell } from '@plo/platform';

type OkJson<Operation> = Operation extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;

/** The cases service's peer-review table for one period (its GET /kpis), as its OpenAPI document says. */
export type CasesKpis = OkJson<CasesPaths['/kpis']['get']>;

/** PLO's measures for one period (its GET /kpis). */
export type PloKpis = OkJson<PloPaths['/kpis']['get']>;

/** Alerting's active drift by how long past due, on the day the page is drawn. */
export type DriftByAge = OkJson<AlertingPaths['/alerts/dashboard']['get']>['driftByAge'];

type Ratio = CasesKpis['repeatReferrals'];
type RatioKey = { [Key in keyof CasesKpis]: CasesKpis[Key] extends Ratio ? Key : never }[keyof CasesKpis];

export interface PeriodFigures {
  label: string;
  from: string;
  to: string;
  cases: CasesKpis;
  plo: PloKpis;
}

export interface KpiCell {
  /** As shown: "87.5% (7 of 8)", "31.2 weeks (4)", "—" when nothing was counted. */
  text: string;
  value: number | null;
}

export interface KpiRow {
  group: 'Front door and visits' | 'Care proceedings';
  key: string;
  measure: string;
  /** Counted per child, per case, or per referral: said in words beside every figure. */
  counted: string;
  definition: string;
  source: string;
  cells: [KpiCell, KpiCell];
  national?: { text: string; citation: string };
}

const percentCell = (ratio: Ratio): KpiCell => ({
  text: ratio.percent === null ? '—' : `${ratio.percent}% (${ratio.numerator} of ${ratio.denominator})`,
  value: ratio.percent,
});

const weeksCell = (average: { weeks: number | null; count: number }): KpiCell => ({
  text: average.weeks === null ? '—' : `${average.weeks} weeks (${average.count})`,
  value: average.weeks,
});

const countCell = (children: number, cases: number): KpiCell => ({
  text: `${children} children (${cases} cases)`,
  value: children,
});

/**
 * The peer review's measures, as the cases service counts them. Its answer carries figures only, so
 * the definitions (domain.md §7, with the code's exact counting) live here beside the table.
 */
const FRONT_DOOR: { key: RatioKey; measure: string; counted: string; definition: string; source: string }[] = [
  {
    key: 'contactsDecidedWithin1WorkingDay',
    measure: 'Contacts decided within 1 working day',
    counted: 'per contact',
    definition:
      'Contacts received in the period whose decision was made within 1 working day of receipt (the receipt day not counted, weekends and bank holidays skipped). A contact with no decision yet counts against the measure.',
    source: 'Working Together to Safeguard Children 2023; the peer review’s table',
  },
  {
    key: 'referralsProgressedWithin2WorkingDays',
    measure: 'Referrals progressed within 2 working days',
    counted: 'per referral',
    definition:
      'Referrals received in the period with a decision on the next step within 2 working days of receipt (the council’s local rule referral-next-step, as its rule pack sets it). A local measure: Working Together expects a decision within 1 working day, and that is the due date the referral’s obligation and alerts follow.',
    source: 'Local KPI (the peer review); national expectation 1 working day',
  },
  {
    key: 'repeatReferrals',
    measure: 'Repeat referrals within 12 months',
    counted: 'per child referred',
    definition:
      'Children referred in the period (a referral about two siblings counts twice) who had another referral received in the 12 months before, on the same case or on another of the council’s cases for a child with the same person id; as recorded at referral.',
    source: 'DfE children in need census definition',
  },
  {
    key: 'childrenInNeedSeenInLast6Weeks',
    measure: 'Children in need seen in the last 6 weeks',
    counted: 'per child',
    definition:
      'Children on a child-in-need plan on the period’s last day whose last visit at which they were seen was within the 6 weeks before it.',
    source: 'The peer review’s table',
  },
  {
    key: 'lookedAfterChildrenSeenInLast6Weeks',
    measure: 'Looked-after children seen in the last 6 weeks',
    counted: 'per child',
    definition: 'Looked-after children on the period’s last day whose last visit at which they were seen was within the 6 weeks before it.',
    source: 'The peer review’s table; Care Planning Regulations 2010 reg 28 (visits)',
  },
  {
    key: 'icpcsResultingInPlan',
    measure: 'Initial child protection conferences resulting in a plan',
    counted: 'per child conferenced',
    definition:
      'Children discussed at an initial child protection conference held in the period for whom the conference made a child protection plan.',
    source: 'The peer review’s table',
  },
  {
    key: 'assessmentsCompletedWithin45WorkingDays',
    measure: 'Assessments completed within 45 working days',
    counted: 'per child assessed',
    definition:
      'Child-and-family assessments completed in the period (one per child) that were completed within 45 working days of the referral they started from. A council’s shorter local target does not change this figure; cancelled assessments are not counted.',
    source: 'Working Together to Safeguard Children 2023; DfE children in need census',
  },
  {
    key: 'section47sLeadingToIcpc',
    measure: 'S.47 enquiries leading to an initial child protection conference',
    counted: 'per child',
    definition: 'Children’s s.47 enquiries concluded in the period whose outcome was an initial child protection conference.',
    source: 'Working Together to Safeguard Children 2023; DfE children in need census',
  },
  {
    key: 'icpcsWithin15WorkingDaysOfStrategyDiscussion',
    measure: 'ICPCs within 15 working days of the strategy discussion',
    counted: 'per child conferenced',
    definition:
      'Children conferenced at an initial child protection conference held in the period whose conference was held within 15 working days of the last strategy discussion about them (its due date by rule).',
    source: 'Working Together to Safeguard Children 2023; DfE children in need census',
  },
];

function nationalFigure(service: 'cases' | 'plo', measure: string, basis?: 'perChild' | 'perCase'): KpiRow['national'] {
  const figures = NATIONAL_BENCHMARKS.filter((b) => b.service === service && b.measure === measure && (b.basis ?? undefined) === basis);
  if (!figures.length) return undefined;
  const latest = [...figures].sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
  const shown = latest.slice(0, 2);
  const unit = (b: NationalBenchmark) => (b.unit === 'percent' ? `${b.value}%` : `${b.value} weeks`);
  return {
    text: shown.map((b) => `${unit(b)} (${b.area}, ${b.period})`).join('; '),
    citation: shown
      .map((b) => `${b.publisher}, ${b.sourceTitle}`)
      .filter((c, i, all) => all.indexOf(c) === i)
      .join('; '),
  };
}

type SupervisionKpi = CasesKpis['supervisionWithinCadence'];

/** One team's or one worker's supervision within cadence in both periods. */
export interface SupervisionRow {
  who: string;
  cells: [KpiCell, KpiCell];
}

const NOTHING_DUE: KpiCell = { text: '—', value: null };

/**
 * Supervision within cadence per team and per worker, both periods side by side. Whoever fell furthest
 * behind in the later period comes first, so the manager reads the table from the top; nothing due
 * sorts last.
 */
export function supervisionBreakdown(periods: [PeriodFigures, PeriodFigures]): { teams: SupervisionRow[]; workers: SupervisionRow[] } {
  const rowsBy = (pick: (kpi: SupervisionKpi) => { id: string; ratio: Ratio }[]) => {
    const [a, b] = periods.map((period) => new Map(pick(period.cases.supervisionWithinCadence).map((entry) => [entry.id, entry.ratio])));
    const ids = [...new Set([...a.keys(), ...b.keys()])];
    const cell = (ratio: Ratio | undefined) => (ratio ? percentCell(ratio) : NOTHING_DUE);
    return ids
      .map((who): SupervisionRow => ({ who, cells: [cell(a.get(who)), cell(b.get(who))] }))
      .sort((x, y) => (x.cells[1].value ?? Infinity) - (y.cells[1].value ?? Infinity) || x.who.localeCompare(y.who));
  };
  return {
    teams: rowsBy((kpi) => kpi.byTeam.map(({ teamId, ...ratio }) => ({ id: teamId, ratio }))),
    workers: rowsBy((kpi) => kpi.byWorker.map(({ workerId, ...ratio }) => ({ id: workerId, ratio }))),
  };
}

/** Two periods side by side, each measure with how it is counted, its definition and the national figure beside it. */
export function kpiRows(periods: [PeriodFigures, PeriodFigures]): KpiRow[] {
  const [a, b] = periods;
  const rows: KpiRow[] = FRONT_DOOR.map((measure) => ({
    group: 'Front door and visits',
    key: measure.key,
    measure: measure.measure,
    counted: measure.counted,
    definition: measure.definition,
    source: measure.source,
    cells: [percentCell(a.cases[measure.key]), percentCell(b.cases[measure.key])],
    national: nationalFigure('cases', measure.key),
  }));
  rows.push({
    group: 'Front door and visits',
    key: 'supervisionWithinCadence',
    measure: 'Cases supervised within the council’s cadence',
    counted: 'per supervision due',
    definition: a.cases.supervisionWithinCadence.definition,
    source: 'Local policy (supervision cadence: council rules supervision-cp and supervision-cin); the peer review',
    cells: [percentCell(a.cases.supervisionWithinCadence), percentCell(b.cases.supervisionWithinCadence)],
  });
  const plo = (key: 'concludedWithin26Weeks' | 'averageWeeksToConclusion' | 'preProceedingsWithin16Weeks' | 'openProceedings') => ({
    definition: a.plo[key].definition,
    source: a.plo[key].source,
  });
  rows.push(
    {
      group: 'Care proceedings',
      key: 'concludedWithin26Weeks.perChild',
      measure: 'Proceedings concluded within 26 weeks',
      counted: 'per child',
      ...plo('concludedWithin26Weeks'),
      cells: [percentCell(a.plo.concludedWithin26Weeks.perChild), percentCell(b.plo.concludedWithin26Weeks.perChild)],
      national: nationalFigure('plo', 'concludedWithin26Weeks', 'perChild'),
    },
    {
      group: 'Care proceedings',
      key: 'concludedWithin26Weeks.perCase',
      measure: 'Proceedings concluded within 26 weeks',
      counted: 'per case',
      ...plo('concludedWithin26Weeks'),
      cells: [percentCell(a.plo.concludedWithin26Weeks.perCase), percentCell(b.plo.concludedWithin26Weeks.perCase)],
      national: nationalFigure('plo', 'concludedWithin26Weeks', 'perCase'),
    },
    {
      group: 'Care proceedings',
      key: 'averageWeeksToConclusion.perChild',
      measure: 'Average weeks from issue to conclusion',
      counted: 'per child',
      ...plo('averageWeeksToConclusion'),
      cells: [weeksCell(a.plo.averageWeeksToConclusion.perChild), weeksCell(b.plo.averageWeeksToConclusion.perChild)],
      national: nationalFigure('plo', 'averageWeeksToConclusion', 'perChild'),
    },
    {
      group: 'Care proceedings',
      key: 'averageWeeksToConclusion.perCase',
      measure: 'Average weeks from issue to conclusion',
      counted: 'per case',
      ...plo('averageWeeksToConclusion'),
      cells: [weeksCell(a.plo.averageWeeksToConclusion.perCase), weeksCell(b.plo.averageWeeksToConclusion.perCase)],
      national: nationalFigure('plo', 'averageWeeksToConclusion', 'perCase'),
    },
    {
      group: 'Care proceedings',
      key: 'preProceedingsWithin16Weeks',
      measure: 'Pre-proceedings ended within 16 weeks',
      counted: 'per case',
      ...plo('preProceedingsWithin16Weeks'),
      cells: [percentCell(a.plo.preProceedingsWithin16Weeks.perCase), percentCell(b.plo.preProceedingsWithin16Weeks.perCase)],
      national: nationalFigure('plo', 'preProceedingsWithin16Weeks', 'perCase'),
    },
    {
      group: 'Care proceedings',
      key: 'openProceedings.pastCompletionDate',
      measure: 'Open proceedings past their completion date',
      counted: 'per child (cases in brackets)',
      ...plo('openProceedings'),
      cells: [
        countCell(a.plo.openProceedings.pastCompletionDate.children, a.plo.openProceedings.pastCompletionDate.cases),
        countCell(b.plo.openProceedings.pastCompletionDate.children, b.plo.openProceedings.pastCompletionDate.cases),
      ],
    },
  );
  return rows;
}

export const DRIFT_AGE_BANDS: { key: keyof DriftByAge; label: string }[] = [
  { key: 'upTo1Week', label: 'Up to 1 week past due' },
  { key: 'upTo4Weeks', label: '1 to 4 weeks past due' },
  { key: 'upTo12Weeks', label: '4 to 12 weeks past due' },
  { key: 'over12Weeks', label: 'Over 12 weeks past due' },
];

/** The table as CSV, one row per measure, both periods and the national figure with its source. */
export function kpiCsv(periods: [PeriodFigures, PeriodFigures], rows: KpiRow[], driftByAge: DriftByAge, asOf: string): string {
  const header = [
    'group',
    'measure',
    'counted',
    `${periods[0].label} (${periods[0].from} to ${periods[0].to})`,
    `${periods[1].label} (${periods[1].from} to ${periods[1].to})`,
    'national figure',
    'national source',
    'definition',
    'rule source',
  ];
  const lines = [
    header,
    ...rows.map((row) => [
      row.group,
      row.measure,
      row.counted,
      row.cells[0].text,
      row.cells[1].text,
      row.national?.text ?? '',
      row.national?.citation ?? '',
      row.definition,
      row.source,
    ]),
  ];
  for (const band of DRIFT_AGE_BANDS)
    lines.push([
      'Open drift by age',
      band.label,
      `alerts on ${asOf}`,
      '',
      String(driftByAge[band.key]),
      '',
      '',
      'Active drift alerts by how long ago their due date was',
      'alerting service',
    ]);
  return `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
