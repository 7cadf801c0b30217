import { Injectable } from '@nestjs/common';
import type { AlertEscalatedV1, AlertResolution, EscalationRole } from '@plo/contracts';
import type { Transaction } from '@plo/messaging';
import type { Principal } from '@plo/platform';
import { DRIFT, PROJECTED_DRIFT } from '../domain/alert-schedule';
import type { AlertState } from '../domain/lifecycle';
import { ALERTS_WITH_CASES, alertVisibilitySql } from './alert-access';
import { ALERT_COLUMNS, alertColumns, AlertRow } from './alert-row';

export interface NewAlert {
  subjectKey: string;
  level: string;
  severity: AlertRow['severity'];
  dueDate: string;
  obligationId: string | null;
  caseId: string;
  councilId: string;
  childId: string | null;
  kind: string;
  explanation: string;
  teamId: string;
  workerId: string;
  recipientId: string | null;
  escalatesAt: Date | null;
  /** The event that made the alert necessary (the obligation's schedule, a projection). */
  causationId?: string;
}

/** What falls due now for every obligation of one kind and due date: worked out once per storm, not per row. */
export interface DueSchedule {
  kind: string;
  dueDate: string;
  /** The obligation's overdue instant when it has a time of day (ISO), else null. */
  dueAt: string | null;
  /** The alert to raise now, if any, and the step of the ladder it starts at; otherwise only the next instant moves. */
  raise: { level: string; severity: AlertRow['severity']; step: number; role: EscalationRole; escalatesAt: Date | null } | null;
  nextAt: Date | null;
}

/** An alert the scheduler raised, with the event that scheduled its obligation and the obligation's time of day. */
export interface DueRaised {
  alert: AlertRow;
  causationId: string | null;
  dueAt: string | null;
}

export interface ResolvedRow {
  id: string;
  resolution: AlertResolution;
  resolvedBy: string | null;
  reason: string | null;
}

export interface EscalationStep {
  alert: AlertRow;
  step: number;
  role: AlertEscalatedV1['recipientRole'];
  recipientId: string | null;
  nextAt: Date | null;
}

export interface Reassignment {
  alert: AlertRow;
  teamId: string;
  workerId: string;
  recipientId: string | null;
}

export interface HistoryEntry {
  alertId: string;
  transition: 'raised' | 'acknowledged' | 'escalated' | 'resolved' | 'reassigned';
  fromState: AlertState | null;
  toState: AlertState;
  /** `kind:id` of who made the transition. */
  actor: string;
  detail: Record<string, unknown>;
}

export type AlertWithObligation = AlertRow & {
  o_status: 'open' | 'satisfied' | 'cancelled' | null;
  o_due_date: string | null;
  o_satisfied_on: string | null;
};
export type AlertWithAllocation = AlertRow & {
  c_team_id: string;
  c_worker_id: string;
  team_manager_id: string | null;
  service_manager_id: string | null;
};
/** With the case's current team and worker (the alert's own where alerting has not heard of the case). */
export type EscalatingAlert = AlertRow & {
  c_team_id: string;
  c_worker_id: string;
  team_manager_id: string | null;
  service_manager_id: string | null;
};

/** What a projected overrun is about: the child's proceedings clock if alerting has it, and the case's current people. */
export interface ProjectionOwners {
  clock: { id: string } | undefined;
  known: { council_id: string; team_id: string; worker_id: string; closed_on: string | null } | undefined;
}

export interface AlertFilter {
  state: 'active' | 'open' | 'acknowledged' | 'resolved';
  teamId?: string;
  workerId?: string;
  kind?: string;
  level?: string;
  severity?: string;
  /** Only alerts that have (true) or have not (false) gone up the escalation ladder. */
  escalated?: boolean;
  /** Only alerts raised at or before this instant (ISO). */
  raisedBy?: string;
  /** Keyset pagination: the page starts after this (raised_at, id). */
  after?: [string, string];
  limit: number;
}

/** Active drift by how long past its due date it is on the reporting day. */
export interface DriftAgeCounts {
  upTo1Week: number;
  upTo4Weeks: number;
  upTo12Weeks: number;
  over12Weeks: number;
}

export interface TeamTotals {
  team_id: string;
  active: number;
  open: number;
  acknowledged: number;
  drift: number;
  projected_drift: number;
  warnings: number;
  critical: number;
  high: number;
  warning: number;
  with_team_manager: number;
  with_service_manager: number;
  oldest_drift_raised_at: Date | null;
}

