import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Actor, EventTypes, ReviewCancelledV1, ReviewHeldV1, ReviewRescheduledV1 } from '@plo/contracts';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, notFuture } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { CaseChanges, UNDER_THE_CASE } from '../case/case-changes';
import { CaseObligations } from '../case/case-obligations';
import { CaseRow, CaseStore } from '../case/case.store';
import { assertVersion } from '../domain/concurrency';
import { nextReviewsAfter, REVIEW_OUTCOMES, seriesEndedBy } from '../domain/review-rules';
import { ReviewSeries } from './review-series';
import { CancelReviewDto, HoldReviewDto, RescheduleReviewDto, ScheduleReviewDto } from './reviews.dto';
import { ReviewRow, ReviewsStore } from './reviews.store';

/**
 * ICPCs, child protection review conferences, looked-after reviews and CIN reviews: each due by a
 * timescale rule (an obligation), held on an actual date with an outcome, and a held review makes
 * the next of its series due, counted from the day it was held.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly reviews: ReviewsStore,
    private readonly series: ReviewSeries,
    private readonly obligations: CaseObligations,
    private readonly clock: Clock,
  ) {}

  async schedule(caseId: string, input: ScheduleReviewDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      const children = await this.cases.childIds(change, caseId);
      assertNoFieldProblems([
        notFuture('anchorDate', input.anchorDate, this.today()),
        await this.cases.childProblem(change, caseId, input.childId, 'childId'),
        input.childId === undefined &&
          children.length > 1 && { field: 'childId', message: `name the child: case ${caseId} has ${children.length} children` },
      ]);
      const childId = input.childId ?? children[0] ?? null;
      const held = await this.reviews.heldCount(change, caseId, input.kind, childId);
      const sequence = input.kind === 'icpc' ? 1 : (input.sequence ?? held + 1);
      const reviewId = await this.series.schedule(change, row, input.kind, sequence, input.anchorDate, childId);
      return this.view(change, caseId, reviewId);
    });
  }

  async hold(caseId: string, reviewId: string, input: HoldReviewDto, ifMatch: string | undefined, actor: Actor) {
    return this.changeScheduled(caseId, reviewId, ifMatch, actor, async (change, row, review) => {
      const allowed = REVIEW_OUTCOMES[review.kind];
      assertNoFieldProblems([
        notFuture('heldOn', input.heldOn, this.today()),
        !allowed.includes(input.outcome) && {
          field: 'outcome',
          message: `outcome of a ${review.kind} must be one of ${allowed.join(', ')}`,
        },
      ]);
      await this.reviews.markHeld(change, reviewId, input.heldOn, input.outcome, input.outcomeNotes ?? null);
      const held: ReviewHeldV1 = {
        caseId,
        reviewId,
        ...(review.child_id ? { childId: review.child_id } : {}),
        kind: review.kind,
        heldOn: input.heldOn,
        dueDate: review.due_date,
        heldLate: input.heldOn > review.due_date,
        outcome: input.outcome,
      };
      change.emit(EventTypes.reviewHeld, held);
      await this.obligations.satisfy(change, caseId, { id: review.obligation_id }, input.heldOn);
      for (const ended of seriesEndedBy(review.kind, input.outcome))
        await this.series.cancel(
          change,
          caseId,
          `the child protection plan ended at the review conference of ${input.heldOn}`,
          ended,
          review.child_id ?? undefined,
        );
      for (const next of nextReviewsAfter(review.kind, review.sequence, input.outcome))
        await this.series.schedule(change, row, next.kind, next.sequence, input.heldOn, review.child_id);
      return this.view(change, caseId, reviewId);
    });
  }

  async reschedule(caseId: string, reviewId: string, input: RescheduleReviewDto, ifMatch: string | undefined, actor: Actor) {
    return this.changeScheduled(caseId, reviewId, ifMatch, actor, async (change, _row, review) => {
      await this.reviews.plan(change, reviewId, input.plannedOn, input.reason);
      const moved: ReviewRescheduledV1 = {
        caseId,
        reviewId,
        ...(review.child_id ? { childId: review.child_id } : {}),
        plannedOn: input.plannedOn,
        dueDate: review.due_date,
        afterDueDate: input.plannedOn > review.due_date,
        reason: input.reason,
      };
      change.emit(EventTypes.reviewRescheduled, moved);
      return this.view(change, caseId, reviewId);
    });
  }

  async cancel(caseId: string, reviewId: string, input: CancelReviewDto, ifMatch: string | undefined, actor: Actor) {
    return this.changeScheduled(caseId, reviewId, ifMatch, actor, async (change, _row, review) => {
      await this.reviews.markCancelled(change, reviewId, input.reason);
      change.emit(EventTypes.reviewCancelled, {
        caseId,
        reviewId,
        ...(review.child_id ? { childId: review.child_id } : {}),
        reason: input.reason,
      } satisfies ReviewCancelledV1);
      await this.obligations.cancel(change, caseId, input.reason, { id: review.obligation_id });
      return this.view(change, caseId, reviewId);
    });
  }

  async list(caseId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.reviews.list(tx, caseId);
    });
  }

  async get(caseId: string, reviewId: string) {
    return this.unitOfWork.transaction((tx) => this.view(tx, caseId, reviewId));
  }

  private async view(tx: Transaction, caseId: string, reviewId: string) {
    const review = await this.reviews.find(tx, caseId, reviewId);
    if (!review) throw new NotFoundException(`case ${caseId} has no review ${reviewId}`);
    return review;
  }

  /** Reviews have their own version: two people recording the same conference cannot both win. */
  private changeScheduled<T>(
    caseId: string,
    reviewId: string,
    ifMatch: string | undefined,
    actor: Actor,
    work: (change: Change, row: CaseRow, review: ReviewRow) => Promise<T>,
  ): Promise<T> {
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change, row) => {
      const review = await this.reviews.lock(change, caseId, reviewId);
      if (!review) throw new NotFoundException(`case ${caseId} has no review ${reviewId}`);
      assertVersion({ what: `review ${reviewId}`, currentVersion: review.version, ifMatch, required: true });
      if (review.status !== 'scheduled')
        throw new ConflictException(
          `review ${reviewId} is ${review.status}; only a scheduled review can be held, rescheduled or cancelled`,
        );
      return work(change, row, review);
    });
  }

  private today() {
    return londonDateOf(this.clock.now());
  }
}
