import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, AssessmentCancelledV1, AssessmentCompletedV1, AssessmentStartedV1, EventTypes } from '@plo/contracts';
import { Transaction, UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, notBefore, notFuture } from '@plo/platform';
import { computeDeadline, londonDateOf, parseLocalDate } from '@plo/timescales';
import { CaseChanges } from '../case/case-changes';
import { CaseObligations, responsibleFor, SUBJECT } from '../case/case-obligations';
import { CaseStore } from '../case/case.store';
import { CouncilRulePacks } from '../council-rules/council-rule-packs';
import { CancelAssessmentDto, CompleteAssessmentDto, StartAssessmentDto } from './assessments.dto';
import { AssessmentsStore } from './assessments.store';
import { AssessmentView } from './assessments.views';

/**
 * The council's target for an assessment: its local rule, which the rule pack caps at Working
 * Together's 45 working days from the referral, so a council can only shorten it.
 */
const TARGET_RULE = 'assessment-local-target';
const OBLIGATION_KIND = 'assessment';

/** Child-and-family assessments: one per child, from a referral, each an `assessment` obligation met, met late or cancelled. */
@Injectable()
export class AssessmentsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly assessments: AssessmentsStore,
    private readonly obligations: CaseObligations,
    private readonly packs: CouncilRulePacks,
    private readonly clock: Clock,
  ) {}

  async start(caseId: string, input: StartAssessmentDto, ifMatch: string | undefined, actor: Actor): Promise<AssessmentView[]> {
    assertNoFieldProblems([
      notFuture('startedOn', input.startedOn, this.today()),
      input.childId !== undefined && input.childIds !== undefined && { field: 'childId', message: 'give childId or childIds, not both' },
    ]);
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      const referral = await this.assessments.referral(change, caseId, input.referralId);
      assertNoFieldProblems([
        !referral && { field: 'referralId', message: `referralId ${input.referralId} is not a referral on case ${caseId}` },
        referral?.kind === 'contact' && {
          field: 'referralId',
          message: `referralId ${input.referralId} is a contact: record the referral it led to and start from that`,
        },
      ]);
      const { receivedOn, childIds: referred } = referral!;
      const childIds = input.childIds ?? (input.childId ? [input.childId] : referred);
      const field = input.childId ? 'childId' : 'childIds';
      const strangers = childIds.filter((id) => !referred.includes(id));
      assertNoFieldProblems([
        notBefore('startedOn', input.startedOn, receivedOn, 'the referral was received'),
        strangers.length > 0 && {
          field,
          message: `${field} ${strangers.join(', ')} not among the children referral ${input.referralId} is about`,
        },
      ]);
      const assessed = await this.assessments.alreadyAssessed(change, input.referralId, childIds);
      if (assessed.length)
        throw new ConflictException(
          `referral ${input.referralId} already has an assessment for ${assessed.join(', ')} (cancel it to start again)`,
        );
      const due = computeDeadline(TARGET_RULE, parseLocalDate(receivedOn), await this.packs.packFor(change, row.council_id));
      const ids: string[] = [];
      for (const childId of childIds) {
        const assessmentId = randomUUID();
        const obligationId = await this.obligations.schedule(change, responsibleFor(row), {
          kind: OBLIGATION_KIND,
          due,
          childId,
          references: { [SUBJECT]: assessmentId },
        });
        await this.assessments.insert(change, {
          id: assessmentId,
          caseId,
          childId,
          referralId: input.referralId,
          startedOn: input.startedOn,
          obligationId,
        });
        const started: AssessmentStartedV1 = {
          caseId,
          childId,
          assessmentId,
          referralId: input.referralId,
          startedOn: input.startedOn,
          dueDate: due.dueDate,
        };
        change.emit(EventTypes.assessmentStarted, started);
        ids.push(assessmentId);
      }
      const views = await this.assessments.list(change, caseId);
      return views.filter((view) => ids.includes(view.id));
    });
  }

  async complete(
    caseId: string,
    assessmentId: string,
    input: CompleteAssessmentDto,
    ifMatch: string | undefined,
    actor: Actor,
  ): Promise<AssessmentView> {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change) => {
      const assessment = await this.inProgress(change, caseId, assessmentId);
      assertNoFieldProblems([
        notFuture('completedOn', input.completedOn, this.today()),
        notBefore('completedOn', input.completedOn, assessment.startedOn, 'it started'),
      ]);
      await this.assessments.complete(change, assessmentId, input.completedOn, input.outcome);
      // Met on the day it was completed: after the due date the alert resolves as met late.
      await this.obligations.satisfy(change, caseId, { id: assessment.obligationId }, input.completedOn);
      const completed: AssessmentCompletedV1 = {
        caseId,
        childId: assessment.childId,
        assessmentId,
        completedOn: input.completedOn,
        outcome: input.outcome,
      };
      change.emit(EventTypes.assessmentCompleted, completed);
      return this.view(change, caseId, assessmentId);
    });
  }

  async cancel(caseId: string, assessmentId: string, input: CancelAssessmentDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change) => {
      const assessment = await this.inProgress(change, caseId, assessmentId);
      assertNoFieldProblems([
        notFuture('cancelledOn', input.cancelledOn, this.today()),
        notBefore('cancelledOn', input.cancelledOn, assessment.startedOn, 'it started'),
      ]);
      await this.assessments.cancel(change, assessmentId, input.cancelledOn, input.reason);
      await this.obligations.cancel(change, caseId, `assessment cancelled: ${input.reason}`, { id: assessment.obligationId });
      const cancelled: AssessmentCancelledV1 = {
        caseId,
        childId: assessment.childId,
        assessmentId,
        cancelledOn: input.cancelledOn,
        reason: input.reason,
      };
      change.emit(EventTypes.assessmentCancelled, cancelled);
      return this.view(change, caseId, assessmentId);
    });
  }

  async list(caseId: string): Promise<AssessmentView[]> {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.assessments.list(tx, caseId);
    });
  }

  async get(caseId: string, assessmentId: string): Promise<AssessmentView> {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.view(tx, caseId, assessmentId);
    });
  }

  /** The assessment, refused with 409 once it has been completed or cancelled: each ends once. */
  private async inProgress(tx: Transaction, caseId: string, assessmentId: string): Promise<AssessmentView> {
    const assessment = await this.view(tx, caseId, assessmentId);
    if (assessment.state === 'completed')
      throw new ConflictException(`assessment ${assessmentId} was already completed on ${assessment.completedOn} (${assessment.outcome})`);
    if (assessment.state === 'cancelled')
      throw new ConflictException(`assessment ${assessmentId} was cancelled on ${assessment.cancelledOn}`);
    return assessment;
  }

  private async view(tx: Transaction, caseId: string, assessmentId: string): Promise<AssessmentView> {
    const [assessment] = await this.assessments.list(tx, caseId, assessmentId);
    if (!assessment) throw new NotFoundException(`case ${caseId} has no assessment ${assessmentId}`);
    return assessment;
  }

  private today() {
    return londonDateOf(this.clock.now());
  }
}
