import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor, EventTypes, PlanChangedV1, SignedOffV1, SignOffSubject } from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { formatLongDate, parseLocalDate } from '@plo/timescales';
import { CaseStore, PendingEvent } from './case-store';
import { assertVersion } from './domain/concurrency';
import { assessSmart, describeStandard, PlanActionFacts, unmetStandards } from './domain/standards';
import { NewObligation, ObligationBook } from './obligations';
import { CreatePlanDto, PlanActionDto, SignOffDto, UpdatePlanDto } from './plans.dto';
import { assertNoFieldProblems, notBefore, notFuture } from '@plo/platform';

interface PlanRow {
  id: string;
  kind: string;
  agreed_on: string;
  review_date: string;
  review_obligation_id: string;
  version: number;
}

/**
 * Children's plans, whose actions each need an owner, a due date and a measurable outcome, and
 * managers' sign-off of plans and reviews, which vouches that the case meets the standards.
 */
@Injectable()
export class PlansService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: CaseStore,
    private readonly obligations: ObligationBook,
  ) {}

  async create(caseId: string, input: CreatePlanDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: false });
      const [child] = input.childId ? await manager.query('SELECT 1 FROM children WHERE case_id = $1 AND id = $2', [caseId, input.childId]) : [true];
      assertNoFieldProblems([
        notFuture('agreedOn', input.agreedOn, this.store.today()),
        notBefore('reviewDate', input.reviewDate, input.agreedOn, 'the plan was agreed'),
        !child && { field: 'childId', message: `childId ${input.childId} is not a child on case ${caseId}` },
      ]);
      const planId = randomUUID();
      const { obligationId, event } = await this.obligations.schedule(manager, row, this.reviewObligation(planId, input.kind, input.agreedOn, input.reviewDate, input.childId));
      await manager.query(
        `INSERT INTO plans (id, case_id, child_id, kind, agreed_on, review_date, review_obligation_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [planId, caseId, input.childId ?? null, input.kind, input.agreedOn, input.reviewDate, obligationId],
      );
      await this.replaceActions(manager, planId, input.actions);
      const view = await this.view(manager, caseId, planId);
      await this.store.commitChange(manager, row, actor, [this.changedEvent(caseId, view), event]);
      return view;
    });
  }

  /**
   * Replaces the plan's actions and review date against the version the caller read. A review
   * (reviewedOn) meets the review obligation and makes the new review date the next one; otherwise
   * a new review date moves the existing obligation.
   */
  async update(caseId: string, planId: string, input: UpdatePlanDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch: undefined, versionRequired: false });
      const plan = await this.lockPlan(manager, caseId, planId);
      assertVersion({ what: `plan ${planId}`, currentVersion: plan.version, ifMatch, required: true });
      assertNoFieldProblems([
        notFuture('reviewedOn', input.reviewedOn, this.store.today()),
        notBefore('reviewedOn', input.reviewedOn, plan.agreed_on, 'the plan was agreed'),
        notBefore('reviewDate', input.reviewDate, input.reviewedOn ?? plan.agreed_on, input.reviewedOn ? 'the review' : 'the plan was agreed'),
      ]);
      const events: PendingEvent[] = [];
      let obligationId = plan.review_obligation_id;
      if (input.reviewedOn) {
        events.push(...(await this.obligations.satisfy(manager, caseId, obligationId, input.reviewedOn)));
        const next = await this.obligations.schedule(manager, row, this.reviewObligation(planId, plan.kind, input.reviewedOn, input.reviewDate));
        obligationId = next.obligationId;
        events.push(next.event);
      } else if (input.reviewDate !== plan.review_date) {
        events.push(...(await this.obligations.move(manager, row, obligationId, this.reviewObligation(planId, plan.kind, plan.agreed_on, input.reviewDate))));
      }
      await manager.query(`UPDATE plans SET review_date = $2, review_obligation_id = $3, version = version + 1 WHERE id = $1`, [planId, input.reviewDate, obligationId]);
      await this.replaceActions(manager, planId, input.actions);
      const view = await this.view(manager, caseId, planId);
      await this.store.commitChange(manager, row, actor, [this.changedEvent(caseId, view), ...events]);
      return view;
    });
  }

  async list(caseId: string) {
    return this.unitOfWork.run(async (manager) => {
      await this.store.load(manager, caseId);
      const plans: { id: string }[] = await manager.query('SELECT id FROM plans WHERE case_id = $1 ORDER BY agreed_on, created_at', [caseId]);
      return Promise.all(plans.map((plan) => this.view(manager, caseId, plan.id)));
    });
  }

  async get(caseId: string, planId: string) {
    return this.unitOfWork.run((manager) => this.view(manager, caseId, planId));
  }

  /**
   * A manager's sign-off of a plan or review (at the version they read). While standards are unmet it
   * is refused, listing them, unless the manager records it as an exception with a reason.
   */
  async signOff(caseId: string, subject: SignOffSubject, subjectId: string, input: SignOffDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch: undefined, versionRequired: false });
      const today = this.store.today();
      const openObligations = await this.obligations.open(manager, caseId);
      let version: number;
      let unmet;
      if (subject === 'plan') {
        const plan = await this.lockPlan(manager, caseId, subjectId);
        version = plan.version;
        assertVersion({ what: `plan ${subjectId}`, currentVersion: version, ifMatch, required: true });
        unmet = unmetStandards({ today, openObligations, plan: { actions: await this.actions(manager, subjectId), reviewDate: plan.review_date } });
      } else {
        const [review] = await manager.query(
          `SELECT kind, status, to_char(due_date, 'YYYY-MM-DD') AS "dueDate", to_char(held_on, 'YYYY-MM-DD') AS "heldOn", version
             FROM reviews WHERE case_id = $1 AND id = $2 FOR UPDATE`,
          [caseId, subjectId],
        );
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
      await manager.query(
        `INSERT INTO sign_offs (id, case_id, subject, subject_id, subject_version, manager_id, signed_on, exception, exception_reason, unmet_standards)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [signOffId, caseId, subject, subjectId, version, actor.id, today, exception, exception ? input.exceptionReason : null, JSON.stringify(unmet)],
      );
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
      };
      await this.store.commitChange(manager, row, actor, [[EventTypes.signedOff, signed]]);
      return { id: signOffId, subject, subjectId, subjectVersion: version, managerId: actor.id, signedOn: today, exception, exceptionReason: signed.exceptionReason ?? null, unmetStandards: unmet };
    });
  }

  async signOffs(caseId: string) {
    return this.unitOfWork.run(async (manager) => {
      await this.store.load(manager, caseId);
      return manager.query(
        `SELECT id, subject, subject_id AS "subjectId", subject_version AS "subjectVersion", manager_id AS "managerId", to_char(signed_on, 'YYYY-MM-DD') AS "signedOn",
                exception, exception_reason AS "exceptionReason", unmet_standards AS "unmetStandards" FROM sign_offs WHERE case_id = $1 ORDER BY recorded_at`,
        [caseId],
      );
    });
  }

  /** A plan's review date is agreed in the plan, not computed by a timescale rule; the obligation says so. */
  private reviewObligation(planId: string, kind: string, from: string, reviewDate: string, childId?: string | null): NewObligation {
    return {
      kind: 'plan-review',
      subjectId: planId,
      childId,
      due: {
        ruleId: 'plan-review-date',
        dueDate: reviewDate,
        explanation: `Review date agreed in the ${kind} plan on ${formatLongDate(parseLocalDate(from))} → review by ${formatLongDate(parseLocalDate(reviewDate))} (set by the plan, not by a timescale rule)`,
      },
    };
  }

  private async replaceActions(manager: EntityManager, planId: string, actions: PlanActionDto[]) {
    await manager.query('DELETE FROM plan_actions WHERE plan_id = $1', [planId]);
    for (const [index, action] of actions.entries()) {
      await manager.query(
        `INSERT INTO plan_actions (id, plan_id, position, description, owner_id, due_date, measurable_outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [randomUUID(), planId, index + 1, action.description, action.ownerId ?? null, action.dueDate ?? null, action.measurableOutcome ?? null],
      );
    }
  }

  private async lockPlan(manager: EntityManager, caseId: string, planId: string): Promise<PlanRow> {
    const [plan]: PlanRow[] = await manager.query(
      `SELECT id, kind, to_char(agreed_on, 'YYYY-MM-DD') AS agreed_on, to_char(review_date, 'YYYY-MM-DD') AS review_date, review_obligation_id, version
         FROM plans WHERE case_id = $1 AND id = $2 FOR UPDATE`,
      [caseId, planId],
    );
    if (!plan) throw new NotFoundException(`case ${caseId} has no plan ${planId}`);
    return plan;
  }

  private actions(manager: EntityManager, planId: string): Promise<PlanActionFacts[]> {
    return manager.query(
      `SELECT id, position, description, owner_id AS "ownerId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", measurable_outcome AS "measurableOutcome"
         FROM plan_actions WHERE plan_id = $1 ORDER BY position`,
      [planId],
    );
  }

  private async view(manager: EntityManager, caseId: string, planId: string) {
    const [plan] = await manager.query(
      `SELECT p.id, p.case_id AS "caseId", p.child_id AS "childId", p.kind, to_char(p.agreed_on, 'YYYY-MM-DD') AS "agreedOn",
              to_char(p.review_date, 'YYYY-MM-DD') AS "reviewDate", p.review_obligation_id AS "reviewObligationId", o.status AS "reviewObligationStatus", p.version
         FROM plans p JOIN obligations o ON o.id = p.review_obligation_id WHERE p.case_id = $1 AND p.id = $2`,
      [caseId, planId],
    );
    if (!plan) throw new NotFoundException(`case ${caseId} has no plan ${planId}`);
    const actions = await this.actions(manager, planId);
    return { ...plan, actions, ...assessSmart(actions) };
  }

  private changedEvent(caseId: string, plan: { id: string; version: number; kind: string; reviewDate: string; actions: unknown[]; smart: boolean; actionsNotSmart: { actionId: string }[] }): PendingEvent {
    const changed: PlanChangedV1 = {
      caseId,
      planId: plan.id,
      version: plan.version,
      kind: plan.kind,
      reviewDate: plan.reviewDate,
      actionCount: plan.actions.length,
      smart: plan.smart,
      actionsNotSmart: plan.actionsNotSmart.map((a) => a.actionId),
    };
    return [EventTypes.planChanged, changed];
  }
}
