import { ConflictException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventTypes, ReviewCancelledV1, ReviewKind, ReviewScheduledV1 } from '@plo/contracts';
import { Change } from '@plo/messaging';
import { computeDeadline, parseLocalDate } from '@plo/timescales';
import { CaseObligations, responsibleFor, SUBJECT } from '../case/case-obligations';
import { CaseRow } from '../case/case.store';
import { CouncilRulePacks } from '../council-rules/council-rule-packs';
import { reviewRuleId } from '../domain/review-rules';
import { ReviewsStore } from './reviews.store';

/**
 * Reviews come in series (the next is due from the day the last was held), and other changes of a
 * case start or end a series: a child becoming looked after, a change of legal status, a closure.
 */
@Injectable()
export class ReviewSeries {
  constructor(
    private readonly reviews: ReviewsStore,
    private readonly obligations: CaseObligations,
    private readonly packs: CouncilRulePacks,
  ) {}

  /**
   * Schedules a review of a child's series unless one of its kind is already waiting to be held for
   * that child (that one stands); a sibling's series is the sibling's own. `childId` null: a review
   * of the whole case, as the first release kept them.
   */
  async schedule(
    change: Change,
    row: CaseRow,
    kind: ReviewKind,
    sequence: number,
    anchorDate: string,
    childId: string | null,
  ): Promise<string> {
    const waiting = await this.reviews.waiting(change, row.id, kind, childId);
    if (waiting)
      throw new ConflictException(
        `${childId ? `child ${childId}` : `case ${row.id}`} already has a ${kind} scheduled (review ${waiting.id}, due ${waiting.due}); hold, reschedule or cancel it first`,
      );
    const deadline = computeDeadline(
      reviewRuleId(kind, sequence),
      parseLocalDate(anchorDate),
      await this.packs.packFor(change, row.council_id),
    );
    const reviewId = randomUUID();
    const obligationId = randomUUID();
    const scheduled: ReviewScheduledV1 = {
      caseId: row.id,
      reviewId,
      ...(childId ? { childId } : {}),
      kind,
      sequence,
      obligationId,
      ruleId: deadline.ruleId,
      dueDate: deadline.dueDate,
      explanation: deadline.explanation,
    };
    // Consumers learn of the review before the obligation that makes it due.
    change.emit(EventTypes.reviewScheduled, scheduled);
    await this.obligations.schedule(change, responsibleFor(row), {
      id: obligationId,
      kind,
      due: deadline,
      childId,
      references: { [SUBJECT]: reviewId },
    });
    await this.reviews.insert(change, {
      id: reviewId,
      caseId: row.id,
      childId,
      kind,
      sequence,
      anchorDate,
      obligationId,
      dueDate: deadline.dueDate,
    });
    return reviewId;
  }

  /**
   * A strategy discussion that decides a s.47 enquiry makes the child's ICPC due 15 WD after it. The
   * ICPC counts from the *last* discussion: a later one moves the waiting ICPC's due date (announced
   * again under the same review and obligation ids, as a move is); an earlier one recorded late
   * changes nothing.
   */
  async icpcFromStrategyDiscussion(
    change: Change,
    row: CaseRow,
    childId: string,
    heldOn: string,
  ): Promise<{ reviewId: string; dueDate: string; moved: boolean }> {
    const waiting = await this.reviews.waitingWithAnchor(change, row.id, 'icpc', childId);
    if (!waiting) {
      await this.schedule(change, row, 'icpc', 1, heldOn, childId);
      const scheduled = (await this.reviews.waitingWithAnchor(change, row.id, 'icpc', childId))!;
      return { reviewId: scheduled.id, dueDate: scheduled.due_date, moved: false };
    }
    if (waiting.anchor_date >= heldOn) return { reviewId: waiting.id, dueDate: waiting.due_date, moved: false };
    const deadline = computeDeadline(reviewRuleId('icpc', 1), parseLocalDate(heldOn), await this.packs.packFor(change, row.council_id));
    await this.reviews.moveDue(change, waiting.id, heldOn, deadline.dueDate);
    change.emit(EventTypes.reviewScheduled, {
      caseId: row.id,
      reviewId: waiting.id,
      childId,
      kind: 'icpc',
      sequence: 1,
      obligationId: waiting.obligation_id,
      ruleId: deadline.ruleId,
      dueDate: deadline.dueDate,
      explanation: deadline.explanation,
    } satisfies ReviewScheduledV1);
    await this.obligations.move(change, responsibleFor(row), { id: waiting.obligation_id, kind: 'icpc', childId }, deadline);
    return { reviewId: waiting.id, dueDate: deadline.dueDate, moved: true };
  }

  /** Whether the child (or, for null, the case) has a review of this kind waiting to be held. */
  async isWaiting(change: Change, caseId: string, kind: ReviewKind, childId: string | null): Promise<boolean> {
    return (await this.reviews.waiting(change, caseId, kind, childId)) !== undefined;
  }

  /**
   * Ends the reviews still waiting (of one kind, of one child, or all: the child left the status, or
   * the case closed), and their obligations. A child's series also ends the case-wide reviews of that
   * kind the first release kept, when the child is the case's only child.
   */
  async cancel(change: Change, caseId: string, reason: string, kind?: ReviewKind, childId?: string): Promise<void> {
    for (const review of await this.reviews.cancelWaiting(change, caseId, reason, kind, childId)) {
      change.emit(EventTypes.reviewCancelled, {
        caseId,
        reviewId: review.id,
        ...(review.child_id ? { childId: review.child_id } : {}),
        reason,
      } satisfies ReviewCancelledV1);
      await this.obligations.cancel(change, caseId, reason, { id: review.obligation_id });
    }
  }
}
