import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor, EventTypes, ReviewCancelledV1, ReviewHeldV1, ReviewKind, ReviewRescheduledV1, ReviewScheduledV1 } from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, notFuture, returningRows } from '@plo/platform';
import { computeDeadline, parseLocalDate } from '@plo/timescales';
import { CaseRow, CaseStore, PendingEvent } from './case-store';
import { assertVersion } from './domain/concurrency';
import { nextReviewAfter, REVIEW_OUTCOMES, reviewRuleId } from './domain/review-rules';
import { ObligationBook } from './obligations';
import { CancelReviewDto, HoldReviewDto, RescheduleReviewDto, ScheduleReviewDto } from './reviews.dto';

interface ReviewRow {
  id: string;
  case_id: string;
  kind: ReviewKind;
  sequence: number;
  obligation_id: string;
  due_date: string;
  status: 'scheduled' | 'held' | 'cancelled';
  version: number;
}

const REVIEW_COLUMNS = `r.id, r.case_id AS "caseId", r.kind, r.sequence, to_char(r.anchor_date, 'YYYY-MM-DD') AS "anchorDate",
  to_char(r.due_date, 'YYYY-MM-DD') AS "dueDate", o.rule_id AS "ruleId", o.explanation, r.obligation_id AS "obligationId",
  to_char(r.planned_on, 'YYYY-MM-DD') AS "plannedOn", r.reschedule_reason AS "rescheduleReason",
  to_char(r.held_on, 'YYYY-MM-DD') AS "heldOn", (r.held_on > r.due_date) AS "heldLate", r.outcome, r.outcome_notes AS "outcomeNotes",
  r.status, r.cancellation_reason AS "cancellationReason", r.version`;

