import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  Actor,
  AlertAcknowledgedV1,
  AlertEscalatedV1,
  AlertRaisedV1,
  AlertResolution,
  AlertResolvedV1,
  EventEnvelope,
  EventTypes,
} from '@plo/contracts';
import { Change, ChangeOf, Transaction, UnitOfWork } from '@plo/messaging';
import { DRIFT } from '../domain/alert-schedule';
import { AlertState } from '../domain/lifecycle';
import { DeliveryPlanner } from '../delivery/delivery-planner';
import { AlertRow } from './alert-row';
import { AlertsStore, DueRaised, DueSchedule, EscalationStep, HistoryEntry, NewAlert, Reassignment } from './alerts.store';

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'alerting' };

/**
 * Alert work by the service itself. It usually spans cases (a run of consumed events, a storm), and
 * every alert event is keyed by its own alert's case, so such a change has no single case as subject.
 */
export const SYSTEM_CHANGE: ChangeOf = { subject: 'alerts of many cases', actor: SYSTEM_ACTOR };

export interface Resolution {
  alert: AlertRow;
  resolution: AlertResolution;
  resolvedBy?: string;
  reason?: string;
  satisfiedOn?: string | null;
}

interface Transition {
  before: AlertState | null;
  after: AlertRow;
  transition: HistoryEntry['transition'];
  detail: Record<string, unknown>;
  event?: { type: string; data: object; causationId?: string };
}

/**
 * Every write to alerts goes through here, set-based, inside the caller's change: the state change,
 * its row in the append-only history, its event and its deliveries commit together or not at all.
 * Transitions happen at the change's instant and are made by the change's actor.
 */
@Injectable()
export class AlertWriter {
  constructor(
    private readonly store: AlertsStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly deliveries: DeliveryPlanner,
  ) {}

  /**
   * Raises the alerts that have no active alert for their subject, level and due date: the first
   * episode, or the next after a resolved one (a drift that was cleared and came back). The unique
   * constraints make a second attempt — a redelivered event, a restarted or concurrent scheduler — a
   * no-op. A drift alert supersedes the warnings and projection on the same obligation.
   */
  async raise(change: Change, candidates: NewAlert[]): Promise<AlertRow[]> {
    if (!candidates.length) return [];
    const ids: string[] = candidates.map(() => randomUUID());
    const inserted = await this.store.insert(change, candidates, ids, change.now);
    if (!inserted.length) return [];
    const causation = new Map<string, string | undefined>(candidates.map((c, index) => [ids[index], c.causationId]));
    await this.record(
      change,
      inserted.map((alert) => ({
        before: null,
        after: alert,
        transition: 'raised',
        detail: { level: alert.level, severity: alert.severity, recipientId: alert.recipient_id },
        event: { type: EventTypes.alertRaised, data: raisedData(alert), causationId: causation.get(alert.id) },
      })),
    );
    await this.supersedeByDrift(change, inserted);
    return inserted;
  }

  /** A drift alert supersedes the warnings and projection still active on the same obligation. */
  private async supersedeByDrift(change: Change, inserted: AlertRow[]) {
    const drifted = inserted.filter((alert) => alert.level === DRIFT && alert.obligation_id).map((alert) => alert.obligation_id!);
    if (!drifted.length) return;
    const superseded = await this.store.lockSupersededByDrift(change, drifted);
    await this.resolve(
      change,
      superseded.map((alert) => ({ alert, resolution: 'superseded' })),
    );
  }

  /**
   * The scheduler's path, built for a midnight storm: claims up to `limit` obligations due by `dueBy`
   * and raises what `schedules` says in one statement. Their `alert.raised` events go to the outbox as
   * one row for the whole batch; the resolutions drift brings follow it as a change of their own, so
   * they leave after the alerts that superseded them.
   */
  async raiseDue(
    tx: Transaction,
    schedules: DueSchedule[],
    dueBy: Date,
    limit: number,
  ): Promise<{ claimed: number; scheduled: number; raised: DueRaised[] }> {
    if (!schedules.length) return { claimed: 0, scheduled: 0, raised: [] };
    const result = await this.unitOfWork.within(tx, SYSTEM_CHANGE, async (change) => {
      const { claimed, scheduled, raised } = await this.store.claimDue(change, schedules, dueBy, limit, change.now, historyActor(change));
      const published = raised.map(({ alert, causationId }) => ({
        alert,
        envelope: change.emit(EventTypes.alertRaised, raisedData(alert), {
          subject: alert.case_id,
          causationId: causationId ?? undefined,
          bulk: true,
        }),
      }));
      if (published.length) await this.deliveries.plan(change, published);
      return { claimed, scheduled, raised };
    });
    if (result.raised.length)
      await this.unitOfWork.within(tx, SYSTEM_CHANGE, (change) =>
        this.supersedeByDrift(
          change,
          result.raised.map(({ alert }) => alert),
        ),
      );
    return result;
  }

