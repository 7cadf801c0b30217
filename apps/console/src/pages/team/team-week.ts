import type { components as Alerting } from '@plo/api-client/generated/alerting';
import type { components as Cases } from '@plo/api-client/generated/cases';

export type Alert = Alerting['schemas']['Alert'];
export type TeamAlertSummary = Alerting['schemas']['TeamAlertSummary'];
export type DueObligation = Alerting['schemas']['DueObligation'];
export type CaseSummary = Cases['schemas']['CaseSummaryView'];
export type Severity = Alert['severity'];

/** Who is looking: what they may do to an alert is what alerting would let them do. */
export interface Viewer {
  subject: string;
  roles: readonly string[];
}

const SEVERITIES: readonly { severity: Severity; label: string; tag: string }[] = [
  { severity: 'critical', label: 'Critical', tag: 'govuk-tag--red' },
  { severity: 'high', label: 'High', tag: 'govuk-tag--orange' },
  { severity: 'warning', label: 'Warning', tag: 'govuk-tag--yellow' },
];

const KINDS: Record<string, string> = {
  visit: 'Statutory visit',
  'cin-review': 'Child in need review',
  'cp-review': 'Child protection review',
  'lac-review': 'Looked-after child review',
  icpc: 'Initial child protection conference',
  'plan-review': 'Plan review',
  supervision: 'Supervision',
  'contact-decision': 'Contact decision',
  'referral-decision': 'Referral decision',
  'pre-proceedings-limit': 'Pre-proceedings time limit',
  'pre-proceedings-review': 'Pre-proceedings review',
  gatekeeping: 'Gatekeeping',
  'case-management-hearing': 'Case management hearing',
  'further-case-management-hearing': 'Further case management hearing',
  'issues-resolution-hearing': 'Issues resolution hearing',
  'final-hearing': 'Final hearing',
  'hearing-bundle': 'Hearing bundle',
  'draft-order-after-hearing': 'Draft order after a hearing',
  'proceedings-completion': 'Proceedings 26-week limit',
};