export interface DashboardTotals {
  active: number;
  open: number;
  acknowledged: number;
  critical: number;
  high: number;
  warning: number;
  with_team_manager: number;
  with_service_manager: number;
  met_late: number;
  oldest_open_raised_at: Date | null;
}

/** The latest episode of each candidate's subject, level and due date, as `last` (none: `last.id` is null). */
function latestEpisode(alias: string, subject = `${alias}.subject_key`): string {
  return `LEFT JOIN LATERAL (SELECT p.id, p.episode, p.state FROM alerts p
                              WHERE p.subject_key = ${subject} AND p.level = ${alias}.level AND p.due_date = ${alias}.due_date
                              ORDER BY p.episode DESC LIMIT 1) last ON true`;
}

/** The alerts, their append-only history, and the reads the API makes of them (always within what the caller may see). */
@Injectable()
export class AlertsStore {
  /**
   * Inserts the alerts whose subject, level and due date have no active alert: the first episode, or
   * the next one after a resolved alert (linked to it). An alert already raised for the same cause
   * (a replayed projection) is not raised again. The constraints make concurrent raises one.
   */
  insert(tx: Transaction, candidates: NewAlert[], ids: string[], now: Date): Promise<AlertRow[]> {
    return tx.query<AlertRow>(
      `INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation,
                           state, team_id, worker_id, recipient_id, raised_at, escalates_at, episode, previous_alert_id, cause_event_id)
       SELECT c.id, c.subject_key, c.level, c.due_date, c.obligation_id, c.case_id, c.council_id, c.child_id, c.kind, c.severity, c.explanation,
              'open', c.team_id, c.worker_id, c.recipient_id, $16, c.escalates_at, coalesce(last.episode + 1, 1), last.id, c.cause_event_id
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::uuid[], $6::uuid[], $7::text[], $8::uuid[], $9::text[],
                     $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[], $17::uuid[])
           AS c(id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation,
                team_id, worker_id, recipient_id, escalates_at, cause_event_id)
         ${latestEpisode('c')}
        WHERE (last.id IS NULL OR last.state = 'resolved')
          AND (c.cause_event_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM alerts e WHERE e.cause_event_id = c.cause_event_id AND e.subject_key = c.subject_key AND e.level = c.level))
       ON CONFLICT DO NOTHING
       RETURNING ${ALERT_COLUMNS}`,
      [
        ids,
        candidates.map((c) => c.subjectKey),
        candidates.map((c) => c.level),
        candidates.map((c) => c.dueDate),
        candidates.map((c) => c.obligationId),
        candidates.map((c) => c.caseId),
        candidates.map((c) => c.councilId),
        candidates.map((c) => c.childId),
        candidates.map((c) => c.kind),
        candidates.map((c) => c.severity),
        candidates.map((c) => c.explanation),
        candidates.map((c) => c.teamId),
        candidates.map((c) => c.workerId),
        candidates.map((c) => c.recipientId),
        candidates.map((c) => c.escalatesAt?.toISOString() ?? null),
        now.toISOString(),
        candidates.map((c) => c.causationId ?? null),
      ],
    );
  }