  /**
   * Drift that history already settled (an obligation met late in an import, or a fact entered late):
   * kept as a resolved, historical alert with its history rows, so the record shows it, but neither
   * published nor delivered — nobody is to act on it.
   */
  async recordHistorical(change: Change, obligationIds: string[]): Promise<AlertRow[]> {
    if (!obligationIds.length) return [];
    return this.store.recordHistorical(change, obligationIds, change.now, historyActor(change));
  }

  /** Resolves alerts the caller has locked (FOR UPDATE) and checked. */
  async resolve(change: Change, resolutions: Resolution[]): Promise<AlertRow[]> {
    if (!resolutions.length) return [];
    const now = change.now;
    const updated = await this.store.resolve(
      change,
      resolutions.map((r) => ({ id: r.alert.id, resolution: r.resolution, resolvedBy: r.resolvedBy ?? null, reason: r.reason ?? null })),
      now,
    );
    const byId = new Map(resolutions.map((r) => [r.alert.id, r]));
    await this.record(
      change,
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
          detail: { resolution: request.resolution, reason: request.reason ?? null, satisfiedOn: request.satisfiedOn ?? null },
          event: { type: EventTypes.alertResolved, data },
        };
      }),
    );
    return updated;
  }

  /** The change's actor takes responsibility for the alert. */
  async acknowledge(change: Change, alert: AlertRow, note: string | undefined): Promise<AlertRow> {
    const by = change.actor.id;
    const updated = await this.store.acknowledge(change, alert.id, by, note ?? null, change.now);
    const data: AlertAcknowledgedV1 = {
      alertId: alert.id,
      caseId: alert.case_id,
      acknowledgedBy: by,
      acknowledgedAt: change.now.toISOString(),
      ...(note ? { note } : {}),
    };
    await this.record(change, [
      {
        before: alert.state,
        after: updated,
        transition: 'acknowledged',
        detail: { note: note ?? null },
        event: { type: EventTypes.alertAcknowledged, data },
      },
    ]);
    return updated;
  }

  /** Moves claimed alerts one step up the ladder. */
  async escalate(change: Change, steps: EscalationStep[]): Promise<void> {
    if (!steps.length) return;
    const updated = await this.store.escalate(change, steps);
    const byId = new Map(steps.map((s) => [s.alert.id, s]));
    await this.record(
      change,
      updated.map((alert) => {
        const step = byId.get(alert.id)!;
        const data: AlertEscalatedV1 = {
          alertId: alert.id,
          caseId: alert.case_id,
          escalationStep: step.step,
          recipientRole: step.role,
          ...(step.recipientId ? { recipientId: step.recipientId } : {}),
          escalatedAt: change.now.toISOString(),
        };
        return {
          before: step.alert.state,
          after: alert,
          transition: 'escalated' as const,
          detail: { step: step.step, role: step.role, recipientId: step.recipientId, previousRecipientId: step.alert.recipient_id },
          event: { type: EventTypes.alertEscalated, data },
        };
      }),
    );
  }

  /** A re-allocated case takes its active alerts with it: new team, worker and recipient at the same step. */
  async reassign(change: Change, moves: Reassignment[]): Promise<void> {
    const changed = moves.filter(
      (m) => m.alert.team_id !== m.teamId || m.alert.worker_id !== m.workerId || m.alert.recipient_id !== m.recipientId,
    );
    if (!changed.length) return;
    const updated = await this.store.reassign(change, changed);
    const before = new Map(changed.map((m) => [m.alert.id, m.alert]));
    await this.record(
      change,
      updated.map((alert) => {
        const old = before.get(alert.id)!;
        return {
          before: old.state,
          after: alert,
          transition: 'reassigned' as const,
          detail: {
            from: { teamId: old.team_id, workerId: old.worker_id, recipientId: old.recipient_id },
            to: { teamId: alert.team_id, workerId: alert.worker_id, recipientId: alert.recipient_id },
          },
        };
      }),
    );
  }

  /** History, events (each keyed by its alert's case) and deliveries of the transitions made. */
  private async record(change: Change, transitions: Transition[]): Promise<void> {
    if (!transitions.length) return;
    const actor = historyActor(change);
    await this.store.appendHistory(
      change,
      transitions.map((t) => ({
        alertId: t.after.id,
        transition: t.transition,
        fromState: t.before,
        toState: t.after.state,
        actor,
        detail: t.detail,
      })),
      change.now,
    );
    const published: { alert: AlertRow; envelope: EventEnvelope }[] = [];
    for (const { after, event } of transitions) {
      if (!event) continue;
      published.push({
        alert: after,
        envelope: change.emit(event.type, event.data, { subject: after.case_id, causationId: event.causationId }),
      });
    }
    if (published.length) await this.deliveries.plan(change, published);
  }
}

function historyActor(change: Change): string {
  return `${change.actor.kind}:${change.actor.id}`;
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
    episode: alert.episode,
    ...(alert.previous_alert_id ? { previousAlertId: alert.previous_alert_id } : {}),
  };
}
