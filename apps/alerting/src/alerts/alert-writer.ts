import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  Actor,
  AlertAcknowledgedV1,
  AlertEscalatedV1,
  AlertRaisedV1,
  AlertResolution,
  AlertResolvedV1,
  createEnvelope,
  EventEnvelope,
  EventTypes,
  Topics,
} from '@plo/contracts';
import { OutboxWriter } from '@plo/messaging';
import { currentContext, returningRows } from '@plo/platform';
import { DRIFT } from '../domain/alert-schedule';
import { AlertState } from '../domain/lifecycle';
import { DeliveryPlanner } from '../delivery/delivery-planner';
import { ALERT_COLUMNS, alertColumns, AlertRow } from './alert-row';

const SOURCE = 'urn:plo:alerting';
export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'alerting' };

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
  /** The alert to raise now, if any; otherwise only the next instant moves. */
  raise: { level: string; severity: AlertRow['severity']; escalatesAt: Date | null } | null;
  nextAt: Date | null;
}

export interface Resolution {
  alert: AlertRow;
  resolution: AlertResolution;
  resolvedBy?: string;
  reason?: string;
  satisfiedOn?: string | null;
}

interface Change {
  before: AlertState | null;
  after: AlertRow;
  transition: 'raised' | 'acknowledged' | 'escalated' | 'resolved' | 'reassigned';
  actor: Actor;
  detail: Record<string, unknown>;
  event?: { type: string; data: object; causationId?: string };
}

/**
 * Every write to alerts goes through here, set-based, inside the caller's transaction: the state
 * change, its row in the append-only history, its event on the outbox and its deliveries commit
 * together or not at all.
 */
