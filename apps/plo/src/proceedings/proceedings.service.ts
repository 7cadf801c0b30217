import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Actor,
  ChildClock,
  ChildJoinedProceedingsV1,
  EventTypes,
  ExtensionGrantedV1,
  ProceedingsIssuedV1,
  PROCEEDINGS_STAGES,
  ProceedingsStage,
  StageEnteredV1,
} from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, invalidFields, notBefore, notFuture, Principal, refusedByLaw, wrongStage } from '@plo/platform';
import { computeDeadline, daysBetween, dueInstant, londonDateOf, parseLocalDate } from '@plo/timescales';
import { checkDoneOn } from '../domain/reported-dates';
import { checkTransition, isConcluded, nextStages } from '../domain/stage-machine';
import {
  childClockDates,
  decideExtension,
  deadlinesFromIssue,
  DRAFT_ORDER_KIND,
  hmctsDisplayDateAfterExtension,
} from '../domain/timetable-rules';
import { hearingView } from '../hearings/hearing-view';
import { hearingsOf } from '../hearings/hearings.store';
import { isChildOfCase, loadCaseInfo } from '../known-cases/known-cases.store';
import { endIssueNowInvolvements, startLegalInvolvement } from '../legal-involvement/legal-involvement';
import { ploObligations, reschedule } from '../obligations/plo-obligations';
import { PloRules } from '../rules/plo-rules';
import {
  ConcludeChildProceedingsDto,
  EnterStageDto,
  FINAL_ORDERS,
  GrantExtensionDto,
  INTERIM_ORDERS,
  IssueProceedingsDto,
  JoinProceedingsDto,
  MakeOrderDto,
  TaskDoneDto,
} from './proceedings.dto';
import {
  caseOfProceedings,
  childClockOf,
  childrenView,
  courtCaseNumberTaken,
  driftView,
  extendChildClock,
  extensionsView,
  insertChildClock,
  insertExtension,
  insertProceedings,
  hearingDateOf,
  lockProceedings,
  lockTask,
  obligationsView,
  ordersOfChild,
  ordersView,
  recordStage,
  visibleOpenProceedings,
  visibleProceedingsOfCase,
} from './proceedings.store';
import { concludeChild, enterConcludingStage, finishProceedings, makeOrder, Outcome } from './child-proceedings';
import { conflictingField, unprocessableField } from './refusals';
import { currentTimetable, evaluateDrift, latestDate, publishTimetable } from './timetable';
import { childClocks } from './timetable.store';

/**
 * Obligations that entering a stage fulfils; one for a stage that was skipped (no further CMH) is
 * no longer owed once a later stage is entered.
 */
const STAGE_OF_OBLIGATION = new Map<string, ProceedingsStage>([
  ['gatekeeping', 'gatekeeping'],
  ['case-management-hearing', 'case-management-hearing'],
  ['further-case-management-hearing', 'further-case-management-hearing'],
]);