  /**
   * Drift that history already settled: recorded resolved (met late) and marked historical, for the
   * obligations that have no drift alert for their due date yet. Nothing is published or delivered.
   */
  recordHistorical(tx: Transaction, obligationIds: string[], now: Date, actor: string): Promise<AlertRow[]> {
    return tx.query<AlertRow>(
      `WITH recorded AS (
         INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation,
                             state, team_id, worker_id, recipient_id, raised_at, resolved_at, resolution, resolution_reason, episode,
                             previous_alert_id, historical)
         SELECT uuid_v7($2::timestamptz), o.id::text, $3, o.due_date, o.id, o.case_id, o.council_id, o.child_id, o.kind, 'critical',
                o.explanation, 'resolved', coalesce(c.team_id, o.responsible_team_id), coalesce(c.allocated_worker_id, o.responsible_worker_id),
                NULL, $2::timestamptz, $2::timestamptz, 'met-late', 'recorded from history', coalesce(last.episode + 1, 1), last.id, true
           FROM obligations o
           LEFT JOIN case_directory c ON c.case_id = o.case_id
           LEFT JOIN LATERAL (SELECT p.id, p.episode FROM alerts p
                               WHERE p.subject_key = o.id::text AND p.level = $3 AND p.due_date = o.due_date
                               ORDER BY p.episode DESC LIMIT 1) last ON true
          WHERE o.id = ANY($1::uuid[]) AND o.status = 'satisfied' AND o.satisfied_on > o.due_date AND last.id IS NULL
         ON CONFLICT DO NOTHING
         RETURNING *
       ), history AS (
         INSERT INTO alert_history (alert_id, at, transition, from_state, to_state, actor, detail)
         SELECT id, $2::timestamptz, t.transition, t.from_state, t.to_state, $4::text,
                jsonb_build_object('historical', true, 'level', level, 'resolution', resolution)
           FROM recorded, (VALUES (1, 'raised', NULL, 'open'), (2, 'resolved', 'open', 'resolved')) AS t(n, transition, from_state, to_state)
          ORDER BY id, t.n
       )
       SELECT ${alertColumns('r')} FROM recorded r`,
      [obligationIds, now.toISOString(), DRIFT, actor],
    );
  }

  /**
   * One statement claims up to `limit` open obligations due by `dueBy` (FOR UPDATE SKIP LOCKED, so
   * concurrent claimers never share a row), raises their alerts as `schedules` says, writes the
   * history and moves each obligation to its next instant. Each raised alert comes with the event that
   * scheduled its obligation.
   */
  async claimDue(
    tx: Transaction,
    schedules: DueSchedule[],
    dueBy: Date,
    limit: number,
    now: Date,
    actor: string,
  ): Promise<{ claimed: number; scheduled: number; raised: DueRaised[] }> {
    const rows = await tx.query<AlertRow & { claimed: number; scheduled: number; causation_id: string | null; o_due_at: Date | null }>(
      `WITH schedule AS (
         SELECT * FROM unnest($1::text[], $2::date[], $11::timestamptz[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                              $12::int[], $13::text[])
           AS s(kind, due_date, due_at, level, severity, escalates_at, next_at, step, role)
       ), due AS (
         -- On its own, so the plan is an index scan that stops at the limit, not a join over every due row.
         -- The team and worker are the case's now, from alerting's copy of its allocation: a re-allocation
         -- holds the case row until it commits, and then moves every active alert of the case, so an
         -- alert raised meanwhile either waits for the new people or is there to be moved.
         SELECT o.id, o.case_id, o.council_id, o.child_id, o.kind, o.due_date, o.due_at, o.explanation,
                c.team_id, c.allocated_worker_id AS worker_id, c.team_manager_id, t.service_manager_id
           FROM obligations o JOIN case_directory c ON c.case_id = o.case_id
           LEFT JOIN team_directory t ON t.council_id = c.council_id AND t.team_id = c.team_id
          WHERE o.status = 'open' AND o.next_alert_at <= $9::timestamptz
          ORDER BY o.next_alert_at
          LIMIT $10
            FOR UPDATE OF o SKIP LOCKED
            FOR SHARE OF c
       ), claimed AS (
         -- The recipient is the person at the alert's first step, as recipientFor names them.
         SELECT d.*, s.level, s.severity, s.escalates_at, s.next_at, s.step,
                CASE s.role WHEN 'allocated-worker' THEN d.worker_id WHEN 'team-manager' THEN d.team_manager_id
                            WHEN 'service-manager' THEN d.service_manager_id END AS recipient_id
           FROM due d JOIN schedule s ON s.kind = d.kind AND s.due_date = d.due_date AND s.due_at IS NOT DISTINCT FROM d.due_at
       ), moved AS (
         UPDATE obligations o SET next_alert_at = c.next_at FROM claimed c WHERE o.id = c.id
       ), raised AS (
         INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation,
                             state, team_id, worker_id, recipient_id, raised_at, escalates_at, escalation_step, episode, previous_alert_id)
         SELECT uuid_v7($7::timestamptz), c.id::text, c.level, c.due_date, c.id, c.case_id, c.council_id, c.child_id, c.kind, c.severity,
                c.explanation, 'open', c.team_id, c.worker_id, c.recipient_id, $7::timestamptz, c.escalates_at, coalesce(c.step, 0),
                coalesce(last.episode + 1, 1), last.id
           FROM claimed c ${latestEpisode('c', 'c.id::text')}
          WHERE c.level IS NOT NULL AND (last.id IS NULL OR last.state = 'resolved')
         ON CONFLICT DO NOTHING
         RETURNING *
       ), history AS (
         INSERT INTO alert_history (alert_id, at, transition, from_state, to_state, actor, detail)
         SELECT id, $7::timestamptz, 'raised', NULL, 'open', $8::text,
                jsonb_build_object('level', level, 'severity', severity, 'recipientId', recipient_id)
           FROM raised
       )
       -- One row even when nothing was raised, so the caller always learns how many were claimed.
       SELECT (SELECT count(*) FROM due)::int AS claimed, (SELECT count(*) FROM claimed)::int AS scheduled,
              ${alertColumns('r')}, c.source_event_id AS causation_id, c.due_at AS o_due_at
         FROM (SELECT 1) AS always LEFT JOIN raised r ON true LEFT JOIN obligations c ON c.id = r.obligation_id`,
      [
        schedules.map((s) => s.kind),
        schedules.map((s) => s.dueDate),
        schedules.map((s) => s.raise?.level ?? null),
        schedules.map((s) => s.raise?.severity ?? null),
        schedules.map((s) => s.raise?.escalatesAt?.toISOString() ?? null),
        schedules.map((s) => s.nextAt?.toISOString() ?? null),
        now.toISOString(),
        actor,
        dueBy.toISOString(),
        limit,
        schedules.map((s) => s.dueAt),
        schedules.map((s) => s.raise?.step ?? null),
        schedules.map((s) => s.raise?.role ?? null),
      ],
    );
    const { claimed, scheduled } = rows[0];
    const raised: DueRaised[] = [];
    for (const { claimed: _claimed, scheduled: _scheduled, causation_id: causationId, o_due_at: dueAt, ...alert } of rows) {
      if (alert.id) raised.push({ alert, causationId, dueAt: dueAt ? new Date(dueAt).toISOString() : null });
    }
    return { claimed, scheduled, raised };
  }

