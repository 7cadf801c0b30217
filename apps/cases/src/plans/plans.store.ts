import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SignOffSubject } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { PlanActionFacts, UnmetStandard } from '../domain/standards';
import { PlanActionDto } from './plans.dto';

export interface PlanRow {
  id: string;
  kind: string;
  agreed_on: string;
  review_date: string;
  review_obligation_id: string;
  version: number;
}

export interface NewPlan {
  id: string;
  caseId: string;
  childId: string | null;
  kind: string;
  agreedOn: string;
  reviewDate: string;
  reviewObligationId: string;
  version: number;
}

export interface ReviewToSignOff {
  kind: string;
  status: 'scheduled' | 'held' | 'cancelled';
  dueDate: string;
  heldOn: string | null;
  version: number;
}

export interface NewSignOff {
  id: string;
  caseId: string;
  subject: SignOffSubject;
  subjectId: string;
  subjectVersion: number;
  managerId: string;
  signedOn: string;
  exceptionReason: string | null;
  unmetStandards: UnmetStandard[];
  supervisionId: string | null;
}

/** The plan's actions as they will be stored: numbered from 1 in the order given, each with a new id. */
export function planActions(actions: PlanActionDto[]): PlanActionFacts[] {
  return actions.map((action, index) => ({
    id: randomUUID(),
    position: index + 1,
    description: action.description,
    ownerId: action.ownerId ?? null,
    dueDate: action.dueDate ?? null,
    measurableOutcome: action.measurableOutcome ?? null,
  }));
}

/** Children's plans with their actions, and managers' sign-offs of plans and reviews. */
@Injectable()
export class PlansStore {
  async insert(tx: Transaction, plan: NewPlan): Promise<void> {
    await tx.query(
      `INSERT INTO plans (id, case_id, child_id, kind, agreed_on, review_date, review_obligation_id, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [plan.id, plan.caseId, plan.childId, plan.kind, plan.agreedOn, plan.reviewDate, plan.reviewObligationId, plan.version],
    );
  }

  async updateReview(tx: Transaction, planId: string, reviewDate: string, reviewObligationId: string, version: number): Promise<void> {
    await tx.query(`UPDATE plans SET review_date = $2, review_obligation_id = $3, version = $4 WHERE id = $1`, [
      planId,
      reviewDate,
      reviewObligationId,
      version,
    ]);
  }

  async replaceActions(tx: Transaction, planId: string, actions: PlanActionFacts[]): Promise<void> {
    await tx.query('DELETE FROM plan_actions WHERE plan_id = $1', [planId]);
    for (const action of actions) {
      await tx.query(
        `INSERT INTO plan_actions (id, plan_id, position, description, owner_id, due_date, measurable_outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [action.id, planId, action.position, action.description, action.ownerId, action.dueDate, action.measurableOutcome],
      );
    }
  }

  async lock(tx: Transaction, caseId: string, planId: string): Promise<PlanRow | undefined> {
    const [plan] = await tx.query<PlanRow>(
      `SELECT id, kind, to_char(agreed_on, 'YYYY-MM-DD') AS agreed_on, to_char(review_date, 'YYYY-MM-DD') AS review_date, review_obligation_id, version
         FROM plans WHERE case_id = $1 AND id = $2 FOR UPDATE`,
      [caseId, planId],
    );
    return plan;
  }

  actions(tx: Transaction, planId: string): Promise<PlanActionFacts[]> {
    return tx.query(
      `SELECT id, position, description, owner_id AS "ownerId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", measurable_outcome AS "measurableOutcome"
         FROM plan_actions WHERE plan_id = $1 ORDER BY position`,
      [planId],
    );
  }

  async find(tx: Transaction, caseId: string, planId: string): Promise<(Record<string, unknown> & { version: number }) | undefined> {
    const [plan] = await tx.query<Record<string, unknown> & { version: number }>(
      `SELECT p.id, p.case_id AS "caseId", p.child_id AS "childId", p.kind, to_char(p.agreed_on, 'YYYY-MM-DD') AS "agreedOn",
              to_char(p.review_date, 'YYYY-MM-DD') AS "reviewDate", p.review_obligation_id AS "reviewObligationId", o.status AS "reviewObligationStatus", p.version
         FROM plans p JOIN obligations o ON o.id = p.review_obligation_id WHERE p.case_id = $1 AND p.id = $2`,
      [caseId, planId],
    );
    return plan;
  }

  async ids(tx: Transaction, caseId: string): Promise<string[]> {
    const plans = await tx.query<{ id: string }>('SELECT id FROM plans WHERE case_id = $1 ORDER BY agreed_on, created_at', [caseId]);
    return plans.map((plan) => plan.id);
  }

  /** Locks a review for its sign-off, so it cannot change while the manager vouches for it. */
  async lockReview(tx: Transaction, caseId: string, reviewId: string): Promise<ReviewToSignOff | undefined> {
    const [review] = await tx.query<ReviewToSignOff>(
      `SELECT kind, status, to_char(due_date, 'YYYY-MM-DD') AS "dueDate", to_char(held_on, 'YYYY-MM-DD') AS "heldOn", version
         FROM reviews WHERE case_id = $1 AND id = $2 FOR UPDATE`,
      [caseId, reviewId],
    );
    return review;
  }

  async insertSignOff(tx: Transaction, signOff: NewSignOff): Promise<void> {
    await tx.query(
      `INSERT INTO sign_offs (id, case_id, subject, subject_id, subject_version, manager_id, signed_on, exception, exception_reason, unmet_standards,
                              supervision_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        signOff.id,
        signOff.caseId,
        signOff.subject,
        signOff.subjectId,
        signOff.subjectVersion,
        signOff.managerId,
        signOff.signedOn,
        signOff.unmetStandards.length > 0,
        signOff.exceptionReason,
        JSON.stringify(signOff.unmetStandards),
        signOff.supervisionId,
      ],
    );
  }

  signOffs(tx: Transaction, caseId: string) {
    return tx.query(
      `SELECT id, subject, subject_id AS "subjectId", subject_version AS "subjectVersion", manager_id AS "managerId", to_char(signed_on, 'YYYY-MM-DD') AS "signedOn",
              exception, exception_reason AS "exceptionReason", unmet_standards AS "unmetStandards", supervision_id AS "supervisionId" FROM sign_offs WHERE case_id = $1 ORDER BY recorded_at`,
      [caseId],
    );
  }
}
