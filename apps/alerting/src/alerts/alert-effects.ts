import { Injectable } from '@nestjs/common';
import { DriftProjectedV1, DriftProjectionClearedV1, EventEnvelope } from '@plo/contracts';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { runWithContext } from '@plo/platform';
import { AlertPolicy } from '../domain/alert-policy';
import { PROJECTED_DRIFT } from '../domain/alert-schedule';
import { nextEscalationAt, recipientFor } from '../domain/escalation';
import { automaticResolution } from '../domain/lifecycle';
import type { ProjectionBatch } from '../obligations/obligation-projection';
import { AlertWriter, Resolution, SYSTEM_ACTOR, SYSTEM_CHANGE } from './alert-writer';
import { AlertsStore } from './alerts.store';

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
    private readonly store: AlertsStore,
    private readonly writer: AlertWriter,
    private readonly policy: AlertPolicy,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async afterProjection(tx: Transaction, batch: ProjectionBatch): Promise<void> {
    await this.unitOfWork.within(tx, SYSTEM_CHANGE, async (change) => {
      await this.settle(change, [...batch.settled]);
      await this.writer.recordHistorical(change, [...batch.historicalDrifts]);
      await this.endForClosedCases(change, [...batch.closedCases]);
      await this.moveWithAllocation(change, [...batch.reallocatedCases]);
    });
    for (const signal of batch.signals) {
      // Each projection's alert events carry the correlation of the PLO event behind it, even in a batch.
      await runWithContext({ correlationId: signal.event.correlationid, causationId: signal.event.id }, () =>
        this.unitOfWork.within(tx, { subject: signal.event.data.caseId, actor: SYSTEM_ACTOR }, (change) =>
          signal.type === 'drift-projected' ? this.projected(change, signal.event) : this.projectionCleared(change, signal.event),
        ),
      );
    }
  }

  private async settle(change: Change, obligationIds: string[]) {
    if (!obligationIds.length) return;
    const active = await this.store.lockActiveWithObligation(change, obligationIds);
    const resolutions: Resolution[] = [];
    for (const alert of active) {
      const resolution = automaticResolution(
        { status: alert.o_status!, dueDate: alert.o_due_date!, satisfiedOn: alert.o_satisfied_on },
        alert.due_date,
      );
      if (resolution) resolutions.push({ alert, resolution, satisfiedOn: alert.o_satisfied_on });
    }
    await this.writer.resolve(change, resolutions);
  }

  /** Projections and anything else still active on a closed case end with it. */
  private async endForClosedCases(change: Change, caseIds: string[]) {
    if (!caseIds.length) return;
    const active = await this.store.lockActiveOfCases(change, caseIds);
    await this.writer.resolve(
      change,
      active.map((alert) => ({ alert, resolution: 'ended', reason: 'case closed' })),
    );
  }

  /** Active alerts take the case's current worker, team and (at their step) recipient. */
  async moveWithAllocation(change: Change, caseIds: string[]) {
    if (!caseIds.length) return;
    const active = await this.store.lockActiveWithAllocation(change, caseIds);
    await this.writer.reassign(
      change,
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
    );
  }

  private async projected(change: Change, event: EventEnvelope<DriftProjectedV1>) {
    const data = event.data;
    const { clock, known } = await this.store.projectionOwners(change, data.caseId, data.childId);
    // Retried, then dead-lettered for replay once the case has arrived from the cases topic.
    if (!known) throw new Error(`case ${data.caseId} is not known to alerting yet`);
    if (known.closed_on) return;
    // Drift supersedes its projection whichever arrives first: a projection of a drift already raised
    // (a hearing entered late) is no news, and is neither raised nor delivered.
    if (clock && (await this.store.hasLiveDrift(change, clock.id, data.completionDate))) return;
    await this.writer.raise(change, [
      {
        subjectKey: projectionKey(data.proceedingsId, data.childId),
        level: PROJECTED_DRIFT,
        severity: 'high',
        dueDate: data.completionDate,
        obligationId: clock?.id ?? null,
        caseId: data.caseId,
        councilId: known.council_id,
        childId: data.childId,
        kind: 'proceedings-completion',
        explanation: data.explanation,
        teamId: known.team_id,
        workerId: known.worker_id,
        recipientId: known.worker_id,
        escalatesAt: nextEscalationAt(0, change.now, this.policy.escalation, this.policy.calendar) ?? null,
        causationId: event.id,
      },
    ]);
  }

  private async projectionCleared(change: Change, event: EventEnvelope<DriftProjectionClearedV1>) {
    const active = await this.store.lockActiveBySubject(
      change,
      projectionKey(event.data.proceedingsId, event.data.childId),
      PROJECTED_DRIFT,
    );
    await this.writer.resolve(
      change,
      active.map((alert) => ({ alert, resolution: 'projection-cleared', reason: event.data.reason })),
    );
  }
}