  /** The warnings and projection still active on obligations that have drifted, locked. */
  lockSupersededByDrift(tx: Transaction, obligationIds: string[]): Promise<AlertRow[]> {
    return tx.query<AlertRow>(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE obligation_id = ANY($1::uuid[]) AND level <> $2 AND state <> 'resolved' FOR UPDATE`,
      [obligationIds, DRIFT],
    );
  }

  /** Active alerts of the obligations, locked, with what the obligation now says. */
  lockActiveWithObligation(tx: Transaction, obligationIds: string[]): Promise<AlertWithObligation[]> {
    return tx.query<AlertWithObligation>(
      `SELECT ${alertColumns('a')}, o.status AS o_status, to_char(o.due_date, 'YYYY-MM-DD') AS o_due_date,
              to_char(o.satisfied_on, 'YYYY-MM-DD') AS o_satisfied_on
         FROM alerts a JOIN obligations o ON o.id = a.obligation_id
        WHERE a.obligation_id = ANY($1::uuid[]) AND a.state <> 'resolved'
          FOR UPDATE OF a`,
      [obligationIds],
    );
  }

  lockActiveOfCases(tx: Transaction, caseIds: string[]): Promise<AlertRow[]> {
    return tx.query<AlertRow>(`SELECT ${alertColumns()} FROM alerts WHERE case_id = ANY($1::uuid[]) AND state <> 'resolved' FOR UPDATE`, [
      caseIds,
    ]);
  }

  /** Active alerts of the cases, locked, with each case's current people. */
  lockActiveWithAllocation(tx: Transaction, caseIds: string[]): Promise<AlertWithAllocation[]> {
    return tx.query<AlertWithAllocation>(
      `SELECT ${alertColumns('a')}, c.team_id AS c_team_id, c.allocated_worker_id AS c_worker_id, c.team_manager_id, t.service_manager_id
         FROM alerts a JOIN case_directory c ON c.case_id = a.case_id LEFT JOIN team_directory t ON t.council_id = c.council_id AND t.team_id = c.team_id
        WHERE a.case_id = ANY($1::uuid[]) AND a.state <> 'resolved'
          FOR UPDATE OF a`,
      [caseIds],
    );
  }

  lockActiveBySubject(tx: Transaction, subjectKey: string, level: string): Promise<AlertRow[]> {
    return tx.query<AlertRow>(
      `SELECT ${alertColumns()} FROM alerts WHERE subject_key = $1 AND level = $2 AND state <> 'resolved' FOR UPDATE`,
      [subjectKey, level],
    );
  }

  /** Open alerts whose escalation is due, oldest first, claimed (SKIP LOCKED), with the managers they may go to. */
  claimDueEscalations(tx: Transaction, now: Date, limit: number): Promise<EscalatingAlert[]> {
    return tx.query<EscalatingAlert>(
      `SELECT ${alertColumns('a')}, coalesce(c.team_id, a.team_id) AS c_team_id, coalesce(c.allocated_worker_id, a.worker_id) AS c_worker_id,
              c.team_manager_id, t.service_manager_id
         FROM alerts a
         LEFT JOIN case_directory c ON c.case_id = a.case_id
         LEFT JOIN team_directory t ON t.council_id = coalesce(c.council_id, a.council_id) AND t.team_id = coalesce(c.team_id, a.team_id)
        WHERE a.state = 'open' AND a.escalates_at <= $1
        ORDER BY a.escalates_at
        LIMIT $2
          FOR UPDATE OF a SKIP LOCKED`,
      [now.toISOString(), limit],
    );
  }

  /**
   * Whether drift on the obligation, for this due date, is raised and not resolved: what a projection of
   * that drift would be superseded by. The drift row is held (FOR SHARE) so it cannot resolve meanwhile.
   */
  async hasLiveDrift(tx: Transaction, obligationId: string, dueDate: string): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM alerts WHERE obligation_id = $1 AND level = $2 AND due_date = $3 AND state <> 'resolved' FOR SHARE`,
      [obligationId, DRIFT, dueDate],
    );
    return rows.length > 0;
  }

