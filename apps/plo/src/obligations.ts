import { randomUUID } from 'node:crypto';
import { EventTypes, ObligationCancelledV1, ObligationSatisfiedV1, ObligationScheduledV1 } from '@plo/contracts';
import { Deadline } from '@plo/timescales';
import { ChangeSet } from './change-set';

/** Who answers for a case's obligations, as learnt from the cases service. */
export interface CaseInfo {
  caseId: string;
  councilId: string;
  caseReference: string;
  teamId: string;
  workerId: string;
}

export interface ObligationRow {
  id: string;
  kind: string;
  rule_id: string;
  due_date: string;
  child_id: string | null;
  hearing_id: string | null;
  status: string;
}

export interface ObligationOwner {
  proceedingsId?: string;
  preProceedingsId?: string;
  childId?: string;
  hearingId?: string;
}

function scheduledEvent(info: CaseInfo, id: string, kind: string, deadline: Deadline, childId?: string | null): ObligationScheduledV1 {
  return {
    obligationId: id,
    caseId: info.caseId,
    councilId: info.councilId,
    ...(childId ? { childId } : {}),
    kind,
    ruleId: deadline.ruleId,
    dueDate: deadline.dueDate,
    explanation: deadline.explanation,
    responsible: { teamId: info.teamId, workerId: info.workerId },
  };
}

export async function scheduleObligation(change: ChangeSet, info: CaseInfo, owner: ObligationOwner, kind: string, deadline: Deadline, id: string = randomUUID()) {
  await change.manager.query(
    `INSERT INTO plo_obligations (id, case_id, proceedings_id, pre_proceedings_id, child_id, hearing_id, kind, rule_id, due_date, explanation, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [id, info.caseId, owner.proceedingsId ?? null, owner.preProceedingsId ?? null, owner.childId ?? null, owner.hearingId ?? null, kind, deadline.ruleId, deadline.dueDate, deadline.explanation, change.now],
  );
  change.emit(EventTypes.obligationScheduled, scheduledEvent(info, id, kind, deadline, owner.childId));
  return id;
}

/** Same obligation id, new due date: consumers treat a second obligation-scheduled as a move. */
export async function moveObligation(change: ChangeSet, info: CaseInfo, row: ObligationRow, deadline: Deadline) {
  if (row.due_date === deadline.dueDate) return;
  await change.manager.query(
    `UPDATE plo_obligations SET due_date = $2, explanation = $3, rule_id = $4, sequence = sequence + 1, updated_at = $5 WHERE id = $1`,
    [row.id, deadline.dueDate, deadline.explanation, deadline.ruleId, change.now],
  );
  change.emit(EventTypes.obligationScheduled, scheduledEvent(info, row.id, row.kind, deadline, row.child_id));
}

export async function cancelObligation(change: ChangeSet, row: ObligationRow, reason: string) {
  await change.manager.query(`UPDATE plo_obligations SET status = 'cancelled', sequence = sequence + 1, updated_at = $2 WHERE id = $1`, [row.id, change.now]);
  const data: ObligationCancelledV1 = { obligationId: row.id, caseId: change.caseId, reason };
  change.emit(EventTypes.obligationCancelled, data);
}

export async function satisfyObligation(change: ChangeSet, row: ObligationRow, satisfiedOn: string) {
  await change.manager.query(`UPDATE plo_obligations SET status = 'satisfied', satisfied_on = $2, satisfied_by = $3, updated_at = $4 WHERE id = $1`, [
    row.id,
    satisfiedOn,
    change.actor.id,
    change.now,
  ]);
  const data: ObligationSatisfiedV1 = { obligationId: row.id, caseId: change.caseId, satisfiedOn };
  change.emit(EventTypes.obligationSatisfied, data);
}

export async function openObligations(change: ChangeSet, where: string, values: unknown[]): Promise<ObligationRow[]> {
  return change.manager.query(
    `SELECT id, kind, rule_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, child_id, hearing_id, status FROM plo_obligations WHERE status = 'open' AND ${where} ORDER BY due_date, kind`,
    values,
  );
}
