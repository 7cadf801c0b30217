import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DriftProjectedV1, DriftProjectionClearedV1, EventEnvelope } from '@plo/contracts';
import { runWithContext } from '@plo/platform';
import { AlertPolicy } from '../domain/alert-policy';
import { PROJECTED_DRIFT } from '../domain/alert-schedule';
import { nextEscalationAt, recipientFor } from '../domain/escalation';
import { automaticResolution } from '../domain/lifecycle';
import type { ProjectionBatch } from '../projection/obligation-projection';
import { AlertRow, alertColumns } from './alert-row';
import { AlertWriter, Resolution } from './alert-writer';

type AlertWithObligation = AlertRow & { o_status: 'open' | 'satisfied' | 'cancelled' | null; o_due_date: string | null; o_satisfied_on: string | null };
type AlertWithAllocation = AlertRow & { c_team_id: string; c_worker_id: string; team_manager_id: string | null; service_manager_id: string | null };

/** The key of a projected overrun: one child's clock in one set of proceedings. */
export function projectionKey(proceedingsId: string, childId: string): string {
  return `proceedings:${proceedingsId}:child:${childId}`;
}

/**
 * What applied events mean for alerts: obligations met, ended or moved resolve their alerts; a
 * re-allocated case takes its alerts along; PLO's projections raise and clear alerts. Everything is
 * set-based and idempotent, so the live consumer and the rebuild share it.
 */
@Injectable()
export class AlertEffects {
  constructor(
    private readonly writer: AlertWriter,
    private readonly policy: AlertPolicy,
  ) {}

  async afterProjection(manager: EntityManager, batch: ProjectionBatch, now: Date): Promise<void> {
    await this.settle(manager, [...batch.settled], now);
    await this.endForClosedCases(manager, [...batch.closedCases], now);
    await this.moveWithAllocation(manager, [...batch.reallocatedCases], now);
    for (const signal of batch.signals) {
      // Each projection's alert events carry the correlation of the PLO event behind it, even in a batch.
      await runWithContext({ correlationId: signal.event.correlationid, causationId: signal.event.id }, () =>
        signal.type === 'drift-projected' ? this.projected(manager, signal.event, now) : this.projectionCleared(manager, signal.event, now),
      );
    }
  }

  private async settle(manager: EntityManager, obligationIds: string[], now: Date) {
    if (!obligationIds.length) return;
    const active: AlertWithObligation[] = await manager.query(
      `SELECT ${alertColumns('a')}, o.status AS o_status, to_char(o.due_date, 'YYYY-MM-DD') AS o_due_date,
              to_char(o.satisfied_on, 'YYYY-MM-DD') AS o_satisfied_on
         FROM alerts a JOIN obligations o ON o.id = a.obligation_id
        WHERE a.obligation_id = ANY($1::uuid[]) AND a.state <> 'resolved'
          FOR UPDATE OF a`,
      [obligationIds],
    );
    const resolutions: Resolution[] = [];
    for (const alert of active) {
      const resolution = automaticResolution({ status: alert.o_status!, dueDate: alert.o_due_date!, satisfiedOn: alert.o_satisfied_on }, alert.due_date);
      if (resolution) resolutions.push({ alert, resolution, satisfiedOn: alert.o_satisfied_on });
    }
    await this.writer.resolve(manager, resolutions, now);
  }

  /** Projections and anything else still active on a closed case end with it. */
  private async endForClosedCases(manager: EntityManager, caseIds: string[], now: Date) {
    if (!caseIds.length) return;
    const active: AlertRow[] = await manager.query(
      `SELECT ${alertColumns()} FROM alerts WHERE case_id = ANY($1::uuid[]) AND state <> 'resolved' FOR UPDATE`,
      [caseIds],
    );
    await this.writer.resolve(manager, active.map((alert) => ({ alert, resolution: 'ended', reason: 'case closed' })), now);
  }

  /** Active alerts take the case's current worker, team and (at their step) recipient. */
  async moveWithAllocation(manager: EntityManager, caseIds: string[], now: Date) {
    if (!caseIds.length) return;
    const active: AlertWithAllocation[] = await manager.query(
      `SELECT ${alertColumns('a')}, c.team_id AS c_team_id, c.allocated_worker_id AS c_worker_id, c.team_manager_id, t.service_manager_id
         FROM alerts a JOIN case_directory c ON c.case_id = a.case_id LEFT JOIN team_directory t ON t.team_id = c.team_id
        WHERE a.case_id = ANY($1::uuid[]) AND a.state <> 'resolved'
          FOR UPDATE OF a`,
      [caseIds],
    );
    await this.writer.reassign(
      manager,
      active.map((alert) => ({
        alert,
        teamId: alert.c_team_id,
        workerId: alert.c_worker_id,
        recipientId: recipientFor(alert.escalation_step, {
          workerId: alert.c_worker_id,
          teamManagerId: alert.team_manager_id,
          serviceManagerId: alert.service_manager_id,
        }),
      })),
      now,
    );
  }

  private async projected(manager: EntityManager, event: EventEnvelope<DriftProjectedV1>, now: Date) {
    const data = event.data;
    const [clock] = await manager.query(
      `SELECT id, council_id, responsible_team_id AS team_id, responsible_worker_id AS worker_id
         FROM obligations WHERE case_id = $1 AND child_id = $2 AND kind = 'proceedings-completion'
        ORDER BY (status = 'open') DESC, due_date DESC LIMIT 1`,
      [data.caseId, data.childId],
    );
    const [known] = await manager.query(
      `SELECT council_id, team_id, allocated_worker_id AS worker_id, closed_on FROM case_directory WHERE case_id = $1`,
      [data.caseId],
    );
    if (known?.closed_on) return;
    const responsible = clock ?? known;
    // Retried, then dead-lettered for replay once the case has arrived from the cases topic.
    if (!responsible) throw new Error(`case ${data.caseId} is not known to alerting yet`);
    await this.writer.raise(
      manager,
      [
        {
          subjectKey: projectionKey(data.proceedingsId, data.childId),
          level: PROJECTED_DRIFT,
          severity: 'high',
          dueDate: data.completionDate,
          obligationId: clock?.id ?? null,
          caseId: data.caseId,
          councilId: responsible.council_id,
          childId: data.childId,
          kind: 'proceedings-completion',
          explanation: data.explanation,
          teamId: responsible.team_id,
          workerId: responsible.worker_id,
          recipientId: responsible.worker_id,
          escalatesAt: nextEscalationAt(0, now, this.policy.escalation, this.policy.calendar) ?? null,
          causationId: event.id,
        },
      ],
      now,
    );
  }

  private async projectionCleared(manager: EntityManager, event: EventEnvelope<DriftProjectionClearedV1>, now: Date) {
    const active: AlertRow[] = await manager.query(
      `SELECT ${alertColumns()} FROM alerts WHERE subject_key = $1 AND level = $2 AND state <> 'resolved' FOR UPDATE`,
      [projectionKey(event.data.proceedingsId, event.data.childId), PROJECTED_DRIFT],
    );
    await this.writer.resolve(manager, active.map((alert) => ({ alert, resolution: 'projection-cleared', reason: event.data.reason })), now);
  }
}