  /** The case row is held (FOR SHARE) until the raise commits, so a re-allocation committing meanwhile moves the alert. */
  async projectionOwners(tx: Transaction, caseId: string, childId: string): Promise<ProjectionOwners> {
    const [clock] = await tx.query<NonNullable<ProjectionOwners['clock']>>(
      `SELECT id FROM obligations WHERE case_id = $1 AND child_id = $2 AND kind = 'proceedings-completion'
        ORDER BY (status = 'open') DESC, due_date DESC LIMIT 1`,
      [caseId, childId],
    );
    const [known] = await tx.query<NonNullable<ProjectionOwners['known']>>(
      `SELECT council_id, team_id, allocated_worker_id AS worker_id, closed_on FROM case_directory WHERE case_id = $1 FOR SHARE`,
      [caseId],
    );
    return { clock, known };
  }

  resolve(tx: Transaction, resolutions: ResolvedRow[], now: Date): Promise<AlertRow[]> {
    return tx.query<AlertRow>(
      `UPDATE alerts a SET state = 'resolved', resolved_at = $5, resolution = r.resolution, resolved_by = r.resolved_by,
              resolution_reason = r.reason, escalates_at = NULL, version = a.version + 1
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS r(id, resolution, resolved_by, reason)
        WHERE a.id = r.id AND a.state <> 'resolved'
        RETURNING ${alertColumns('a')}`,
      [
        resolutions.map((r) => r.id),
        resolutions.map((r) => r.resolution),
        resolutions.map((r) => r.resolvedBy),
        resolutions.map((r) => r.reason),
        now.toISOString(),
      ],
    );
  }

  async acknowledge(tx: Transaction, id: string, by: string, note: string | null, now: Date): Promise<AlertRow> {
    const [updated] = await tx.query<AlertRow>(
      `UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, acknowledgement_note = $4,
              escalates_at = NULL, version = version + 1
        WHERE id = $1 AND state = 'open' RETURNING ${ALERT_COLUMNS}`,
      [id, by, now.toISOString(), note],
    );
    return updated;
  }

  escalate(tx: Transaction, steps: EscalationStep[]): Promise<AlertRow[]> {
    return tx.query<AlertRow>(
      `UPDATE alerts a SET escalation_step = s.step, recipient_id = s.recipient_id, escalates_at = s.next_at, version = a.version + 1
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[]) AS s(id, step, recipient_id, next_at)
        WHERE a.id = s.id AND a.state = 'open'
        RETURNING ${alertColumns('a')}`,
      [
        steps.map((s) => s.alert.id),
        steps.map((s) => s.step),
        steps.map((s) => s.recipientId),
        steps.map((s) => s.nextAt?.toISOString() ?? null),
      ],
    );
  }

