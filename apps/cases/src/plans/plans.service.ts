import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, EventTypes, PlanChangedV1, SignedOffV1, SignOffSubject } from '@plo/contracts';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { NewObligation } from '@plo/obligations';
import { assertNoContradictions, assertNoFieldProblems, Clock, notBefore, notFuture } from '@plo/platform';
import { formatLongDate, londonDateOf, parseLocalDate } from '@plo/timescales';
import { CaseChanges, UNDER_THE_CASE } from '../case/case-changes';
import { CaseObligations, responsibleFor, SUBJECT } from '../case/case-obligations';
import { CaseStore } from '../case/case.store';
import { assertVersion } from '../domain/concurrency';
import { assessSmart, describeStandard, PlanActionFacts, unmetStandards } from '../domain/standards';
import { CreatePlanDto, SignOffDto, UpdatePlanDto } from './plans.dto';
import { SupervisionStore } from '../supervision/supervision.store';
import { planActions, PlanRow, PlansStore } from './plans.store';

/** A plan is written at this version and every change of it goes one up (its ETag). */
const FIRST_PLAN_VERSION = 1;

/**
 * Children's plans, whose actions each need an owner, a due date and a measurable outcome, and
 * managers' sign-off of plans and reviews, which vouches that the case meets the standards.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly plans: PlansStore,
    private readonly obligations: CaseObligations,
    private readonly supervisions: SupervisionStore,
    private readonly clock: Clock,
  ) {}

  async create(caseId: string, input: CreatePlanDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      assertNoFieldProblems([
        notFuture('agreedOn', input.agreedOn, this.today()),
        notBefore('reviewDate', input.reviewDate, input.agreedOn, 'the plan was agreed'),
        await this.cases.childProblem(change, caseId, input.childId, 'childId'),
      ]);
      const planId = randomUUID();
      const actions = planActions(input.actions);
      // The plan is announced before the obligation to review it, though that is written first (the plan refers to it).
      this.announce(change, caseId, { id: planId, version: FIRST_PLAN_VERSION, kind: input.kind, reviewDate: input.reviewDate }, actions);
      const obligationId = await this.obligations.schedule(
        change,
        responsibleFor(row),
        this.reviewObligation(planId, input.kind, input.agreedOn, input.reviewDate, input.childId),
      );
      await this.plans.insert(change, {
        id: planId,
        caseId,
        childId: input.childId ?? null,
        kind: input.kind,
        agreedOn: input.agreedOn,
        reviewDate: input.reviewDate,
        reviewObligationId: obligationId,
        version: FIRST_PLAN_VERSION,
      });
      await this.plans.replaceActions(change, planId, actions);
      return this.view(change, caseId, planId);
    });
  }

  /**
   * Replaces the plan's actions and review date against the version the caller read. A review
   * (reviewedOn) meets the review obligation and makes the new review date the next one; otherwise
   * a new review date moves the existing obligation.
   */
  async update(caseId: string, planId: string, input: UpdatePlanDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change, row) => {
      const plan = await this.lockPlan(change, caseId, planId);
      assertVersion({ what: `plan ${planId}`, currentVersion: plan.version, ifMatch, required: true });
      assertNoFieldProblems([
        notFuture('reviewedOn', input.reviewedOn, this.today()),
        notBefore('reviewedOn', input.reviewedOn, plan.agreed_on, 'the plan was agreed'),
        notBefore(
          'reviewDate',
          input.reviewDate,
          input.reviewedOn ?? plan.agreed_on,
          input.reviewedOn ? 'the review' : 'the plan was agreed',
        ),
      ]);
      const version = plan.version + 1;
      const actions = planActions(input.actions);
      this.announce(change, caseId, { id: planId, version, kind: plan.kind, reviewDate: input.reviewDate }, actions);
      let obligationId = plan.review_obligation_id;
      if (input.reviewedOn) {
        await this.obligations.satisfy(change, caseId, { id: obligationId }, input.reviewedOn);
        obligationId = await this.obligations.schedule(
          change,
          responsibleFor(row),
          this.reviewObligation(planId, plan.kind, input.reviewedOn, input.reviewDate),
        );
      } else if (input.reviewDate !== plan.review_date) {
        const moved = this.reviewObligation(planId, plan.kind, plan.agreed_on, input.reviewDate);
        // The review obligation is announced without its child when it moves, as it always has been.
        await this.obligations.move(change, responsibleFor(row), { id: obligationId, kind: moved.kind, childId: null }, moved.due);
      }
      await this.plans.updateReview(change, planId, input.reviewDate, obligationId, version);
      await this.plans.replaceActions(change, planId, actions);
      return this.view(change, caseId, planId);
    });
  }

  async list(caseId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      const ids = await this.plans.ids(tx, caseId);
      return Promise.all(ids.map((id) => this.view(tx, caseId, id)));
    });
  }

  async get(caseId: string, planId: string) {
    return this.unitOfWork.transaction((tx) => this.view(tx, caseId, planId));
  }

  /**
   * A manager's sign-off of a plan or review (at the version they read). While standards are unmet it
   * is refused, listing them, unless the manager records it as an exception with a reason. It may name
   * the supervision of the case that agreed it.
   */
  async signOff(caseId: string, subject: SignOffSubject, subjectId: string, input: SignOffDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change) => {
      assertNoContradictions([
        !(await this.supervisions.isOfCase(change, caseId, input.supervisionId)) && {
          field: 'supervisionId',
          message: `supervisionId ${input.supervisionId} is not a supervision of case ${caseId}`,
        },
      ]);
      const today = this.today();
      const openObligations = await this.obligations.open(change, caseId);
      let version: number;
      let unmet;
      if (subject === 'plan') {
        const plan = await this.lockPlan(change, caseId, subjectId);
        version = plan.version;
        assertVersion({ what: `plan ${subjectId}`, currentVersion: version, ifMatch, required: true });
        unmet = unmetStandards({
          today,
          openObligations,
          plan: { actions: await this.plans.actions(change, subjectId), reviewDate: plan.review_date },
        });
      } else {
        const review = await this.plans.lockReview(change, caseId, subjectId);
        if (!review) throw new NotFoundException(`case ${caseId} has no review ${subjectId}`);
        version = review.version;
        assertVersion({ what: `review ${subjectId}`, currentVersion: version, ifMatch, required: true });
        unmet = unmetStandards({ today, openObligations, review });
      }
      if (unmet.length > 0 && !input.exceptionReason) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: `sign-off refused: ${unmet.length} standard(s) not met; put them right, or sign off as an exception with exceptionReason`,
          unmetStandards: unmet,
        });
      }
      const signOffId = randomUUID();
      const exception = unmet.length > 0;
      await this.plans.insertSignOff(change, {
        id: signOffId,
        caseId,
        subject,
        subjectId,
        subjectVersion: version,
        managerId: actor.id,
        signedOn: today,
        exceptionReason: exception ? (input.exceptionReason ?? null) : null,
        unmetStandards: unmet,
        supervisionId: input.supervisionId,
      });
      const signed: SignedOffV1 = {
        caseId,
        subject,
        subjectId,
        subjectVersion: version,
        managerId: actor.id,
        signedOn: today,
        exception,
        ...(exception ? { exceptionReason: input.exceptionReason } : {}),
        unmetStandards: unmet.map(describeStandard),
        supervisionId: input.supervisionId,
      };
      change.emit(EventTypes.signedOff, signed);
      return {
        id: signOffId,
        subject,
        subjectId,
        subjectVersion: version,
        managerId: actor.id,
        signedOn: today,
        exception,
        exceptionReason: signed.exceptionReason ?? null,
        unmetStandards: unmet,
        supervisionId: input.supervisionId,
      };
    });
  }

  async signOffs(caseId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.plans.signOffs(tx, caseId);
    });
  }

  /** A plan's review date is agreed in the plan, not computed by a timescale rule; the obligation says so. */
  private reviewObligation(planId: string, kind: string, from: string, reviewDate: string, childId?: string | null): NewObligation {
    return {
      kind: 'plan-review',
      references: { [SUBJECT]: planId },
      childId,
      due: {
        ruleId: 'plan-review-date',
        dueDate: reviewDate,
        explanation: `Review date agreed in the ${kind} plan on ${formatLongDate(parseLocalDate(from))} → review by ${formatLongDate(parseLocalDate(reviewDate))} (set by the plan, not by a timescale rule)`,
      },
    };
  }

  private async lockPlan(tx: Transaction, caseId: string, planId: string): Promise<PlanRow> {
    const plan = await this.plans.lock(tx, caseId, planId);
    if (!plan) throw new NotFoundException(`case ${caseId} has no plan ${planId}`);
    return plan;
  }

  private async view(tx: Transaction, caseId: string, planId: string) {
    const plan = await this.plans.find(tx, caseId, planId);
    if (!plan) throw new NotFoundException(`case ${caseId} has no plan ${planId}`);
    const actions = await this.plans.actions(tx, planId);
    return { ...plan, actions, ...assessSmart(actions) };
  }

  private today() {
    return londonDateOf(this.clock.now());
  }

  /** The plan as it is being written: what consumers learn of it, in the change that writes it. */
  private announce(
    change: Change,
    caseId: string,
    plan: { id: string; version: number; kind: string; reviewDate: string },
    actions: PlanActionFacts[],
  ): void {
    const { smart, actionsNotSmart } = assessSmart(actions);
    const changed: PlanChangedV1 = {
      caseId,
      planId: plan.id,
      version: plan.version,
      kind: plan.kind,
      reviewDate: plan.reviewDate,
      actionCount: actions.length,
      smart,
      actionsNotSmart: actionsNotSmart.map((a) => a.actionId),
    };
    change.emit(EventTypes.planChanged, changed);
  }
}
