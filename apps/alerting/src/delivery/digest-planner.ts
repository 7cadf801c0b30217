import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { formatLongDate, parseLocalDate } from '@plo/timescales';
import { DeliveryPlanner, EmailPayload } from './delivery-planner';

interface ManagerSummary {
  manager_id: string;
  alert_count: number;
  critical: number;
  high: number;
  warning: number;
  escalated_to_me: number;
  lines: { caseReference: string | null; kind: string; level: string; severity: string; dueDate: string; state: string; workerId: string; teamId: string }[];
}

const LINES_PER_DIGEST = 50;

/**
 * Once per London day, each manager with active alerts in their teams (as team manager of the case,
 * or service manager of its team) gets one e-mail listing them. The (manager, day) primary key makes
 * "once" hold across restarts and instances.
 */
@Injectable()
export class DigestPlanner {
  constructor(private readonly planner: DeliveryPlanner) {}

  async planFor(manager: EntityManager, londonDate: string, now: Date): Promise<number> {
    if (!this.planner.emailEnabled) return 0;
    const summaries: ManagerSummary[] = await manager.query(
      `WITH managed AS (
         SELECT c.team_manager_id AS manager_id, a.*, c.case_reference
           FROM alerts a JOIN case_directory c ON c.case_id = a.case_id
          WHERE a.state <> 'resolved' AND c.team_manager_id IS NOT NULL
         UNION
         SELECT t.service_manager_id AS manager_id, a.*, c.case_reference
           FROM alerts a JOIN team_directory t ON t.team_id = a.team_id LEFT JOIN case_directory c ON c.case_id = a.case_id
          WHERE a.state <> 'resolved'),
       ranked AS (
         SELECT *, row_number() OVER (PARTITION BY manager_id
                   ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, due_date, id) AS rank
           FROM managed)
       SELECT manager_id, count(*)::int AS alert_count,
              count(*) FILTER (WHERE severity = 'critical')::int AS critical,
              count(*) FILTER (WHERE severity = 'high')::int AS high,
              count(*) FILTER (WHERE severity = 'warning')::int AS warning,
              count(*) FILTER (WHERE recipient_id = manager_id AND escalation_step > 0)::int AS escalated_to_me,
              coalesce(json_agg(json_build_object('caseReference', case_reference, 'kind', kind, 'level', level, 'severity', severity,
                         'dueDate', to_char(due_date, 'YYYY-MM-DD'), 'state', state, 'workerId', worker_id, 'teamId', team_id)
                       ORDER BY rank) FILTER (WHERE rank <= $1), '[]') AS lines
         FROM ranked GROUP BY manager_id`,
      [LINES_PER_DIGEST],
    );
    if (!summaries.length) return 0;
    const claimed: { manager_id: string }[] = await manager.query(
      `INSERT INTO digests (manager_id, london_date, alert_count, created_at)
       SELECT * FROM unnest($1::text[], $2::date[], $3::int[], $4::timestamptz[])
       ON CONFLICT (manager_id, london_date) DO NOTHING RETURNING manager_id`,
      [summaries.map((s) => s.manager_id), summaries.map(() => londonDate), summaries.map((s) => s.alert_count), summaries.map(() => now.toISOString())],
    );
    const mine = new Set(claimed.map((row) => row.manager_id));
    const toSend = summaries.filter((summary) => mine.has(summary.manager_id));
    if (!toSend.length) return 0;
    await manager.query(
      `INSERT INTO deliveries (channel, purpose, recipient_id, payload, status)
       SELECT 'email', 'digest', recipient_id, payload, 'pending' FROM unnest($1::text[], $2::jsonb[]) AS d(recipient_id, payload)`,
      [toSend.map((s) => s.manager_id), toSend.map((s) => JSON.stringify(digestEmail(s, londonDate)))],
    );
    return toSend.length;
  }
}

export function digestEmail(summary: ManagerSummary, londonDate: string): EmailPayload {
  const day = formatLongDate(parseLocalDate(londonDate));
  const lines = summary.lines.map(
    (line) =>
      `- ${line.severity.toUpperCase()} ${line.level}: ${line.kind} due ${line.dueDate}, case ${line.caseReference ?? 'unknown'}, ${line.workerId} (${line.teamId}), ${line.state}`,
  );
  const more = summary.alert_count > summary.lines.length ? [`…and ${summary.alert_count - summary.lines.length} more in the alerts dashboard.`] : [];
  return {
    subject: `[PLO digest] ${day}: ${summary.alert_count} active alert(s) in your teams`,
    text: [
      `Active alerts in your teams on ${day}: ${summary.critical} overdue, ${summary.high} projected, ${summary.warning} warnings; ${summary.escalated_to_me} escalated to you.`,
      '',
      ...lines,
      ...more,
    ].join('\n'),
  };
}
