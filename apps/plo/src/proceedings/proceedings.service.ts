import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Actor,
  ChildClock,
  EventTypes,
  ExtensionGrantedV1,
  ProceedingsConcludedV1,
  ProceedingsIssuedV1,
  PROCEEDINGS_STAGES,
  ProceedingsStage,
  StageEnteredV1,
} from '@plo/contracts';
import { Change, UnitOfWork } from '@plo/messaging';
import { OpenObligation } from '@plo/obligations';
import { invalidFields, Principal, refusedByLaw, wrongStage } from '@plo/platform';
import { computeDeadline, daysBetween, londonDateOf, parseLocalDate } from '@plo/timescales';
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
import { loadCaseInfo } from '../known-cases/known-cases.store';
import { ploObligations, reschedule } from '../obligations/plo-obligations';
import { PloRules } from '../rules/plo-rules';
import { EnterStageDto, GrantExtensionDto, IssueProceedingsDto, TaskDoneDto } from './proceedings.dto';
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
  ProceedingsRecord,
  recordStage,
  visibleProceedingsOfCase,
} from './proceedings.store';
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
        await insertChildClock(change, proceedingsId, childId, obligationId, completion.dueDate, hmctsDisplay.dueDate);
        children.push({ childId, completionDate: completion.dueDate, hmctsDisplayDate: hmctsDisplay.dueDate });
        await ploObligations.schedule(change, info, {
          id: obligationId,
          kind: 'proceedings-completion',
          due: completion,
          childId,
          references: { proceedings_id: proceedingsId },
        });
      }
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

      const open = await ploObligations.open(change, proceedings.caseId, { references: { proceedings_id: proceedingsId } });
      if (concluding) {
        await this.conclude(change, proceedings, input.stage as 'final-order' | 'withdrawn', input.enteredOn, open);
      } else {
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

  /** A final order meets each child's clock (late or not); withdrawal ends it; nothing else stays open. */
  private async conclude(
    change: Change,
    proceedings: ProceedingsRecord,
    outcome: 'final-order' | 'withdrawn',
    on: string,
    open: OpenObligation[],
  ) {
    for (const obligation of open) {
      if (obligation.kind === 'proceedings-completion' && outcome === 'final-order')
        await ploObligations.satisfy(change, proceedings.caseId, { id: obligation.id }, on);
      else await ploObligations.cancel(change, proceedings.caseId, `proceedings concluded: ${outcome}`, { id: obligation.id });
    }
    const clocks = await childClocks(change, proceedings.id);
    const concluded: ProceedingsConcludedV1 = {
      caseId: proceedings.caseId,
      proceedingsId: proceedings.id,
      outcome,
      concludedOn: on,
      children: clocks.map((clock) => ({
        childId: clock.child_id,
        completionDate: clock.completion_date,
        withinTimescale: on <= clock.completion_date,
      })),
    };
    change.emit(EventTypes.proceedingsConcluded, concluded);
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

  async view(proceedingsId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      const proceedings = await lockProceedings(tx, proceedingsId);
      const children = await childrenView(tx, proceedingsId);
      const extensions = await extensionsView(tx, proceedingsId);
      const hearings = (await hearingsOf(tx, proceedingsId)).map(hearingView);
      const obligations = await obligationsView(tx, proceedingsId);
      const drift = await driftView(tx, proceedingsId);
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
        children: children.map((child) => ({ ...child, extensions: extensions.filter((e) => e.childId === child.childId) })),
        hearings,
        obligations,
        projectedDrift: drift,
      };
    });
  }

  /** The case's proceedings the caller may see (none of another council's, in the database query itself). */
  async listForCase(caseId: string, principal: Principal) {
    const ids = await this.unitOfWork.transaction((tx) => visibleProceedingsOfCase(tx, caseId, principal));
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
