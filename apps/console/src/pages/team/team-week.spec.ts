import {
  ageBand,
  alertRow,
  bySeverity,
  CaseDirectory,
  caseloads,
  escalatedOpen,
  kindLabel,
  levelLabel,
  rankTeams,
  severityByAge,
  type Alert,
  type CaseSummary,
  type TeamAlertSummary,
} from './team-week';

const NOW = new Date('2026-12-07T12:00:00Z');
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

function alert(overrides: Partial<Alert>): Alert {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    caseId: 'case-1',
    councilId: 'demo-council',
    obligationId: 'obligation-1',
    childId: 'child-1',
    kind: 'visit',
    level: 'drift',
    severity: 'critical',
    dueDate: '2026-12-01',
    explanation: 'child protection visit within 10 working days of the last',
    state: 'open',
    teamId: 'north-1',
    workerId: 'sw.alex',
    escalationStep: 0,
    recipientId: 'sw.alex',
    raisedAt: hoursAgo(30),
    escalatesAt: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    acknowledgementNote: null,
    resolvedAt: null,
    resolution: null,
    resolvedBy: null,
    resolutionReason: null,
    version: 1,
    episode: 1,
    previousAlertId: null,
    historical: false,
    ...overrides,
  };
}

function caseSummary(overrides: Partial<CaseSummary>): CaseSummary {
  return {
    id: 'case-1',
    caseReference: 'N1-0001',
    teamId: 'north-1',
    allocatedWorkerId: 'sw.alex',
    teamManagerId: 'tm.sam',
    legalStatus: 'child-protection-plan',
    openedOn: '2026-10-01',
    closedOn: null,
    version: 1,
    children: [{ id: 'child-1', firstName: 'Ana', lastName: 'Okoro' }],
    overdue: [],
    nextDue: null,
    ...overrides,
  };
}

const overdueVisit = { id: 'o', kind: 'visit', childId: null, dueDate: '2026-12-01', explanation: 'visit' };
const manager = { subject: 'tm.sam', roles: ['team-manager'] };
const worker = { subject: 'sw.alex', roles: ['social-worker'] };