@Injectable()
export class ProceedingsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: PloRules,
  ) {}

  /** Issue starts one 26-week clock per child and the PD12A windows; the case shows the latest clock. */
  async issue(input: IssueProceedingsDto, actor: Actor) {
    if (input.submittedOn > input.issuedOn)
      throw invalidFields([{ field: 'submittedOn', message: 'submittedOn must not be after issuedOn' }]);
    return this.unitOfWork.change({ subject: input.caseId, actor }, async (change) => {
      const info = await loadCaseInfo(change, input.caseId);
      if (info.closedOn) throw new ConflictException(`case ${input.caseId} is closed`);
      if (await courtCaseNumberTaken(change, input.courtCaseNumber))
        throw new ConflictException(`court case number ${input.courtCaseNumber} is already recorded`);

      const pack = await this.rules.forCouncil(change, info.councilId);
      const issuedOn = parseLocalDate(input.issuedOn);
      const warning = computeDeadline('proceedings-warning-week-20', issuedOn, pack);
      // The council may count its warning in other units; the explanation speaks in weeks.
      const warningWeek = Math.round(daysBetween(issuedOn, warning.dueDate) / 7);
      const proceedingsId = randomUUID();
      await insertProceedings(change, {
        id: proceedingsId,
        caseId: input.caseId,
        court: input.court,
        courtCaseNumber: input.courtCaseNumber,
        issuedOn: input.issuedOn,
        submittedOn: input.submittedOn,
        warningOn: warning.dueDate,
        warningWeek,
      });
      const { completion, hmctsDisplay } = childClockDates(issuedOn, parseLocalDate(input.submittedOn), pack);
      const children: ChildClock[] = [];
      const childIds = [...new Set(input.childIds)];
      const issued: ProceedingsIssuedV1 = {
        caseId: input.caseId,
        proceedingsId,
        court: input.court,
        courtCaseNumber: input.courtCaseNumber,
        issuedOn: input.issuedOn,
        submittedOn: input.submittedOn,
        children,
        caseCompletionDate: completion.dueDate,
      };
      change.emit(EventTypes.proceedingsIssued, issued);
      for (const childId of childIds) {
        const obligationId = randomUUID();
        await insertChildClock(change, {
          proceedingsId,
          childId,
          obligationId,
          issuedOn: input.issuedOn,
          completionDate: completion.dueDate,
          hmctsDisplayDate: hmctsDisplay.dueDate,
          noFinalHearingWarningOn: warning.dueDate,
        });
        children.push({ childId, completionDate: completion.dueDate, hmctsDisplayDate: hmctsDisplay.dueDate });
        await ploObligations.schedule(change, info, {
          id: obligationId,
          kind: 'proceedings-completion',
          due: completion,
          childId,
          references: { proceedings_id: proceedingsId },
        });
        await startLegalInvolvement(change, {
          caseId: input.caseId,
          childId,
          involvement: 'care-proceedings',
          involvementId: proceedingsId,
          startDate: input.issuedOn,
        });
      }
      await endIssueNowInvolvements(change, input.caseId, input.issuedOn);
      for (const planned of deadlinesFromIssue(issuedOn, pack)) {
        await ploObligations.schedule(change, info, {
          kind: planned.kind,
          due: planned.deadline,
          references: { proceedings_id: proceedingsId },
        });
      }
      const proceedings = await lockProceedings(change, proceedingsId);
      await evaluateDrift(change, proceedings, 'issued', 'issued');
      await publishTimetable(change, proceedings, this.rules);
      return { ...issued, stage: 'issued', explanation: completion.explanation, noFinalHearingWarningOn: warning.dueDate };
    });
  }

  async enterStage(proceedingsId: string, input: EnterStageDto, actor: Actor) {
    const caseId = await this.unitOfWork.transaction((tx) => caseOfProceedings(tx, proceedingsId));
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const proceedings = await lockProceedings(change, proceedingsId);
      const check = checkTransition(proceedings.stage, input.stage);
      if (!check.allowed) throw wrongStage(proceedings.stage, check.reason, { nextStages: nextStages(proceedings.stage) });
      if (input.enteredOn < proceedings.issuedOn)
        throw invalidFields([{ field: 'enteredOn', message: `enteredOn must not be before the issue date ${proceedings.issuedOn}` }]);
      const concluding = isConcluded(input.stage);
      await recordStage(
        change,
        proceedingsId,
        input.stage,
        proceedings.stage,
        input.enteredOn,
        concluding ? input.enteredOn : null,
        change.actor.id,
      );
      const entered: StageEnteredV1 = {
        caseId: proceedings.caseId,
        proceedingsId,
        stage: input.stage,
        previousStage: proceedings.stage,
        enteredOn: input.enteredOn,
      };
      change.emit(EventTypes.stageEntered, entered);

      if (concluding) {
        // Concluding the whole proceedings concludes each child still in them, as if one by one.
        const outcome = input.stage as Outcome;
        for (const clock of await childClocks(change, proceedingsId))
          if (!clock.concluded_on) await concludeChild(change, proceedings, clock, outcome, input.enteredOn);
        await finishProceedings(change, proceedings, outcome, input.enteredOn);
      } else {
        const open = await ploObligations.open(change, proceedings.caseId, { references: { proceedings_id: proceedingsId } });
        const entered = PROCEEDINGS_STAGES.indexOf(input.stage);
        for (const obligation of open) {
          const stage = STAGE_OF_OBLIGATION.get(obligation.kind);
          if (stage === undefined) continue;
          const position = PROCEEDINGS_STAGES.indexOf(stage);
          if (position === entered) await ploObligations.satisfy(change, proceedings.caseId, { id: obligation.id }, input.enteredOn);
          else if (position < entered)
            await ploObligations.cancel(change, proceedings.caseId, `not needed: proceedings moved on to ${input.stage}`, {
              id: obligation.id,
            });
        }
      }
      await evaluateDrift(
        change,
        proceedings,
        input.stage,
        concluding ? `proceedings concluded (${input.stage})` : `stage ${input.stage} entered`,
      );
      await publishTimetable(change, proceedings, this.rules);
      return { ...entered, nextStages: nextStages(input.stage) };
    });
  }

  async grantExtension(proceedingsId: string, childId: string, input: GrantExtensionDto, actor: Actor) {
    if ((input.newEndDate === undefined) === (input.extendBy === undefined)) {
      const message = 'give exactly one of newEndDate (an explicit date) and extendBy ("8 weeks")';
      throw invalidFields([
        { field: 'newEndDate', message },
        { field: 'extendBy', message },
      ]);
    }
    const caseId = await this.unitOfWork.transaction((tx) => caseOfProceedings(tx, proceedingsId));
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const proceedings = await lockProceedings(change, proceedingsId);
      if (isConcluded(proceedings.stage))
        throw wrongStage(proceedings.stage, `proceedings are at stage '${proceedings.stage}'; a concluded case cannot be extended`);
      const clock = await childClockOf(change, proceedingsId, childId);
      if (!clock) throw new NotFoundException(`child ${childId} is not in proceedings ${proceedingsId}`);
      const approvingHearingDate = input.hearingId ? await hearingDateOf(change, proceedingsId, input.hearingId) : undefined;
      if (clock.concluded_on)
        throw new ConflictException({
          statusCode: 409,
          message: `the child's proceedings concluded (${clock.outcome}) on ${clock.concluded_on}; their 26 weeks cannot be extended`,
          currentStatus: 'concluded',
        });
      if (input.hearingId && approvingHearingDate === undefined) {
        throw invalidFields([{ field: 'hearingId', message: `hearing ${input.hearingId} is not a hearing of these proceedings` }]);
      }
      if (input.grantedOn < proceedings.issuedOn)
        throw invalidFields([{ field: 'grantedOn', message: `grantedOn must not be before the issue date ${proceedings.issuedOn}` }]);
      const currentEndDate = parseLocalDate(clock.completion_date);
      const grantedOn = parseLocalDate(input.grantedOn);
      const decision = decideExtension(
        input.newEndDate
          ? { currentEndDate, grantedOn, newEndDate: parseLocalDate(input.newEndDate) }
          : { currentEndDate, grantedOn, eightWeeks: true },
        this.rules.pack,
      );
      if (!decision.allowed) throw refusedByLaw(decision.message, { latestAllowedEndDate: decision.latestAllowedEndDate, currentEndDate });

      const extensionId = randomUUID();
      await insertExtension(change, {
        id: extensionId,
        proceedingsId,
        childId,
        grantedOn,
        hearingId: input.hearingId ?? null,
        previousEndDate: currentEndDate,
        newEndDate: decision.newEndDate,
        latestAllowedEndDate: decision.latestAllowedEndDate,
        requestedAs: input.extendBy ? 'eight-weeks' : 'explicit-date',
        reason: input.reason,
        recordedBy: change.actor.id,
      });
      const hmctsDisplayDate = hmctsDisplayDateAfterExtension(parseLocalDate(approvingHearingDate ?? input.grantedOn), {
        newEndDate: input.newEndDate ? decision.newEndDate : undefined,
      });
      await extendChildClock(change, proceedingsId, childId, decision.newEndDate, hmctsDisplayDate);
      const clocks = await childClocks(change, proceedingsId);
      // hmctsDisplayDate is an additive field (consumers tolerate it) until ExtensionGrantedV1 declares it.
      const granted: ExtensionGrantedV1 & { hmctsDisplayDate: string } = {
        caseId: proceedings.caseId,
        proceedingsId,
        childId,
        extensionId,
        grantedOn,
        ...(input.hearingId ? { hearingId: input.hearingId } : {}),
        previousEndDate: currentEndDate,
        newEndDate: decision.newEndDate,
        hmctsDisplayDate,
        latestAllowedEndDate: decision.latestAllowedEndDate,
        requestedAs: input.extendBy ? 'eight-weeks' : 'explicit-date',
        reason: input.reason,
        recordedBy: change.actor.id,
        caseCompletionDate: latestDate(clocks.map((c) => c.completion_date)),
        explanation: decision.explanation,
      };
      change.emit(EventTypes.extensionGranted, granted);
      const [obligation] = await ploObligations.open(change, proceedings.caseId, { id: clock.obligation_id });
      if (obligation) await reschedule(change, proceedings.caseInfo, obligation, decision.deadline);
      await evaluateDrift(change, proceedings, proceedings.stage, `extension granted to ${decision.newEndDate}`);
      await publishTimetable(change, proceedings, this.rules);
      return granted;
    });
  }

  /**
   * A child joins proceedings already running (a baby born during them): their own issue date, their
   * own 26 weeks and completion obligation, and their own legal involvement.
   */
  async joinChild(proceedingsId: string, input: JoinProceedingsDto, actor: Actor) {
    const caseId = await this.unitOfWork.transaction((tx) => caseOfProceedings(tx, proceedingsId));
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const proceedings = await lockProceedings(change, proceedingsId);
      if (isConcluded(proceedings.stage))
        throw wrongStage(proceedings.stage, `proceedings are at stage '${proceedings.stage}'; no child can join concluded proceedings`);
      if (await childClockOf(change, proceedingsId, input.childId))
        throw conflictingField('childId', `child ${input.childId} is already in proceedings ${proceedingsId}`);
      if (!(await isChildOfCase(change, caseId, input.childId)))
        throw unprocessableField('childId', `child ${input.childId} is not a child of case ${caseId} as the cases service announced it`);
      assertNoFieldProblems([
        notBefore('issuedOn', input.issuedOn, proceedings.issuedOn, 'the issue of the proceedings'),
        notFuture('issuedOn', input.issuedOn, londonDateOf(change.now)),
      ]);
      const pack = await this.rules.forCouncil(change, proceedings.caseInfo.councilId);
      const issuedOn = parseLocalDate(input.issuedOn);
      // The application that adds the child is made and issued together: HMCTS counts from it.
      const { completion, hmctsDisplay } = childClockDates(issuedOn, issuedOn, pack);
      // Each child's 26 weeks run from their own issue, and so does the warning that no final hearing is listed.
      const warning = computeDeadline('proceedings-warning-week-20', issuedOn, pack);
      const obligationId = randomUUID();
      await insertChildClock(change, {
        proceedingsId,
        childId: input.childId,
        obligationId,
        issuedOn: input.issuedOn,
        completionDate: completion.dueDate,
        hmctsDisplayDate: hmctsDisplay.dueDate,
        noFinalHearingWarningOn: warning.dueDate,
      });
      await ploObligations.schedule(change, proceedings.caseInfo, {
        id: obligationId,
        kind: 'proceedings-completion',
        due: completion,
        childId: input.childId,
        references: { proceedings_id: proceedingsId },
      });
      const clocks = await childClocks(change, proceedingsId);
      const joined: ChildJoinedProceedingsV1 = {
        caseId,
        proceedingsId,
        childId: input.childId,
        issuedOn: input.issuedOn,
        completionDate: completion.dueDate,
        hmctsDisplayDate: hmctsDisplay.dueDate,
        caseCompletionDate: latestDate(clocks.map((c) => c.completion_date)),
      };
      change.emit(EventTypes.childJoinedProceedings, joined);
      await startLegalInvolvement(change, {
        caseId,
        childId: input.childId,
        involvement: 'care-proceedings',
        involvementId: proceedingsId,
        startDate: input.issuedOn,
      });
      await evaluateDrift(change, proceedings, proceedings.stage, `child ${input.childId} joined the proceedings`);
      await publishTimetable(change, proceedings, this.rules);
      return { ...joined, explanation: completion.explanation };
    });
  }

  /**
   * One child's proceedings end (a final order is made per child); a sibling's go on with their own
   * clock and projection. The proceedings conclude with their last child's.
   */
  async concludeChildProceedings(proceedingsId: string, childId: string, input: ConcludeChildProceedingsDto, actor: Actor) {
    if (input.finalOrder && input.outcome !== 'final-order')
      throw invalidFields([{ field: 'finalOrder', message: 'a final order is given only with outcome final-order' }]);
    const caseId = await this.unitOfWork.transaction((tx) => caseOfProceedings(tx, proceedingsId));
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const proceedings = await lockProceedings(change, proceedingsId);
      if (isConcluded(proceedings.stage))
        throw wrongStage(proceedings.stage, `proceedings are at stage '${proceedings.stage}'; every child's proceedings have concluded`);
      const clocks = await childClocks(change, proceedingsId);
      const clock = clocks.find((c) => c.child_id === childId);
      if (!clock) throw new NotFoundException(`child ${childId} is not in proceedings ${proceedingsId}`);
      if (clock.concluded_on)
        throw conflictingField('childId', `the child's proceedings already concluded (${clock.outcome}) on ${clock.concluded_on}`, {
          currentStatus: 'concluded',
        });
      assertNoFieldProblems([
        notBefore('concludedOn', input.concludedOn, clock.issued_on, "the child's issue date"),
        notFuture('concludedOn', input.concludedOn, londonDateOf(change.now)),
      ]);
      const finalOrder = input.finalOrder
        ? await makeOrder(change, proceedings, {
            id: randomUUID(),
            childId,
            order: input.finalOrder,
            madeOn: input.concludedOn,
            endsOn: null,
            hearingId: null,
          })
        : undefined;
      await concludeChild(change, proceedings, clock, input.outcome, input.concludedOn);
      let stage = proceedings.stage;
      if (clocks.every((c) => c.child_id === childId || c.concluded_on)) {
        const outcome = await enterConcludingStage(change, proceedings, input.concludedOn);
        await finishProceedings(change, proceedings, outcome, input.concludedOn);
        stage = outcome;
      }
      await evaluateDrift(change, proceedings, stage, `the child's proceedings concluded (${input.outcome})`);
      await publishTimetable(change, proceedings, this.rules);
      return {
        caseId,
        proceedingsId,
        childId,
        outcome: input.outcome,
        concludedOn: input.concludedOn,
        completionDate: clock.completion_date,
        withinTimescale: input.concludedOn <= clock.completion_date,
        ...(finalOrder ? { finalOrder } : {}),
        stage,
      };
    });
  }

  /** An order for one child (interim or final). An interim order lasts at most until the child's proceedings end. */
  async makeOrder(proceedingsId: string, input: MakeOrderDto, actor: Actor) {
    const caseId = await this.unitOfWork.transaction((tx) => caseOfProceedings(tx, proceedingsId));
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const proceedings = await lockProceedings(change, proceedingsId);
      const clock = await childClockOf(change, proceedingsId, input.childId);
      if (!clock) throw unprocessableField('childId', `child ${input.childId} is not in proceedings ${proceedingsId}`);
      if (input.hearingId && (await hearingDateOf(change, proceedingsId, input.hearingId)) === undefined)
        throw invalidFields([{ field: 'hearingId', message: `hearing ${input.hearingId} is not a hearing of these proceedings` }]);
      assertNoFieldProblems([
        notBefore('madeOn', input.madeOn, clock.issued_on, "the child's issue date"),
        notFuture('madeOn', input.madeOn, londonDateOf(change.now)),
        input.endsOn !== undefined &&
          input.endsOn < input.madeOn && { field: 'endsOn', message: `endsOn ${input.endsOn} is before madeOn ${input.madeOn}` },
      ]);
      if ((INTERIM_ORDERS as readonly string[]).includes(input.order)) {
        const [final] = await ordersOfChild(change, proceedingsId, input.childId, FINAL_ORDERS);
        if (final)
          throw conflictingField(
            'order',
            `a ${final.order_type} was made for the child on ${final.made_on}; an interim order cannot follow a final order`,
            { currentStatus: 'final-order' },
          );
        if (clock.concluded_on)
          throw conflictingField('order', `the child's proceedings concluded on ${clock.concluded_on}; an interim order cannot follow`, {
            currentStatus: 'concluded',
          });
      }
      return makeOrder(change, proceedings, {
        id: randomUUID(),
        childId: input.childId,
        order: input.order,
        madeOn: input.madeOn,
        endsOn: input.endsOn ?? null,
        hearingId: input.hearingId ?? null,
      });
    });
  }

  async view(proceedingsId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      const proceedings = await lockProceedings(tx, proceedingsId);
      const children = await childrenView(tx, proceedingsId);
      const extensions = await extensionsView(tx, proceedingsId);
      const hearings = (await hearingsOf(tx, proceedingsId)).map(hearingView);
      const obligations = await obligationsView(tx, proceedingsId);
      const drift = await driftView(tx, proceedingsId);
      const orders = await ordersView(tx, proceedingsId);
      return {
        id: proceedings.id,
        caseId: proceedings.caseId,
        court: proceedings.court,
        courtCaseNumber: proceedings.courtCaseNumber,
        issuedOn: proceedings.issuedOn,
        submittedOn: proceedings.submittedOn,
        stage: proceedings.stage,
        nextStages: nextStages(proceedings.stage),
        concludedOn: proceedings.concludedOn,
        caseCompletionDate: latestDate(children.map((c) => c.completionDate)),
        noFinalHearingWarningOn: proceedings.noFinalHearingWarningOn,
        children: children.map((child) => ({
          ...child,
          extensions: extensions.filter((e) => e.childId === child.childId),
          orders: orders.filter((o) => o.childId === child.childId),
        })),
        hearings,
        // The rule's name and time of day, read back from the pack that computed the stored date.
        obligations: obligations.map((obligation) => {
          const rule = this.rules.pack.rule(obligation.ruleId);
          return { ...obligation, title: rule.title, dueAt: dueInstant(rule, parseLocalDate(obligation.dueDate)) ?? null };
        }),
        projectedDrift: drift,
      };
    });
  }

  /** The case's proceedings the caller may see (none of another council's, in the database query itself). */
  async listForCase(caseId: string, principal: Principal) {
    const ids = await this.unitOfWork.transaction((tx) => visibleProceedingsOfCase(tx, caseId, principal));
    return Promise.all(ids.map((id) => this.view(id)));
  }

  /** Every open set of proceedings the caller may see, the most urgent child's first (legal staff's list). */
  async listOpen(principal: Principal) {
    const ids = await this.unitOfWork.transaction((tx) => visibleOpenProceedings(tx, principal));
    return Promise.all(ids.map((id) => this.view(id)));
  }

  async timetable(proceedingsId: string) {
    return this.unitOfWork.transaction(async (tx) => currentTimetable(tx, await lockProceedings(tx, proceedingsId), this.rules));
  }

  /**
   * Work due before a hearing (advocates' meeting, bundle, case summary) is done when someone says so;
   * until then it stays open and alerting counts it. Other obligations are met by the proceedings
   * themselves (a stage entered, a final order, a draft order uploaded).
   */
  async markTaskDone(proceedingsId: string, obligationId: string, input: TaskDoneDto, actor: Actor) {
    const caseId = await this.unitOfWork.transaction((tx) => caseOfProceedings(tx, proceedingsId));
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const proceedings = await lockProceedings(change, proceedingsId);
      const task = await lockTask(change, proceedingsId, obligationId);
      if (!task) throw new NotFoundException(`obligation ${obligationId} is not an obligation of proceedings ${proceedingsId}`);
      if (!task.hearing_id || task.kind === DRAFT_ORDER_KIND) {
        const how =
          task.kind === DRAFT_ORDER_KIND
            ? `record the upload with POST /proceedings/${proceedingsId}/hearings/${task.hearing_id}/draft-order`
            : 'it is met by the proceedings themselves (a stage entered or a final order)';
        throw invalidFields([
          { field: 'obligationId', message: `obligation ${obligationId} (${task.kind}) is not a task to mark done: ${how}` },
        ]);
      }
      if (task.status !== 'open')
        throw new ConflictException({
          statusCode: 409,
          message: `obligation ${obligationId} is already ${task.status}`,
          currentStatus: task.status,
        });
      checkDoneOn('doneOn', input.doneOn, proceedings.issuedOn, londonDateOf(change.now));
      await ploObligations.satisfy(change, proceedings.caseId, { id: task.id }, input.doneOn);
      await publishTimetable(change, proceedings, this.rules);
      return {
        obligationId,
        kind: task.kind,
        hearingId: task.hearing_id,
        dueDate: task.due_date,
        status: 'satisfied',
        satisfiedOn: input.doneOn,
        satisfiedBy: change.actor.id,
      };
    });
  }
}