const UNITS: Record<string, [string, string]> = {
  'calendar-days': ['day', 'days'],
  'working-days': ['working day', 'working days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
};

/** What an obligation is, in words: a kind nobody named yet reads as its id with spaces. */
export function kindLabel(kind: string): string {
  const named = KINDS[kind];
  if (named) return named;
  const words = kind.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `drift` → Overdue, `warning-2-working-days` → Due in 2 working days. */
export function levelLabel(level: string): string {
  if (level === 'drift') return 'Overdue';
  if (level === 'projected-drift') return 'Projected to overrun';
  const warning = /^warning-(\d+)-(.+)$/.exec(level);
  if (warning) {
    const count = Number(warning[1]);
    const [one, many] = UNITS[warning[2]] ?? [warning[2], warning[2]];
    return `Due in ${count} ${count === 1 ? one : many}`;
  }
  return level;
}

export function severityLabel(severity: Severity): string {
  return SEVERITIES.find((s) => s.severity === severity)?.label ?? severity;
}

/** The manager an alert has gone up to, or null while it is still with the allocated worker. */
export function escalatedTo(step: number): string | null {
  return step >= 2 ? 'service manager' : step === 1 ? 'team manager' : null;
}

export const isManager = (viewer: Viewer) => viewer.roles.includes('team-manager') || viewer.roles.includes('service-manager');

/** Names and references the services give on their own lists, looked up by id. */
export class CaseDirectory {
  private readonly children = new Map<string, string>();
  private readonly references = new Map<string, string>();

  constructor(cases: readonly CaseSummary[]) {
    for (const item of cases) {
      this.references.set(item.id, item.caseReference);
      for (const child of item.children) this.children.set(child.id, `${child.firstName} ${child.lastName}`);
    }
  }

  childName(childId: string | null): string | null {
    return childId ? (this.children.get(childId) ?? null) : null;
  }

  caseReference(caseId: string): string | null {
    return this.references.get(caseId) ?? null;
  }
}

export interface AlertRow {
  id: string;
  version: number;
  caseId: string;
  caseReference: string | null;
  /** The child's name; for an alert on the whole case (or a child the list does not name), null. */
  child: string | null;
  rule: string;
  level: string;
  /** Past its due date (not a warning ahead of it, nor a projection). */
  drift: boolean;
  explanation: string;
  dueDate: string;
  severity: Severity;
  severityLabel: string;
  severityTag: string;
  state: Alert['state'];
  teamId: string;
  workerId: string;
  recipientId: string | null;
  escalatedTo: string | null;
  raisedAt: string;
  canAcknowledge: boolean;
  canResolve: boolean;
}

export function alertRow(alert: Alert, directory: CaseDirectory, viewer: Viewer): AlertRow {
  const severity = SEVERITIES.find((s) => s.severity === alert.severity);
  return {
    id: alert.id,
    version: alert.version,
    caseId: alert.caseId,
    caseReference: directory.caseReference(alert.caseId),
    child: directory.childName(alert.childId),
    rule: kindLabel(alert.kind),
    level: levelLabel(alert.level),
    drift: alert.level === 'drift',
    explanation: alert.explanation,
    dueDate: alert.dueDate,
    severity: alert.severity,
    severityLabel: severity?.label ?? alert.severity,
    severityTag: severity?.tag ?? 'govuk-tag--grey',
    state: alert.state,
    teamId: alert.teamId,
    workerId: alert.workerId,
    recipientId: alert.recipientId,
    escalatedTo: escalatedTo(alert.escalationStep),
    raisedAt: alert.raisedAt,
    // As alerting decides: the person it is with, or a manager of its team; only managers resolve.
    canAcknowledge: alert.state === 'open' && (alert.recipientId === viewer.subject || isManager(viewer)),
    canResolve: alert.state !== 'resolved' && isManager(viewer),
  };
}

const oldestFirst = (a: { raisedAt: string; id: string }, b: { raisedAt: string; id: string }) =>
  a.raisedAt.localeCompare(b.raisedAt) || a.id.localeCompare(b.id);

/** The alerts in severity order (critical first), the longest-standing first within each; empty severities left out. */
export function bySeverity(rows: readonly AlertRow[]): { severity: Severity; label: string; rows: AlertRow[] }[] {
  return SEVERITIES.map(({ severity, label }) => ({
    severity,
    label,
    rows: rows.filter((r) => r.severity === severity).sort(oldestFirst),
  })).filter((group) => group.rows.length > 0);
}

/** Escalated alerts nobody has acknowledged yet: those furthest up the ladder, then the oldest, first. */
export function escalatedOpen(rows: readonly AlertRow[]): AlertRow[] {
  const step = (row: AlertRow) => (row.escalatedTo === 'service manager' ? 2 : 1);
  return rows.filter((r) => r.escalatedTo && r.state === 'open').sort((a, b) => step(b) - step(a) || oldestFirst(a, b));
}

export const AGE_BANDS = ['Under 1 day', '1 to 6 days', '1 to 4 weeks', 'Over 4 weeks'] as const;
const BAND_LIMITS_HOURS = [24, 7 * 24, 28 * 24];

export function ageBand(raisedAt: string, now: Date): number {
  const hours = (now.getTime() - new Date(raisedAt).getTime()) / 3_600_000;
  const band = BAND_LIMITS_HOURS.findIndex((limit) => hours < limit);
  return band === -1 ? BAND_LIMITS_HOURS.length : band;
}

/** Active alerts counted by severity (rows) and how long they have been raised (columns). */
export function severityByAge(rows: readonly AlertRow[], now: Date): { label: string; counts: number[]; total: number }[] {
  return SEVERITIES.map(({ severity, label }) => {
    const counts = AGE_BANDS.map(() => 0);
    for (const row of rows) if (row.severity === severity) counts[ageBand(row.raisedAt, now)] += 1;
    return { label, counts, total: counts.reduce((sum, n) => sum + n, 0) };
  });
}

export interface Caseload {
  workerId: string;
  cases: number;
  casesOverdue: number;
  overdue: number;
  drift: number;
}

/**
 * Each allocated worker's open cases, how many have something overdue and how many obligations are
 * overdue (the cases service's judgement, today in London), and the drift alerts on their cases.
 * Most overdue first, so the worker who needs help is at the top.
 */
export function caseloads(cases: readonly CaseSummary[], alerts: readonly AlertRow[]): Caseload[] {
  const byWorker = new Map<string, Caseload>();
  const of = (workerId: string) => {
    let load = byWorker.get(workerId);
    if (!load) byWorker.set(workerId, (load = { workerId, cases: 0, casesOverdue: 0, overdue: 0, drift: 0 }));
    return load;
  };
  for (const item of cases) {
    const load = of(item.allocatedWorkerId);
    load.cases += 1;
    if (item.overdue.length) load.casesOverdue += 1;
    load.overdue += item.overdue.length;
  }
  for (const alert of alerts) if (alert.drift) of(alert.workerId).drift += 1;
  return [...byWorker.values()].sort((a, b) => b.overdue - a.overdue || b.drift - a.drift || a.workerId.localeCompare(b.workerId));
}

export interface DueRow {
  dueDate: string;
  caseId: string;
  caseReference: string;
  child: string | null;
  what: string;
  explanation: string;
  workerId: string;
}

export function dueRows(obligations: readonly DueObligation[], directory: CaseDirectory): DueRow[] {
  return obligations.map((o) => ({
    dueDate: o.dueDate,
    caseId: o.caseId,
    caseReference: o.caseReference,
    child: directory.childName(o.childId),
    what: kindLabel(o.kind),
    explanation: o.explanation,
    workerId: o.responsibleWorkerId,
  }));
}

export interface TeamFacts {
  cases: number;
  casesOverdue: number;
  dueThisWeek: number;
}

export interface RankedTeam extends TeamAlertSummary, TeamFacts {
  rank: number;
}

/**
 * Teams ranked two ways: by how much open drift they hold (the older drift first on a tie), and by
 * how long their oldest drift has stood (teams without drift last). Both keep every team.
 */
export function rankTeams(
  summaries: readonly TeamAlertSummary[],
  facts: ReadonlyMap<string, TeamFacts>,
): { byDrift: RankedTeam[]; byAge: RankedTeam[] } {
  const teams = summaries.map((s) => ({ ...s, ...(facts.get(s.teamId) ?? { cases: 0, casesOverdue: 0, dueThisWeek: 0 }) }));
  const oldest = (a: TeamAlertSummary, b: TeamAlertSummary) => {
    if (a.oldestDriftRaisedAt === b.oldestDriftRaisedAt) return 0;
    if (a.oldestDriftRaisedAt === null) return 1;
    if (b.oldestDriftRaisedAt === null) return -1;
    return a.oldestDriftRaisedAt.localeCompare(b.oldestDriftRaisedAt);
  };
  const ranked = (sorted: typeof teams) => sorted.map((team, index) => ({ ...team, rank: index + 1 }));
  return {
    byDrift: ranked([...teams].sort((a, b) => b.drift - a.drift || oldest(a, b) || a.teamId.localeCompare(b.teamId))),
    byAge: ranked([...teams].sort((a, b) => oldest(a, b) || b.drift - a.drift || a.teamId.localeCompare(b.teamId))),
  };
}