/**
 * ICPCs, child protection review conferences, looked-after reviews and CIN reviews: each due by a
 * timescale rule (an obligation), held on an actual date with an outcome, and a held review makes
 * the next of its series due, counted from the day it was held.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: CaseStore,
    private readonly obligations: ObligationBook,
  ) {}

  async schedule(caseId: string, input: ScheduleReviewDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: false });
      assertNoFieldProblems([notFuture('anchorDate', input.anchorDate, this.store.today())]);
      const [{ held }] = await manager.query(`SELECT count(*)::int AS held FROM reviews WHERE case_id = $1 AND kind = $2 AND status = 'held'`, [caseId, input.kind]);
      const sequence = input.kind === 'icpc' ? 1 : (input.sequence ?? held + 1);
      const { reviewId, events } = await this.scheduleInSeries(manager, row, input.kind, sequence, input.anchorDate);
      await this.store.commitChange(manager, row, actor, events);
      return this.view(manager, caseId, reviewId);
    });
  }

  /** Schedules a review unless one of its kind is already waiting to be held (that one stands). */
  async scheduleInSeries(manager: EntityManager, row: CaseRow, kind: ReviewKind, sequence: number, anchorDate: string): Promise<{ reviewId: string; events: PendingEvent[] }> {
    const [waiting] = await manager.query(`SELECT id, to_char(due_date, 'YYYY-MM-DD') AS due FROM reviews WHERE case_id = $1 AND kind = $2 AND status = 'scheduled'`, [row.id, kind]);
    if (waiting) throw new ConflictException(`case ${row.id} already has a ${kind} scheduled (review ${waiting.id}, due ${waiting.due}); hold, reschedule or cancel it first`);
    const deadline = computeDeadline(reviewRuleId(kind, sequence), parseLocalDate(anchorDate), await this.store.rulesFor(manager, row.council_id));
    const reviewId = randomUUID();
    const { obligationId, event } = await this.obligations.schedule(manager, row, { kind, due: deadline, subjectId: reviewId });
    await manager.query(
      `INSERT INTO reviews (id, case_id, kind, sequence, anchor_date, obligation_id, due_date, status) VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled')`,
      [reviewId, row.id, kind, sequence, anchorDate, obligationId, deadline.dueDate],
    );
    const scheduled: ReviewScheduledV1 = { caseId: row.id, reviewId, kind, sequence, obligationId, ruleId: deadline.ruleId, dueDate: deadline.dueDate, explanation: deadline.explanation };
    return { reviewId, events: [[EventTypes.reviewScheduled, scheduled], event] };
  }

  /** Ends the reviews still waiting in a series (the child left the legal status, or the case closed). */
  async cancelSeries(manager: EntityManager, caseId: string, reason: string, kind?: ReviewKind): Promise<PendingEvent[]> {
    const cancelled = await returningRows<{ id: string; obligation_id: string }>(
      manager,
      `UPDATE reviews SET status = 'cancelled', cancellation_reason = $2, version = version + 1
        WHERE case_id = $1 AND status = 'scheduled' AND ($3::text IS NULL OR kind = $3) RETURNING id, obligation_id`,
      [caseId, reason, kind ?? null],
    );
    const events: PendingEvent[] = [];
    for (const review of cancelled) {
      events.push([EventTypes.reviewCancelled, { caseId, reviewId: review.id, reason } satisfies ReviewCancelledV1]);
      events.push(...(await this.obligations.cancel(manager, caseId, reason, { id: review.obligation_id })));
    }
    return events;
  }

  async hold(caseId: string, reviewId: string, input: HoldReviewDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const { row, review } = await this.lockScheduled(manager, caseId, reviewId, ifMatch);
      const allowed = REVIEW_OUTCOMES[review.kind];
      assertNoFieldProblems([
        notFuture('heldOn', input.heldOn, this.store.today()),
        !allowed.includes(input.outcome) && { field: 'outcome', message: `outcome of a ${review.kind} must be one of ${allowed.join(', ')}` },
      ]);
      await manager.query(
        `UPDATE reviews SET status = 'held', held_on = $2, outcome = $3, outcome_notes = $4, version = version + 1 WHERE id = $1`,
        [reviewId, input.heldOn, input.outcome, input.outcomeNotes ?? null],
      );
      const held: ReviewHeldV1 = { caseId, reviewId, kind: review.kind, heldOn: input.heldOn, dueDate: review.due_date, heldLate: input.heldOn > review.due_date, outcome: input.outcome };
      const events: PendingEvent[] = [[EventTypes.reviewHeld, held], ...(await this.obligations.satisfy(manager, caseId, review.obligation_id, input.heldOn))];
      const next = nextReviewAfter(review.kind, review.sequence, input.outcome);
      if (next) events.push(...(await this.scheduleInSeries(manager, row, next.kind, next.sequence, input.heldOn)).events);
      await this.store.commitChange(manager, row, actor, events);
      return this.view(manager, caseId, reviewId);
    });
  }

  async reschedule(caseId: string, reviewId: string, input: RescheduleReviewDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const { row, review } = await this.lockScheduled(manager, caseId, reviewId, ifMatch);
      await manager.query(`UPDATE reviews SET planned_on = $2, reschedule_reason = $3, version = version + 1 WHERE id = $1`, [reviewId, input.plannedOn, input.reason]);
      const moved: ReviewRescheduledV1 = { caseId, reviewId, plannedOn: input.plannedOn, dueDate: review.due_date, afterDueDate: input.plannedOn > review.due_date, reason: input.reason };
      await this.store.commitChange(manager, row, actor, [[EventTypes.reviewRescheduled, moved]]);
      return this.view(manager, caseId, reviewId);
    });
  }

  async cancel(caseId: string, reviewId: string, input: CancelReviewDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const { row, review } = await this.lockScheduled(manager, caseId, reviewId, ifMatch);
      await manager.query(`UPDATE reviews SET status = 'cancelled', cancellation_reason = $2, version = version + 1 WHERE id = $1`, [reviewId, input.reason]);
      const events: PendingEvent[] = [
        [EventTypes.reviewCancelled, { caseId, reviewId, reason: input.reason } satisfies ReviewCancelledV1],
        ...(await this.obligations.cancel(manager, caseId, input.reason, { id: review.obligation_id })),
      ];
      await this.store.commitChange(manager, row, actor, events);
      return this.view(manager, caseId, reviewId);
    });
  }

  async list(caseId: string) {
    return this.unitOfWork.run(async (manager) => {
      await this.store.load(manager, caseId);
      return manager.query(`SELECT ${REVIEW_COLUMNS} FROM reviews r JOIN obligations o ON o.id = r.obligation_id WHERE r.case_id = $1 ORDER BY r.due_date, r.created_at`, [caseId]);
    });
  }

  async get(caseId: string, reviewId: string) {
    return this.unitOfWork.run((manager) => this.view(manager, caseId, reviewId));
  }

  async view(manager: EntityManager, caseId: string, reviewId: string) {
    const [review] = await manager.query(`SELECT ${REVIEW_COLUMNS} FROM reviews r JOIN obligations o ON o.id = r.obligation_id WHERE r.case_id = $1 AND r.id = $2`, [caseId, reviewId]);
    if (!review) throw new NotFoundException(`case ${caseId} has no review ${reviewId}`);
    return review;
  }

  /** Reviews have their own version: two people recording the same conference cannot both win. */
  private async lockScheduled(manager: EntityManager, caseId: string, reviewId: string, ifMatch: string | undefined) {
    const row = await this.store.lockOpenCase(manager, caseId, { ifMatch: undefined, versionRequired: false });
    const [review]: ReviewRow[] = await manager.query(
      `SELECT id, case_id, kind, sequence, obligation_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, version FROM reviews WHERE case_id = $1 AND id = $2 FOR UPDATE`,
      [caseId, reviewId],
    );
    if (!review) throw new NotFoundException(`case ${caseId} has no review ${reviewId}`);
    assertVersion({ what: `review ${reviewId}`, currentVersion: review.version, ifMatch, required: true });
    if (review.status !== 'scheduled') throw new ConflictException(`review ${reviewId} is ${review.status}; only a scheduled review can be held, rescheduled or cancelled`);
    return { row, review };
  }
}
