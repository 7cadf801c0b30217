import { Injectable } from '@nestjs/common';
import { Transaction } from '@plo/messaging';
import { AssessmentView } from './assessments.views';

export interface NewAssessment {
  id: string;
  caseId: string;
  childId: string;
  referralId: string;
  startedOn: string;
  obligationId: string;
}

export interface ReferralStart {
  kind: string;
  receivedOn: string;
  childIds: string[];
}

/** Child-and-family assessments, one row per child, each with its obligation. */
@Injectable()
export class AssessmentsStore {
  async referral(tx: Transaction, caseId: string, referralId: string): Promise<ReferralStart | undefined> {
    const [referral] = await tx.query<ReferralStart>(
      `SELECT kind, to_char(received_on, 'YYYY-MM-DD') AS "receivedOn", child_ids AS "childIds" FROM referrals WHERE case_id = $1 AND id = $2`,
      [caseId, referralId],
    );
    return referral;
  }

  /** The children of `childIds` with an assessment from this referral that is still in progress or was completed. */
  async alreadyAssessed(tx: Transaction, referralId: string, childIds: string[]): Promise<string[]> {
    const rows = await tx.query<{ child_id: string }>(
      `SELECT child_id FROM assessments WHERE referral_id = $1 AND child_id = ANY($2::uuid[]) AND cancelled_on IS NULL`,
      [referralId, childIds],
    );
    return rows.map((row) => row.child_id);
  }

  async insert(tx: Transaction, a: NewAssessment): Promise<void> {
    await tx.query(
      `INSERT INTO assessments (id, case_id, child_id, referral_id, started_on, obligation_id) VALUES ($1, $2, $3, $4, $5, $6)`,
      [a.id, a.caseId, a.childId, a.referralId, a.startedOn, a.obligationId],
    );
  }

  async complete(tx: Transaction, assessmentId: string, completedOn: string, outcome: string): Promise<void> {
    await tx.query(`UPDATE assessments SET completed_on = $2, outcome = $3 WHERE id = $1`, [assessmentId, completedOn, outcome]);
  }

  async cancel(tx: Transaction, assessmentId: string, cancelledOn: string, reason: string): Promise<void> {
    await tx.query(`UPDATE assessments SET cancelled_on = $2, cancellation_reason = $3 WHERE id = $1`, [assessmentId, cancelledOn, reason]);
  }

  /** The case's assessments (or one), oldest referral first, then by child. */
  list(tx: Transaction, caseId: string, assessmentId?: string): Promise<AssessmentView[]> {
    return tx.query(
      `SELECT a.id, a.child_id AS "childId", a.referral_id AS "referralId", to_char(r.received_on, 'YYYY-MM-DD') AS "referralReceivedOn",
              to_char(a.started_on, 'YYYY-MM-DD') AS "startedOn",
              CASE WHEN a.completed_on IS NOT NULL THEN 'completed' WHEN a.cancelled_on IS NOT NULL THEN 'cancelled' ELSE 'in-progress' END AS state,
              to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate", o.explanation, a.obligation_id AS "obligationId",
              to_char(a.completed_on, 'YYYY-MM-DD') AS "completedOn", a.outcome,
              CASE WHEN a.completed_on IS NULL THEN NULL ELSE a.completed_on <= o.due_date END AS "onTime",
              to_char(a.cancelled_on, 'YYYY-MM-DD') AS "cancelledOn", a.cancellation_reason AS "cancellationReason"
         FROM assessments a JOIN referrals r ON r.id = a.referral_id JOIN obligations o ON o.id = a.obligation_id
        WHERE a.case_id = $1 AND ($2::uuid IS NULL OR a.id = $2)
        ORDER BY r.received_on, a.started_on, a.created_at, a.child_id`,
      [caseId, assessmentId ?? null],
    );
  }
}
