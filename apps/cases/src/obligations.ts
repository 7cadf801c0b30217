import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EventTypes, ObligationCancelledV1, ObligationSatisfiedV1, ObligationScheduledV1 } from '@plo/contracts';
import { returningRows } from '@plo/platform';
import { CaseRow, PendingEvent } from './case-store';

export interface DueDate {
  ruleId: string;
  dueDate: string;
  explanation: string;
}

export interface OpenObligation {
  id: string;
  kind: string;
  childId: string | null;
  ruleId: string;
  dueDate: string;
  explanation: string;
}

export interface NewObligation {
  kind: string;
  due: DueDate;
  childId?: string | null;
  /** The review, plan or referral the obligation belongs to. */
  subjectId?: string;
}

/**
 * The case's dated obligations. Each change is paired with the event other services act on, carrying
 * the due date and the rule's explanation so no consumer recomputes a legal date.
 */
@Injectable()
export class ObligationBook {
  async schedule(manager: EntityManager, row: CaseRow, obligation: NewObligation): Promise<{ obligationId: string; event: PendingEvent }> {
    const obligationId = randomUUID();
    const { kind, due } = obligation;
    await manager.query(
      `INSERT INTO obligations (id, case_id, kind, rule_id, due_date, explanation, status, child_id, subject_id)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8)`,
      [obligationId, row.id, kind, due.ruleId, due.dueDate, due.explanation, obligation.childId ?? null, obligation.subjectId ?? null],
    );
    return { obligationId, event: this.scheduledEvent(row, obligationId, obligation) };
  }

  /** Moves an open obligation's due date; consumers treat a repeated schedule of the same id as a move. */
  async move(manager: EntityManager, row: CaseRow, obligationId: string, obligation: NewObligation): Promise<PendingEvent[]> {
    const moved = await returningRows<{ id: string }>(
      manager,
      `UPDATE obligations SET rule_id = $2, due_date = $3, explanation = $4 WHERE id = $1 AND status = 'open' RETURNING id`,
      [obligationId, obligation.due.ruleId, obligation.due.dueDate, obligation.due.explanation],
    );
    return moved.length ? [this.scheduledEvent(row, obligationId, obligation)] : [];
  }

  /** Gives an open obligation made before it had a child to one child, announced again under the same id and due date. */
  async assignChild(manager: EntityManager, row: CaseRow, obligationId: string, obligation: NewObligation & { childId: string }): Promise<PendingEvent[]> {
    const assigned = await returningRows<{ id: string }>(manager, `UPDATE obligations SET child_id = $2 WHERE id = $1 AND status = 'open' AND child_id IS NULL RETURNING id`, [
      obligationId,
      obligation.childId,
    ]);
    return assigned.length ? [this.scheduledEvent(row, obligationId, obligation)] : [];
  }

  async satisfy(manager: EntityManager, caseId: string, obligationId: string, satisfiedOn: string): Promise<PendingEvent[]> {
    const done = await returningRows<{ id: string }>(
      manager,
      `UPDATE obligations SET status = 'satisfied', satisfied_on = $3 WHERE case_id = $1 AND id = $2 AND status = 'open' RETURNING id`,
      [caseId, obligationId, satisfiedOn],
    );
    return done.map(({ id }) => [EventTypes.obligationSatisfied, { obligationId: id, caseId, satisfiedOn } satisfies ObligationSatisfiedV1]);
  }

  /** Ends open obligations: all of the case's, or those of one kind (of one child), or one by id. */
  async cancel(manager: EntityManager, caseId: string, reason: string, which: { kind?: string; id?: string; childId?: string } = {}): Promise<PendingEvent[]> {
    const ended = await returningRows<{ id: string }>(
      manager,
      `UPDATE obligations SET status = 'cancelled', ended_reason = $2
        WHERE case_id = $1 AND status = 'open' AND ($3::text IS NULL OR kind = $3) AND ($4::uuid IS NULL OR id = $4) AND ($5::uuid IS NULL OR child_id = $5)
        RETURNING id`,
      [caseId, reason, which.kind ?? null, which.id ?? null, which.childId ?? null],
    );
    return ended.map(({ id }) => [EventTypes.obligationCancelled, { obligationId: id, caseId, reason } satisfies ObligationCancelledV1]);
  }

  async open(manager: EntityManager, caseId: string): Promise<OpenObligation[]> {
    return manager.query(
      `SELECT id, kind, child_id AS "childId", rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation
         FROM obligations WHERE case_id = $1 AND status = 'open' ORDER BY due_date, created_at`,
      [caseId],
    );
  }

  private scheduledEvent(row: CaseRow, obligationId: string, obligation: NewObligation): PendingEvent {
    const data: ObligationScheduledV1 = {
      obligationId,
      caseId: row.id,
      councilId: row.council_id,
      ...(obligation.childId ? { childId: obligation.childId } : {}),
      kind: obligation.kind,
      ruleId: obligation.due.ruleId,
      dueDate: obligation.due.dueDate,
      explanation: obligation.due.explanation,
      responsible: { teamId: row.team_id, workerId: row.allocated_worker_id },
    };
    return [EventTypes.obligationScheduled, data];
  }
}
