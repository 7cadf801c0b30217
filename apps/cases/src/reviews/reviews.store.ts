import { Injectable } from '@nestjs/common';
import { ReviewKind } from '@plo/contracts';
import { Transaction } from '@plo/messaging';

export interface ReviewRow {
  id: string;
  case_id: string;
  child_id: string | null;
  kind: ReviewKind;
  sequence: number;
  obligation_id: string;
  due_date: string;
  status: 'scheduled' | 'held' | 'cancelled';
  version: number;
}

export interface NewReview {
  id: string;
  caseId: string;
  childId: string | null;
  kind: ReviewKind;
  sequence: number;
  anchorDate: string;
  obligationId: string;
  dueDate: string;
}

const REVIEW_COLUMNS = `r.id, r.case_id AS "caseId", r.child_id AS "childId", r.kind, r.sequence, to_char(r.anchor_date, 'YYYY-MM-DD') AS "anchorDate",
  to_char(r.due_date, 'YYYY-MM-DD') AS "dueDate", o.rule_id AS "ruleId", o.explanation, r.obligation_id AS "obligationId",
  to_char(r.planned_on, 'YYYY-MM-DD') AS "plannedOn", r.reschedule_reason AS "rescheduleReason",
  to_char(r.held_on, 'YYYY-MM-DD') AS "heldOn", (r.held_on > r.due_date) AS "heldLate", r.outcome, r.outcome_notes AS "outcomeNotes",
  r.status, r.cancellation_reason AS "cancellationReason", r.version`;

/** Reviews and conferences; every change of one bumps its own version (its ETag). */
@Injectable()
export class ReviewsStore {
  async heldCount(tx: Transaction, caseId: string, kind: ReviewKind, childId: string | null): Promise<number> {
    const [{ held }] = await tx.query<{ held: number }>(
      `SELECT count(*)::int AS held FROM reviews WHERE case_id = $1 AND kind = $2 AND status = 'held' AND child_id IS NOT DISTINCT FROM $3`,
      [caseId, kind, childId],
    );
    return held;
  }

  /** The child's (or, for null, the case's) review of a kind still waiting to be held, if any. */
  async waiting(
    tx: Transaction,
    caseId: string,
    kind: ReviewKind,
    childId: string | null,
  ): Promise<{ id: string; due: string } | undefined> {
    const [waiting] = await tx.query<{ id: string; due: string }>(
      `SELECT id, to_char(due_date, 'YYYY-MM-DD') AS due FROM reviews
        WHERE case_id = $1 AND kind = $2 AND status = 'scheduled' AND child_id IS NOT DISTINCT FROM $3`,
      [caseId, kind, childId],
    );
    return waiting;
  }

  /** The child's review of a kind waiting to be held, with the day its due date counts from. */
  async waitingWithAnchor(
    tx: Transaction,
    caseId: string,
    kind: ReviewKind,
    childId: string,
  ): Promise<{ id: string; anchor_date: string; due_date: string; obligation_id: string } | undefined> {
    const [waiting] = await tx.query<{ id: string; anchor_date: string; due_date: string; obligation_id: string }>(
      `SELECT id, to_char(anchor_date, 'YYYY-MM-DD') AS anchor_date, to_char(due_date, 'YYYY-MM-DD') AS due_date, obligation_id FROM reviews
        WHERE case_id = $1 AND kind = $2 AND status = 'scheduled' AND child_id = $3 FOR UPDATE`,
      [caseId, kind, childId],
    );
    return waiting;
  }

  /** A review's due date now counts from a later day (the ICPC from a later strategy discussion). */
  async moveDue(tx: Transaction, reviewId: string, anchorDate: string, dueDate: string): Promise<void> {
    await tx.query(`UPDATE reviews SET anchor_date = $2, due_date = $3, version = version + 1 WHERE id = $1`, [
      reviewId,
      anchorDate,
      dueDate,
    ]);
  }

  async insert(tx: Transaction, review: NewReview): Promise<void> {
    await tx.query(
      `INSERT INTO reviews (id, case_id, kind, sequence, anchor_date, obligation_id, due_date, status, child_id) VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8)`,
      [review.id, review.caseId, review.kind, review.sequence, review.anchorDate, review.obligationId, review.dueDate, review.childId],
    );
  }

  /**
   * Cancels the reviews still waiting (of one kind, of one child, or all); answers those cancelled.
   * For one child, a case-wide review left from the first release goes too when the child is the
   * case's only child (it was that child's).
   */
  cancelWaiting(
    tx: Transaction,
    caseId: string,
    reason: string,
    kind?: ReviewKind,
    childId?: string,
  ): Promise<{ id: string; obligation_id: string; child_id: string | null }[]> {
    return tx.query(
      `UPDATE reviews SET status = 'cancelled', cancellation_reason = $2, version = version + 1
        WHERE case_id = $1 AND status = 'scheduled' AND ($3::text IS NULL OR kind = $3)
          AND ($4::uuid IS NULL OR child_id = $4 OR (child_id IS NULL AND (SELECT count(*) FROM children WHERE case_id = $1) = 1))
        RETURNING id, obligation_id, child_id`,
      [caseId, reason, kind ?? null, childId ?? null],
    );
  }

  async lock(tx: Transaction, caseId: string, reviewId: string): Promise<ReviewRow | undefined> {
    const [review] = await tx.query<ReviewRow>(
      `SELECT id, case_id, child_id, kind, sequence, obligation_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, version FROM reviews WHERE case_id = $1 AND id = $2 FOR UPDATE`,
      [caseId, reviewId],
    );
    return review;
  }

  async markHeld(tx: Transaction, reviewId: string, heldOn: string, outcome: string, outcomeNotes: string | null): Promise<void> {
    await tx.query(
      `UPDATE reviews SET status = 'held', held_on = $2, outcome = $3, outcome_notes = $4, version = version + 1 WHERE id = $1`,
      [reviewId, heldOn, outcome, outcomeNotes],
    );
  }

  async plan(tx: Transaction, reviewId: string, plannedOn: string, reason: string): Promise<void> {
    await tx.query(`UPDATE reviews SET planned_on = $2, reschedule_reason = $3, version = version + 1 WHERE id = $1`, [
      reviewId,
      plannedOn,
      reason,
    ]);
  }

  async markCancelled(tx: Transaction, reviewId: string, reason: string): Promise<void> {
    await tx.query(`UPDATE reviews SET status = 'cancelled', cancellation_reason = $2, version = version + 1 WHERE id = $1`, [
      reviewId,
      reason,
    ]);
  }

  list(tx: Transaction, caseId: string) {
    return tx.query(
      `SELECT ${REVIEW_COLUMNS} FROM reviews r JOIN obligations o ON o.id = r.obligation_id WHERE r.case_id = $1 ORDER BY r.due_date, r.created_at`,
      [caseId],
    );
  }

  async find(tx: Transaction, caseId: string, reviewId: string): Promise<(Record<string, unknown> & { version: number }) | undefined> {
    const [review] = await tx.query<Record<string, unknown> & { version: number }>(
      `SELECT ${REVIEW_COLUMNS} FROM reviews r JOIN obligations o ON o.id = r.obligation_id WHERE r.case_id = $1 AND r.id = $2`,
      [caseId, reviewId],
    );
    return review;
  }
}
