import type { AlertResolution, AlertSeverity } from '@plo/contracts';
import type { AlertState } from '../domain/lifecycle';
import type { Alert } from './alerts.views';

/** An alert as stored (snake_case, as Postgres returns it). */
export interface AlertRow {
  id: string;
  subject_key: string;
  level: string;
  due_date: string;
  obligation_id: string | null;
  case_id: string;
  council_id: string;
  child_id: string | null;
  kind: string;
  severity: AlertSeverity;
  explanation: string;
  state: AlertState;
  team_id: string;
  worker_id: string;
  escalation_step: number;
  recipient_id: string | null;
  raised_at: Date;
  escalates_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  acknowledgement_note: string | null;
  resolved_at: Date | null;
  resolution: AlertResolution | null;
  resolved_by: string | null;
  resolution_reason: string | null;
  version: number;
  episode: number;
  previous_alert_id: string | null;
  historical: boolean;
}

const COLUMN_NAMES = [
  'id',
  'subject_key',
  'level',
  'due_date',
  'obligation_id',
  'case_id',
  'council_id',
  'child_id',
  'kind',
  'severity',
  'explanation',
  'state',
  'team_id',
  'worker_id',
  'escalation_step',
  'recipient_id',
  'raised_at',
  'escalates_at',
  'acknowledged_by',
  'acknowledged_at',
  'acknowledgement_note',
  'resolved_at',
  'resolution',
  'resolved_by',
  'resolution_reason',
  'version',
  'episode',
  'previous_alert_id',
  'historical',
];

/** Columns for SELECT and RETURNING, optionally qualified, with the due date as YYYY-MM-DD text (legal dates are never instants). */
export function alertColumns(alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return COLUMN_NAMES.map((name) =>
    name === 'due_date' ? `to_char(${prefix}due_date, 'YYYY-MM-DD') AS due_date` : `${prefix}${name}`,
  ).join(', ');
}

export const ALERT_COLUMNS = alertColumns();

export function alertView(row: AlertRow): Alert {
  return {
    id: row.id,
    caseId: row.case_id,
    councilId: row.council_id,
    obligationId: row.obligation_id,
    childId: row.child_id,
    kind: row.kind,
    level: row.level,
    severity: row.severity,
    dueDate: row.due_date,
    explanation: row.explanation,
    state: row.state,
    teamId: row.team_id,
    workerId: row.worker_id,
    escalationStep: row.escalation_step,
    recipientId: row.recipient_id,
    raisedAt: new Date(row.raised_at).toISOString(),
    escalatesAt: iso(row.escalates_at),
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgementNote: row.acknowledgement_note,
    resolvedAt: iso(row.resolved_at),
    resolution: row.resolution,
    resolvedBy: row.resolved_by,
    resolutionReason: row.resolution_reason,
    version: row.version,
    episode: row.episode,
    previousAlertId: row.previous_alert_id,
    historical: row.historical,
  };
}

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}