@Injectable()
export class AlertWriter {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly deliveries: DeliveryPlanner,
  ) {}

  /**
   * Raises the alerts that do not exist yet; the unique (subject, level, due date) constraint makes
   * a second attempt — a redelivered event, a restarted or concurrent scheduler — a no-op. A drift
   * alert supersedes the warnings and projection on the same obligation.
   */
  async raise(manager: EntityManager, candidates: NewAlert[], now: Date, actor: Actor = SYSTEM_ACTOR): Promise<AlertRow[]> {
    if (!candidates.length) return [];
    const ids: string[] = candidates.map(() => randomUUID());
    const inserted: AlertRow[] = await manager.query(
      `INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation,
                           state, team_id, worker_id, recipient_id, raised_at, escalates_at)
       SELECT id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation,
              'open', team_id, worker_id, recipient_id, $16, escalates_at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::uuid[], $6::uuid[], $7::text[], $8::uuid[], $9::text[],
                     $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::timestamptz[])
           AS c(id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation,
                team_id, worker_id, recipient_id, escalates_at)
       ON CONFLICT ON CONSTRAINT one_alert_per_subject_level_and_due_date DO NOTHING
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
      ],
    );
    if (!inserted.length) return [];
    const causation = new Map<string, string | undefined>(candidates.map((c, index) => [ids[index], c.causationId]));
    await this.record(
      manager,
      inserted.map((alert) => ({
        before: null,
        after: alert,
        transition: 'raised',
        actor,
        detail: { level: alert.level, severity: alert.severity, recipientId: alert.recipient_id },
        event: { type: EventTypes.alertRaised, data: raisedData(alert), causationId: causation.get(alert.id) },
      })),
      now,
    );
    await this.supersedeByDrift(manager, inserted, now);
    return inserted;
  }

  /** A drift alert supersedes the warnings and projection still active on the same obligation. */
  private async supersedeByDrift(manager: EntityManager, inserted: AlertRow[], now: Date) {
    const drifted = inserted.filter((alert) => alert.level === DRIFT && alert.obligation_id).map((alert) => alert.obligation_id!);
    if (!drifted.length) return;
    const superseded: AlertRow[] = await manager.query(
      `SELECT ${ALERT_COLUMNS} FROM alerts WHERE obligation_id = ANY($1::uuid[]) AND level <> $2 AND state <> 'resolved' FOR UPDATE`,
      [drifted, DRIFT],
    );
    await this.resolve(manager, superseded.map((alert) => ({ alert, resolution: 'superseded' })), now);
  }

  /**
   * The scheduler's path, built for a midnight storm. One statement claims up to `limit` open
   * obligations due by `dueBy` (FOR UPDATE SKIP LOCKED, so concurrent claimers never share a row),
   * raises their alerts as `schedules` says, writes the history and moves each obligation to its
   * next instant. Their `alert.raised` events go to the outbox as one row for the whole batch.
   */
  async raiseDue(
    manager: EntityManager,
    schedules: DueSchedule[],
    dueBy: Date,
    limit: number,
    now: Date,
  ): Promise<{ claimed: number; scheduled: number; raised: AlertRow[] }> {
    if (!schedules.length) return { claimed: 0, scheduled: 0, raised: [] };
    const rows: (AlertRow & { claimed: number; scheduled: number; causation_id: string | null })[] = await manager.query(
      `WITH schedule AS (
         SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
           AS s(kind, due_date, level, severity, escalates_at, next_at)
       ), due AS (
         -- On its own, so the plan is an index scan that stops at the limit, not a join over every due row.
         SELECT id, case_id, council_id, child_id, kind, due_date, explanation, responsible_team_id, responsible_worker_id
           FROM obligations
          WHERE status = 'open' AND next_alert_at <= $9::timestamptz
          ORDER BY next_alert_at
          LIMIT $10
            FOR UPDATE SKIP LOCKED
       ), claimed AS (
         SELECT d.*, s.level, s.severity, s.escalates_at, s.next_at
           FROM due d JOIN schedule s ON s.kind = d.kind AND s.due_date = d.due_date
       ), moved AS (
         UPDATE obligations o SET next_alert_at = c.next_at FROM claimed c WHERE o.id = c.id
       ), raised AS (
         INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation,
                             state, team_id, worker_id, recipient_id, raised_at, escalates_at)
         SELECT uuid_v7($7::timestamptz), c.id::text, c.level, c.due_date, c.id, c.case_id, c.council_id, c.child_id, c.kind, c.severity,
                c.explanation, 'open', c.responsible_team_id, c.responsible_worker_id, c.responsible_worker_id, $7::timestamptz, c.escalates_at
           FROM claimed c WHERE c.level IS NOT NULL
         ON CONFLICT ON CONSTRAINT one_alert_per_subject_level_and_due_date DO NOTHING
         RETURNING *
       ), history AS (
         INSERT INTO alert_history (alert_id, at, transition, from_state, to_state, actor, detail)
         SELECT id, $7::timestamptz, 'raised', NULL, 'open', $8::text,
                jsonb_build_object('level', level, 'severity', severity, 'recipientId', recipient_id)
           FROM raised
       )
       -- One row even when nothing was raised, so the caller always learns how many were claimed.
       SELECT (SELECT count(*) FROM due)::int AS claimed, (SELECT count(*) FROM claimed)::int AS scheduled,
              ${alertColumns('r')}, (SELECT source_event_id FROM obligations WHERE id = r.obligation_id) AS causation_id
         FROM (SELECT 1) AS always LEFT JOIN raised r ON true`,
      [
        schedules.map((s) => s.kind),
        schedules.map((s) => s.dueDate),
        schedules.map((s) => s.raise?.level ?? null),
        schedules.map((s) => s.raise?.severity ?? null),
        schedules.map((s) => s.raise?.escalatesAt?.toISOString() ?? null),
        schedules.map((s) => s.nextAt?.toISOString() ?? null),
        now.toISOString(),
        `${SYSTEM_ACTOR.kind}:${SYSTEM_ACTOR.id}`,
        dueBy.toISOString(),
        limit,
      ],
    );
    const { claimed, scheduled } = rows[0];
    const raised: AlertRow[] = [];
    const published: { alert: AlertRow; envelope: EventEnvelope }[] = [];
    for (const { claimed: _claimed, scheduled: _scheduled, causation_id: causationId, ...alert } of rows) {
      if (!alert.id) continue;
      raised.push(alert);
      published.push({ alert, envelope: alertEvent(alert, EventTypes.alertRaised, raisedData(alert), SYSTEM_ACTOR, now, causationId ?? undefined) });
    }
    if (raised.length) {
      await this.outbox.publishBatch(manager, Topics.alertEvents, published.map((p) => p.envelope));
      await this.deliveries.plan(manager, published);
      await this.supersedeByDrift(manager, raised, now);
    }
    return { claimed, scheduled, raised };
  }

  /** Resolves alerts the caller has locked (FOR UPDATE) and checked. */
  async resolve(manager: EntityManager, resolutions: Resolution[], now: Date, actor: Actor = SYSTEM_ACTOR): Promise<AlertRow[]> {
    if (!resolutions.length) return [];
    const updated = await returningRows<AlertRow>(
      manager,
      `UPDATE alerts a SET state = 'resolved', resolved_at = $5, resolution = r.resolution, resolved_by = r.resolved_by,
              resolution_reason = r.reason, escalates_at = NULL, version = a.version + 1
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS r(id, resolution, resolved_by, reason)
        WHERE a.id = r.id AND a.state <> 'resolved'
        RETURNING ${alertColumns('a')}`,
      [
        resolutions.map((r) => r.alert.id),
        resolutions.map((r) => r.resolution),
        resolutions.map((r) => r.resolvedBy ?? null),
        resolutions.map((r) => r.reason ?? null),
        now.toISOString(),
      ],
    );
    const byId = new Map(resolutions.map((r) => [r.alert.id, r]));
    await this.record(
      manager,
      updated.map((alert) => {
        const request = byId.get(alert.id)!;
        const data: AlertResolvedV1 = {
          alertId: alert.id,
          caseId: alert.case_id,
          resolution: request.resolution,
          resolvedAt: now.toISOString(),
          ...(request.resolvedBy ? { resolvedBy: request.resolvedBy } : {}),
          ...(request.reason ? { reason: request.reason } : {}),
          ...(request.satisfiedOn ? { satisfiedOn: request.satisfiedOn } : {}),
        };
        return {
          before: request.alert.state,
          after: alert,
          transition: 'resolved' as const,
          actor,
          detail: { resolution: request.resolution, reason: request.reason ?? null, satisfiedOn: request.satisfiedOn ?? null },
          event: { type: EventTypes.alertResolved, data },
        };
      }),
      now,
    );
    return updated;
  }

  async acknowledge(manager: EntityManager, alert: AlertRow, by: string, note: string | undefined, now: Date): Promise<AlertRow> {
    const [updated] = await returningRows<AlertRow>(
      manager,
      `UPDATE alerts SET state = 'acknowledged', acknowledged_by = $2, acknowledged_at = $3, acknowledgement_note = $4,
              escalates_at = NULL, version = version + 1
        WHERE id = $1 AND state = 'open' RETURNING ${ALERT_COLUMNS}`,
      [alert.id, by, now.toISOString(), note ?? null],
    );
    const data: AlertAcknowledgedV1 = {
      alertId: alert.id,
      caseId: alert.case_id,
      acknowledgedBy: by,
      acknowledgedAt: now.toISOString(),
      ...(note ? { note } : {}),
    };
    await this.record(
      manager,
      [{ before: alert.state, after: updated, transition: 'acknowledged', actor: { kind: 'user', id: by }, detail: { note: note ?? null }, event: { type: EventTypes.alertAcknowledged, data } }],
      now,
    );
    return updated;
  }

  /** Moves claimed alerts one step up the ladder. */
  async escalate(
    manager: EntityManager,
    steps: { alert: AlertRow; step: number; role: AlertEscalatedV1['recipientRole']; recipientId: string | null; nextAt: Date | null }[],
    now: Date,
  ): Promise<void> {
    if (!steps.length) return;
    const updated = await returningRows<AlertRow>(
      manager,
      `UPDATE alerts a SET escalation_step = s.step, recipient_id = s.recipient_id, escalates_at = s.next_at, version = a.version + 1
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[]) AS s(id, step, recipient_id, next_at)
        WHERE a.id = s.id AND a.state = 'open'
        RETURNING ${alertColumns('a')}`,
      [steps.map((s) => s.alert.id), steps.map((s) => s.step), steps.map((s) => s.recipientId), steps.map((s) => s.nextAt?.toISOString() ?? null)],
    );
    const byId = new Map(steps.map((s) => [s.alert.id, s]));
    await this.record(
      manager,
      updated.map((alert) => {
        const step = byId.get(alert.id)!;
        const data: AlertEscalatedV1 = {
          alertId: alert.id,
          caseId: alert.case_id,
          escalationStep: step.step,
          recipientRole: step.role,
          ...(step.recipientId ? { recipientId: step.recipientId } : {}),
          escalatedAt: now.toISOString(),
        };
        return {
          before: step.alert.state,
          after: alert,
          transition: 'escalated' as const,
          actor: SYSTEM_ACTOR,
          detail: { step: step.step, role: step.role, recipientId: step.recipientId, previousRecipientId: step.alert.recipient_id },
          event: { type: EventTypes.alertEscalated, data },
        };
      }),
      now,
    );
  }

  /** A re-allocated case takes its active alerts with it: new team, worker and recipient at the same step. */
  async reassign(manager: EntityManager, moves: { alert: AlertRow; teamId: string; workerId: string; recipientId: string | null }[], now: Date): Promise<void> {
    const changed = moves.filter((m) => m.alert.team_id !== m.teamId || m.alert.worker_id !== m.workerId || m.alert.recipient_id !== m.recipientId);
    if (!changed.length) return;
    const updated = await returningRows<AlertRow>(
      manager,
      `UPDATE alerts a SET team_id = m.team_id, worker_id = m.worker_id, recipient_id = m.recipient_id, version = a.version + 1
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS m(id, team_id, worker_id, recipient_id)
        WHERE a.id = m.id RETURNING ${alertColumns('a')}`,
      [changed.map((m) => m.alert.id), changed.map((m) => m.teamId), changed.map((m) => m.workerId), changed.map((m) => m.recipientId)],
    );
    const before = new Map(changed.map((m) => [m.alert.id, m.alert]));
    await this.record(
      manager,
      updated.map((alert) => {
        const old = before.get(alert.id)!;
        return {
          before: old.state,
          after: alert,
          transition: 'reassigned' as const,
          actor: SYSTEM_ACTOR,
          detail: { from: { teamId: old.team_id, workerId: old.worker_id, recipientId: old.recipient_id }, to: { teamId: alert.team_id, workerId: alert.worker_id, recipientId: alert.recipient_id } },
        };
      }),
      now,
    );
  }

  private async record(manager: EntityManager, changes: Change[], now: Date): Promise<void> {
    if (!changes.length) return;
    await manager.query(
      `INSERT INTO alert_history (alert_id, at, transition, from_state, to_state, actor, detail)
       SELECT alert_id, $7, transition, from_state, to_state, actor, detail
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[]) AS h(alert_id, transition, from_state, to_state, actor, detail)`,
      [
        changes.map((c) => c.after.id),
        changes.map((c) => c.transition),
        changes.map((c) => c.before),
        changes.map((c) => c.after.state),
        changes.map((c) => `${c.actor.kind}:${c.actor.id}`),
        changes.map((c) => JSON.stringify(c.detail)),
        now.toISOString(),
      ],
    );
    const published: { alert: AlertRow; envelope: EventEnvelope }[] = [];
    for (const change of changes) {
      if (!change.event) continue;
      const envelope = alertEvent(change.after, change.event.type, change.event.data, change.actor, now, change.event.causationId);
      published.push({ alert: change.after, envelope });
    }
    if (!published.length) return;
    await this.outbox.publish(manager, Topics.alertEvents, published.map((p) => p.envelope));
    await this.deliveries.plan(manager, published);
  }
}

/** An alert's event, in the correlation of the work in hand; caused by `causationId`, or else by what that work is handling. */
function alertEvent(alert: AlertRow, type: string, data: object, actor: Actor, now: Date, causationId?: string): EventEnvelope {
  const context = currentContext();
  return createEnvelope(
    SOURCE,
    type,
    alert.case_id,
    data,
    { correlationId: context?.correlationId ?? randomUUID(), causationId: causationId ?? context?.causationId, actor },
    now,
  );
}

function raisedData(alert: AlertRow): AlertRaisedV1 {
  return {
    alertId: alert.id,
    caseId: alert.case_id,
    councilId: alert.council_id,
    ...(alert.obligation_id ? { obligationId: alert.obligation_id } : {}),
    ...(alert.child_id ? { childId: alert.child_id } : {}),
    kind: alert.kind,
    level: alert.level,
    severity: alert.severity,
    dueDate: alert.due_date,
    raisedAt: new Date(alert.raised_at).toISOString(),
    explanation: alert.explanation,
    teamId: alert.team_id,
    workerId: alert.worker_id,
    ...(alert.recipient_id ? { recipientId: alert.recipient_id } : {}),
  };
}
