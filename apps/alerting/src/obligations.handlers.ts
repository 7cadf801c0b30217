import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  CaseAllocatedV1,
  CaseClosedV1,
  CaseOpenedV1,
  EventEnvelope,
  EventTypes,
  ObligationCancelledV1,
  ObligationSatisfiedV1,
  ObligationScheduledV1,
} from '@plo/contracts';
import { HandlesEvent, InboxContext } from '@plo/messaging';
import { overdueAt, parseLocalDate } from '@plo/timescales';

/**
 * Keeps the obligations other services publish, with the instant each becomes overdue. Handlers
 * write only through the inbox transaction, so a redelivered event has no second effect.
 */
@Controller()
export class ObligationHandlers {
  @HandlesEvent(EventTypes.caseOpened)
  async caseOpened(@Payload() event: EventEnvelope<CaseOpenedV1>, @Ctx() context: InboxContext) {
    const data = event.data;
    await context.manager.query(
      `INSERT INTO case_directory (case_id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id) DO NOTHING`,
      [data.caseId, data.councilId, data.caseReference, data.teamId, data.allocatedWorkerId, data.teamManagerId ?? null],
    );
  }

  @HandlesEvent(EventTypes.caseAllocated)
  async caseAllocated(@Payload() event: EventEnvelope<CaseAllocatedV1>, @Ctx() context: InboxContext) {
    const data = event.data;
    await context.manager.query(
      `UPDATE case_directory SET team_id = $2, allocated_worker_id = $3, team_manager_id = COALESCE($4, team_manager_id) WHERE case_id = $1`,
      [data.caseId, data.teamId, data.allocatedWorkerId, data.teamManagerId ?? null],
    );
    await context.manager.query(
      `UPDATE obligations SET responsible_team_id = $2, responsible_worker_id = $3, updated_at = now() WHERE case_id = $1 AND status = 'open'`,
      [data.caseId, data.teamId, data.allocatedWorkerId],
    );
  }

  /** A later schedule of the same obligation moves its due date. */
  @HandlesEvent(EventTypes.obligationScheduled)
  async obligationScheduled(@Payload() event: EventEnvelope<ObligationScheduledV1>, @Ctx() context: InboxContext) {
    const data = event.data;
    await context.manager.query(
      `INSERT INTO obligations (id, case_id, council_id, child_id, kind, rule_id, due_date, overdue_at, explanation,
                                responsible_team_id, responsible_worker_id, status, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12)
       ON CONFLICT (id) DO UPDATE SET due_date = EXCLUDED.due_date, overdue_at = EXCLUDED.overdue_at,
         explanation = EXCLUDED.explanation, source_event_id = EXCLUDED.source_event_id, updated_at = now()
       WHERE obligations.status = 'open'`,
      [
        data.obligationId,
        data.caseId,
        data.councilId,
        data.childId ?? null,
        data.kind,
        data.ruleId,
        data.dueDate,
        overdueAt(parseLocalDate(data.dueDate)),
        data.explanation,
        data.responsible.teamId,
        data.responsible.workerId,
        event.id,
      ],
    );
  }

  @HandlesEvent(EventTypes.obligationSatisfied)
  async obligationSatisfied(@Payload() event: EventEnvelope<ObligationSatisfiedV1>, @Ctx() context: InboxContext) {
    await context.manager.query(
      `UPDATE obligations SET status = 'satisfied', satisfied_on = $2, updated_at = now() WHERE id = $1 AND status = 'open'`,
      [event.data.obligationId, event.data.satisfiedOn],
    );
  }

  @HandlesEvent(EventTypes.obligationCancelled)
  async obligationCancelled(@Payload() event: EventEnvelope<ObligationCancelledV1>, @Ctx() context: InboxContext) {
    await context.manager.query(`UPDATE obligations SET status = 'cancelled', ended_reason = $2, updated_at = now() WHERE id = $1 AND status = 'open'`, [
      event.data.obligationId,
      event.data.reason,
    ]);
  }

  @HandlesEvent(EventTypes.caseClosed)
  async caseClosed(@Payload() event: EventEnvelope<CaseClosedV1>, @Ctx() context: InboxContext) {
    await context.manager.query('UPDATE case_directory SET closed_on = $2 WHERE case_id = $1', [event.data.caseId, event.data.closedOn]);
    await context.manager.query(
      `UPDATE obligations SET status = 'cancelled', ended_reason = 'case closed', updated_at = now() WHERE case_id = $1 AND status = 'open'`,
      [event.data.caseId],
    );
  }
}