  reassign(tx: Transaction, moves: Reassignment[]): Promise<AlertRow[]> {
    return tx.query<AlertRow>(
      `UPDATE alerts a SET team_id = m.team_id, worker_id = m.worker_id, recipient_id = m.recipient_id, version = a.version + 1
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS m(id, team_id, worker_id, recipient_id)
        WHERE a.id = m.id RETURNING ${alertColumns('a')}`,
      [moves.map((m) => m.alert.id), moves.map((m) => m.teamId), moves.map((m) => m.workerId), moves.map((m) => m.recipientId)],
    );
  }

  async appendHistory(tx: Transaction, entries: HistoryEntry[], now: Date): Promise<void> {
    await tx.query(
      `INSERT INTO alert_history (alert_id, at, transition, from_state, to_state, actor, detail)
       SELECT alert_id, $7, transition, from_state, to_state, actor, detail
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) AS h(alert_id, transition, from_state, to_state, actor, detail)`,
      [
        entries.map((e) => e.alertId),
        entries.map((e) => e.transition),
        entries.map((e) => e.fromState),
        entries.map((e) => e.toState),
        entries.map((e) => e.actor),
        entries.map((e) => JSON.stringify(e.detail)),
        now.toISOString(),
      ],
    );
  }

  /** A page of the alerts the principal may see, newest first; one more row than the limit tells whether more follow. */
  page(tx: Transaction, filter: AlertFilter, principal: Principal): Promise<AlertRow[]> {
    const values: unknown[] = [];
    const conditions = [alertVisibilitySql(principal, values)];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      conditions.push(sql.replace('?', `$${values.length}`));
    };
    if (filter.state === 'active') conditions.push(`a.state <> 'resolved'`);
    else add('a.state = ?', filter.state);
    if (filter.teamId) add('a.team_id = ?', filter.teamId);
    if (filter.workerId) add('a.worker_id = ?', filter.workerId);
    if (filter.kind) add('a.kind = ?', filter.kind);
    if (filter.level) add('a.level = ?', filter.level);
    if (filter.severity) add('a.severity = ?', filter.severity);
    if (filter.escalated !== undefined) conditions.push(filter.escalated ? 'a.escalation_step > 0' : 'a.escalation_step = 0');
    if (filter.raisedBy !== undefined) add('a.raised_at <= ?', filter.raisedBy);
    if (filter.after) {
      values.push(...filter.after);
      conditions.push(`(a.raised_at, a.id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
    }
    values.push(filter.limit + 1);
    return tx.query<AlertRow>(
      `SELECT ${alertColumns('a')} FROM ${ALERTS_WITH_CASES} WHERE ${conditions.join(' AND ')} ORDER BY a.raised_at DESC, a.id DESC LIMIT $${values.length}`,
      values,
    );
  }

  async dashboard(
    tx: Transaction,
    principal: Principal,
    teamId: string | undefined,
    today: string,
  ): Promise<{ totals: DashboardTotals; byKind: { kind: string; active: number }[]; driftByAge: DriftAgeCounts }> {
    const values: unknown[] = [];
    // History recorded from an import or a late fact is for the record, not for anyone's workload.
    const conditions = [alertVisibilitySql(principal, values), 'NOT a.historical'];
    if (teamId) {
      values.push(teamId);
      conditions.push(`a.team_id = $${values.length}`);
    }
    const where = conditions.join(' AND ');
    const [totals] = await tx.query<DashboardTotals>(
      `SELECT count(*) FILTER (WHERE a.state <> 'resolved')::int AS active,
              count(*) FILTER (WHERE a.state = 'open')::int AS open,
              count(*) FILTER (WHERE a.state = 'acknowledged')::int AS acknowledged,
              count(*) FILTER (WHERE a.state <> 'resolved' AND a.severity = 'critical')::int AS critical,
              count(*) FILTER (WHERE a.state <> 'resolved' AND a.severity = 'high')::int AS high,
              count(*) FILTER (WHERE a.state <> 'resolved' AND a.severity = 'warning')::int AS warning,
              count(*) FILTER (WHERE a.state = 'open' AND a.escalation_step = 1)::int AS with_team_manager,
              count(*) FILTER (WHERE a.state = 'open' AND a.escalation_step = 2)::int AS with_service_manager,
              count(*) FILTER (WHERE a.resolution = 'met-late')::int AS met_late,
              min(a.raised_at) FILTER (WHERE a.state = 'open') AS oldest_open_raised_at
         FROM ${ALERTS_WITH_CASES} WHERE ${where}`,
      values,
    );
    const byKind = await tx.query<{ kind: string; active: number }>(
      `SELECT a.kind, count(*)::int AS active FROM ${ALERTS_WITH_CASES} WHERE ${where} AND a.state <> 'resolved' GROUP BY a.kind ORDER BY a.kind`,
      values,
    );
    values.push(today);
    const overdueDays = `($${values.length}::date - a.due_date)`;
    const [driftByAge] = await tx.query<DriftAgeCounts>(
      `SELECT count(*) FILTER (WHERE ${overdueDays} <= 7)::int AS "upTo1Week",
              count(*) FILTER (WHERE ${overdueDays} > 7 AND ${overdueDays} <= 28)::int AS "upTo4Weeks",
              count(*) FILTER (WHERE ${overdueDays} > 28 AND ${overdueDays} <= 84)::int AS "upTo12Weeks",
              count(*) FILTER (WHERE ${overdueDays} > 84)::int AS "over12Weeks"
         FROM ${ALERTS_WITH_CASES} WHERE ${where} AND a.state <> 'resolved' AND a.level = 'drift'`,
      values,
    );
    return { totals, byKind, driftByAge };
  }

  /** Active alerts counted per team, of the alerts the principal may see (optionally one team's). */
  teams(tx: Transaction, principal: Principal, teamId: string | undefined): Promise<TeamTotals[]> {
    const values: unknown[] = [];
    const conditions = [alertVisibilitySql(principal, values), 'NOT a.historical', `a.state <> 'resolved'`];
    if (teamId) {
      values.push(teamId);
      conditions.push(`a.team_id = $${values.length}`);
    }
    return tx.query<TeamTotals>(
      `SELECT a.team_id,
              count(*)::int AS active,
              count(*) FILTER (WHERE a.state = 'open')::int AS open,
              count(*) FILTER (WHERE a.state = 'acknowledged')::int AS acknowledged,
              count(*) FILTER (WHERE a.level = '${DRIFT}')::int AS drift,
              count(*) FILTER (WHERE a.level = '${PROJECTED_DRIFT}')::int AS projected_drift,
              count(*) FILTER (WHERE a.level LIKE 'warning-%')::int AS warnings,
              count(*) FILTER (WHERE a.severity = 'critical')::int AS critical,
              count(*) FILTER (WHERE a.severity = 'high')::int AS high,
              count(*) FILTER (WHERE a.severity = 'warning')::int AS warning,
              count(*) FILTER (WHERE a.state = 'open' AND a.escalation_step = 1)::int AS with_team_manager,
              count(*) FILTER (WHERE a.state = 'open' AND a.escalation_step = 2)::int AS with_service_manager,
              min(a.raised_at) FILTER (WHERE a.level = '${DRIFT}') AS oldest_drift_raised_at
         FROM ${ALERTS_WITH_CASES} WHERE ${conditions.join(' AND ')} GROUP BY a.team_id ORDER BY a.team_id`,
      values,
    );
  }

  /** The alert if the principal may see it; `lock` takes it FOR UPDATE. */
  async find(tx: Transaction, id: string, principal: Principal, lock = false): Promise<AlertRow | undefined> {
    const values: unknown[] = [id];
    const visible = alertVisibilitySql(principal, values);
    const [row] = await tx.query<AlertRow>(
      `SELECT ${alertColumns('a')} FROM ${ALERTS_WITH_CASES} WHERE a.id = $1 AND ${visible}${lock ? ' FOR UPDATE OF a' : ''}`,
      values,
    );
    return row;
  }

  history(tx: Transaction, alertId: string) {
    return tx.query<{
      id: string;
      at: Date;
      transition: string;
      fromState: string | null;
      toState: string;
      actor: string;
      detail: unknown;
    }>(
      `SELECT id, at, transition, from_state AS "fromState", to_state AS "toState", actor, detail FROM alert_history WHERE alert_id = $1 ORDER BY id`,
      [alertId],
    );
  }
}