describe('team week view model', () => {
  it('names obligations and alert levels in words', () => {
    expect(kindLabel('visit')).toBe('Statutory visit');
    expect(kindLabel('proceedings-completion')).toBe('Proceedings 26-week limit');
    expect(kindLabel('some-new-deadline')).toBe('Some new deadline');
    expect(levelLabel('drift')).toBe('Overdue');
    expect(levelLabel('projected-drift')).toBe('Projected to overrun');
    expect(levelLabel('warning-2-working-days')).toBe('Due in 2 working days');
    expect(levelLabel('warning-1-weeks')).toBe('Due in 1 week');
    expect(levelLabel('warning-10-calendar-days')).toBe('Due in 10 days');
  });

  it('names the child and the case from the case list, and offers only what alerting would allow', () => {
    const directory = new CaseDirectory([caseSummary({})]);
    const row = alertRow(alert({}), directory, manager);
    expect(row).toMatchObject({ child: 'Ana Okoro', caseReference: 'N1-0001', rule: 'Statutory visit', level: 'Overdue', drift: true });
    expect([row.canAcknowledge, row.canResolve]).toEqual([true, true]);
    // The allocated worker may acknowledge an alert that is with them, not resolve it; nor act on a colleague's.
    expect(alertRow(alert({}), directory, worker)).toMatchObject({ canAcknowledge: true, canResolve: false });
    expect(alertRow(alert({ recipientId: 'sw.kim' }), directory, worker)).toMatchObject({ canAcknowledge: false });
    expect(alertRow(alert({ state: 'acknowledged' }), directory, manager)).toMatchObject({ canAcknowledge: false, canResolve: true });
    expect(alertRow(alert({ childId: null, caseId: 'elsewhere' }), directory, manager)).toMatchObject({ child: null, caseReference: null });
  });

  it('groups alerts by severity, critical first, the longest-standing first within each', () => {
    const directory = new CaseDirectory([]);
    const rows = [
      alert({ id: 'a', severity: 'warning', raisedAt: hoursAgo(1) }),
      alert({ id: 'b', severity: 'critical', raisedAt: hoursAgo(2) }),
      alert({ id: 'c', severity: 'critical', raisedAt: hoursAgo(200) }),
    ].map((a) => alertRow(a, directory, manager));
    expect(bySeverity(rows).map((group) => [group.label, group.rows.map((r) => r.id)])).toEqual([
      ['Critical', ['c', 'b']],
      ['Warning', ['a']],
    ]);
  });

  it('counts alerts by severity and age band', () => {
    expect([1, 23.9, 24, 24 * 7 - 1, 24 * 7, 24 * 28, 24 * 400].map((h) => ageBand(hoursAgo(h), NOW))).toEqual([0, 0, 1, 1, 2, 3, 3]);
    const directory = new CaseDirectory([]);
    const rows = [
      alert({ raisedAt: hoursAgo(2) }),
      alert({ raisedAt: hoursAgo(50) }),
      alert({ raisedAt: hoursAgo(60) }),
      alert({ severity: 'high', raisedAt: hoursAgo(24 * 30) }),
    ].map((a) => alertRow(a, directory, manager));
    expect(severityByAge(rows, NOW)).toEqual([
      { label: 'Critical', counts: [1, 2, 0, 0], total: 3 },
      { label: 'High', counts: [0, 0, 0, 1], total: 1 },
      { label: 'Warning', counts: [0, 0, 0, 0], total: 0 },
    ]);
  });

  it('lists escalated alerts nobody has acknowledged, those with the service manager first', () => {
    const directory = new CaseDirectory([]);
    const rows = [
      alert({ id: 'with-worker' }),
      alert({ id: 'tm', escalationStep: 1, raisedAt: hoursAgo(100) }),
      alert({ id: 'sm', escalationStep: 2, raisedAt: hoursAgo(10) }),
      alert({ id: 'taken', escalationStep: 1, state: 'acknowledged' }),
    ].map((a) => alertRow(a, directory, manager));
    expect(escalatedOpen(rows).map((r) => [r.id, r.escalatedTo])).toEqual([
      ['sm', 'service manager'],
      ['tm', 'team manager'],
    ]);
  });

  it("adds up each worker's caseload, most overdue first", () => {
    const cases = [
      caseSummary({ id: '1', allocatedWorkerId: 'sw.alex', overdue: [overdueVisit, overdueVisit] }),
      caseSummary({ id: '2', allocatedWorkerId: 'sw.alex' }),
      caseSummary({ id: '3', allocatedWorkerId: 'sw.bo', overdue: [overdueVisit] }),
      caseSummary({ id: '4', allocatedWorkerId: 'sw.cy' }),
    ];
    const directory = new CaseDirectory(cases);
    const alerts = [alert({}), alert({ level: 'warning-2-working-days', severity: 'warning' })].map((a) => alertRow(a, directory, manager));
    expect(caseloads(cases, alerts)).toEqual([
      { workerId: 'sw.alex', cases: 2, casesOverdue: 1, overdue: 2, drift: 1 },
      { workerId: 'sw.bo', cases: 1, casesOverdue: 1, overdue: 1, drift: 0 },
      { workerId: 'sw.cy', cases: 1, casesOverdue: 0, overdue: 0, drift: 0 },
    ]);
  });

  it('ranks teams by open drift and by the age of their oldest drift, keeping teams without any', () => {
    const team = (teamId: string, drift: number, oldestDriftRaisedAt: string | null): TeamAlertSummary => ({
      teamId,
      active: drift,
      open: drift,
      acknowledged: 0,
      drift,
      projectedDrift: 0,
      warnings: 0,
      bySeverity: { critical: drift, high: 0, warning: 0 },
      escalated: { teamManager: 0, serviceManager: 0 },
      oldestDriftRaisedAt,
    });
    const { byDrift, byAge } = rankTeams(
      [team('quiet', 0, null), team('many', 5, hoursAgo(10)), team('old', 2, hoursAgo(500)), team('tied', 2, hoursAgo(20))],
      new Map([['many', { cases: 40, casesOverdue: 7, dueThisWeek: 3 }]]),
    );
    expect(byDrift.map((t) => [t.rank, t.teamId])).toEqual([
      [1, 'many'],
      [2, 'old'],
      [3, 'tied'],
      [4, 'quiet'],
    ]);
    expect(byAge.map((t) => t.teamId)).toEqual(['old', 'tied', 'many', 'quiet']);
    expect(byDrift[0]).toMatchObject({ cases: 40, casesOverdue: 7, dueThisWeek: 3 });
    expect(byDrift[3]).toMatchObject({ cases: 0, casesOverdue: 0, dueThisWeek: 0 });
  });
});
