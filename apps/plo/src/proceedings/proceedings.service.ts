import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  Actor,
  CaseAllocatedV1,
  CaseClosedV1,
  CaseOpenedV1,
  ChildClock,
  EventTypes,
  ExtensionGrantedV1,
  ProceedingsConcludedV1,
  ProceedingsIssuedV1,
  PROCEEDINGS_STAGES,
  ProceedingsStage,
  StageEnteredV1,
} from '@plo/contracts';
import { OutboxWriter, UnitOfWork } from '@plo/messaging';
import { Clock, invalidFields, Principal, refusedByLaw, wrongStage } from '@plo/platform';
import { computeDeadline, daysBetween, parseLocalDate } from '@plo/timescales';
import { ChangeSet } from './change-set';
import { checkTransition, isConcluded, nextStages } from './domain/stage-machine';
import { childClockDates, decideExtension, deadlinesFromIssue, DRAFT_ORDER_KIND, hmctsDisplayDateAfterExtension } from './domain/timetable-rules';
import { cancelObligation, moveObligation, openObligations, satisfyObligation, scheduleObligation } from './obligations';
import { PloRules } from './plo-rules';
import { EnterStageDto, GrantExtensionDto, IssueProceedingsDto, TaskDoneDto } from './proceedings.dto';
import { HEARING_COLUMNS, loadCaseInfo, lockProceedings, ProceedingsRecord } from './proceedings.store';
import { visibleCasesSql } from './plo-access';
import { childClocks, currentTimetable, evaluateDrift, latestDate, publishTimetable } from './timetable';

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
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly rules: PloRules,
  ) {}

  async rememberCase(manager: EntityManager, data: CaseOpenedV1) {
    await manager.query(
      `INSERT INTO known_cases (case_id, council_id, case_reference, team_id, allocated_worker_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (case_id) DO NOTHING`,
      [data.caseId, data.councilId, data.caseReference, data.teamId, data.allocatedWorkerId],
    );
  }

  /** Worker and team calendar feeds follow the case to its new worker. */
  async rememberAllocation(manager: EntityManager, data: CaseAllocatedV1) {
    await manager.query('UPDATE known_cases SET team_id = $2, allocated_worker_id = $3 WHERE case_id = $1', [data.caseId, data.teamId, data.allocatedWorkerId]);
  }

  async forgetClosedCase(manager: EntityManager, data: CaseClosedV1) {
    await manager.query('UPDATE known_cases SET closed_on = $2 WHERE case_id = $1', [data.caseId, data.closedOn]);
  }

  /** Runs one change of one case's proceedings in a transaction and publishes what it emitted. */
  async change<T>(caseId: string | ((manager: EntityManager) => Promise<string>), actor: Actor, work: (change: ChangeSet) => Promise<T>): Promise<T> {
    return this.unitOfWork.run(async (manager) => {
      const id = typeof caseId === 'string' ? caseId : await caseId(manager);
      const change = new ChangeSet(manager, id, actor, this.clock.now());
      const result = await work(change);
      await change.publish(this.outbox);
      return result;
    });
  }

  private caseOf(proceedingsId: string) {
    return async (manager: EntityManager) => {
      const [row] = await manager.query('SELECT case_id FROM proceedings WHERE id = $1', [proceedingsId]);
      if (!row) throw new NotFoundException(`proceedings ${proceedingsId} do not exist`);
      return row.case_id as string;
    };
  }

  /** Issue starts one 26-week clock per child and the PD12A windows; the case shows the latest clock. */
  async issue(input: IssueProceedingsDto, actor: Actor) {
    if (input.submittedOn > input.issuedOn) throw invalidFields([{ field: 'submittedOn', message: 'submittedOn must not be after issuedOn' }]);
    return this.change(input.caseId, actor, async (change) => {
      const { manager } = change;
      const info = await loadCaseInfo(manager, input.caseId);
      if (info.closedOn) throw new ConflictException(`case ${input.caseId} is closed`);
      const [duplicate] = await manager.query('SELECT id FROM proceedings WHERE upper(court_case_number) = upper($1)', [input.courtCaseNumber]);
      if (duplicate) throw new ConflictException(`court case number ${input.courtCaseNumber} is already recorded`);

      const pack = await this.rules.forCouncil(manager, info.councilId);
      const issuedOn = parseLocalDate(input.issuedOn);
      const warning = computeDeadline('proceedings-warning-week-20', issuedOn, pack);
      // The council may count its warning in other units; the explanation speaks in weeks.
      const warningWeek = Math.round(daysBetween(issuedOn, warning.dueDate) / 7);
      const proceedingsId = randomUUID();
      await manager.query(
        `INSERT INTO proceedings (id, case_id, court, court_case_number, issued_on, submitted_on, stage_entered_on, no_final_hearing_warning_on, no_final_hearing_warning_week)
         VALUES ($1, $2, $3, $4, $5, $6, $5, $7, $8)`,
        [proceedingsId, input.caseId, input.court, input.courtCaseNumber, input.issuedOn, input.submittedOn, warning.dueDate, warningWeek],
      );
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
        await manager.query(
          `INSERT INTO child_clocks (proceedings_id, child_id, obligation_id, completion_date, original_completion_date, hmcts_display_date)
           VALUES ($1, $2, $3, $4, $4, $5)`,
          [proceedingsId, childId, obligationId, completion.dueDate, hmctsDisplay.dueDate],
        );
        children.push({ childId, completionDate: completion.dueDate, hmctsDisplayDate: hmctsDisplay.dueDate });
        await scheduleObligation(change, info, { proceedingsId, childId }, 'proceedings-completion', completion, obligationId);
      }
      for (const planned of deadlinesFromIssue(issuedOn, pack)) await scheduleObligation(change, info, { proceedingsId }, planned.kind, planned.deadline);
      const proceedings = await lockProceedings(manager, proceedingsId);
      await evaluateDrift(change, proceedings, 'issued', 'issued');
      await publishTimetable(change, proceedings, this.rules);
      return { ...issued, stage: 'issued', explanation: completion.explanation, noFinalHearingWarningOn: warning.dueDate };
    });
  }

  async enterStage(proceedingsId: string, input: EnterStageDto, actor: Actor) {
    return this.change(this.caseOf(proceedingsId), actor, async (change) => {
      const proceedings = await lockProceedings(change.manager, proceedingsId);
      const check = checkTransition(proceedings.stage, input.stage);
      if (!check.allowed) throw wrongStage(proceedings.stage, check.reason, { nextStages: nextStages(proceedings.stage) });
      if (input.enteredOn < proceedings.issuedOn) throw invalidFields([{ field: 'enteredOn', message: `enteredOn must not be before the issue date ${proceedings.issuedOn}` }]);
      const concluding = isConcluded(input.stage);
      await change.manager.query('UPDATE proceedings SET stage = $2, stage_entered_on = $3, concluded_on = $4 WHERE id = $1', [
        proceedingsId,
        input.stage,
        input.enteredOn,
        concluding ? input.enteredOn : null,
      ]);
      await change.manager.query('INSERT INTO stage_history (proceedings_id, stage, previous_stage, entered_on, recorded_by) VALUES ($1, $2, $3, $4, $5)', [
        proceedingsId,
        input.stage,
        proceedings.stage,
        input.enteredOn,
        change.actor.id,
      ]);
      const entered: StageEnteredV1 = { caseId: proceedings.caseId, proceedingsId, stage: input.stage, previousStage: proceedings.stage, enteredOn: input.enteredOn };
      change.emit(EventTypes.stageEntered, entered);

      const open = await openObligations(change, 'proceedings_id = $1', [proceedingsId]);
      if (concluding) {
        await this.conclude(change, proceedings, input.stage as 'final-order' | 'withdrawn', input.enteredOn, open);
      } else {
        const entered = PROCEEDINGS_STAGES.indexOf(input.stage);
        for (const row of open) {
          const stage = STAGE_OF_OBLIGATION.get(row.kind);
          if (stage === undefined) continue;
          const position = PROCEEDINGS_STAGES.indexOf(stage);
          if (position === entered) await satisfyObligation(change, row, input.enteredOn);
          else if (position < entered) await cancelObligation(change, row, `not needed: proceedings moved on to ${input.stage}`);
        }
      }
      await evaluateDrift(change, proceedings, input.stage, concluding ? `proceedings concluded (${input.stage})` : `stage ${input.stage} entered`);
      await publishTimetable(change, proceedings, this.rules);
      return { ...entered, nextStages: nextStages(input.stage) };
    });
  }

  /** A final order meets each child's clock (late or not); withdrawal ends it; nothing else stays open. */
  private async conclude(change: ChangeSet, proceedings: ProceedingsRecord, outcome: 'final-order' | 'withdrawn', on: string, open: Awaited<ReturnType<typeof openObligations>>) {
    for (const row of open) {
      if (row.kind === 'proceedings-completion' && outcome === 'final-order') await satisfyObligation(change, row, on);
      else await cancelObligation(change, row, `proceedings concluded: ${outcome}`);
    }
    const clocks = await childClocks(change.manager, proceedings.id);
    const concluded: ProceedingsConcludedV1 = {
      caseId: proceedings.caseId,
      proceedingsId: proceedings.id,
      outcome,
      concludedOn: on,
      children: clocks.map((clock) => ({ childId: clock.child_id, completionDate: clock.completion_date, withinTimescale: on <= clock.completion_date })),
    };
    change.emit(EventTypes.proceedingsConcluded, concluded);
  }

  async grantExtension(proceedingsId: string, childId: string, input: GrantExtensionDto, actor: Actor) {
    if ((input.newEndDate === undefined) === (input.extendBy === undefined)) {
      const message = 'give exactly one of newEndDate (an explicit date) and extendBy ("8 weeks")';
      throw invalidFields([{ field: 'newEndDate', message }, { field: 'extendBy', message }]);
    }
    return this.change(this.caseOf(proceedingsId), actor, async (change) => {
      const { manager } = change;
      const proceedings = await lockProceedings(manager, proceedingsId);
      if (isConcluded(proceedings.stage)) throw wrongStage(proceedings.stage, `proceedings are at stage '${proceedings.stage}'; a concluded case cannot be extended`);
      const [clock] = await manager.query(
        `SELECT obligation_id, to_char(completion_date, 'YYYY-MM-DD') AS completion_date, to_char(hmcts_display_date, 'YYYY-MM-DD') AS hmcts_display_date
           FROM child_clocks WHERE proceedings_id = $1 AND child_id = $2`,
        [proceedingsId, childId],
      );
      if (!clock) throw new NotFoundException(`child ${childId} is not in proceedings ${proceedingsId}`);
      if (input.hearingId) {
        const [hearing] = await manager.query('SELECT id FROM hearings WHERE id = $1 AND proceedings_id = $2', [input.hearingId, proceedingsId]);
        if (!hearing) throw invalidFields([{ field: 'hearingId', message: `hearing ${input.hearingId} is not a hearing of these proceedings` }]);
      }
      if (input.grantedOn < proceedings.issuedOn) throw invalidFields([{ field: 'grantedOn', message: `grantedOn must not be before the issue date ${proceedings.issuedOn}` }]);
      const currentEndDate = parseLocalDate(clock.completion_date);
      const grantedOn = parseLocalDate(input.grantedOn);
      const decision = decideExtension(
        input.newEndDate ? { currentEndDate, grantedOn, newEndDate: parseLocalDate(input.newEndDate) } : { currentEndDate, grantedOn, eightWeeks: true },
        this.rules.pack,
      );
      if (!decision.allowed) throw refusedByLaw(decision.message, { latestAllowedEndDate: decision.latestAllowedEndDate, currentEndDate });

      const extensionId = randomUUID();
      await manager.query(
        `INSERT INTO child_extensions (id, proceedings_id, child_id, granted_on, hearing_id, previous_end_date, new_end_date, latest_allowed_end_date, requested_as, reason, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [extensionId, proceedingsId, childId, grantedOn, input.hearingId ?? null, currentEndDate, decision.newEndDate, decision.latestAllowedEndDate, input.extendBy ? 'eight-weeks' : 'explicit-date', input.reason, change.actor.id],
      );
      const hmctsDisplayDate = hmctsDisplayDateAfterExtension(parseLocalDate(clock.hmcts_display_date), { newEndDate: input.newEndDate ? decision.newEndDate : undefined });
      await manager.query('UPDATE child_clocks SET completion_date = $3, hmcts_display_date = $4 WHERE proceedings_id = $1 AND child_id = $2', [
        proceedingsId,
        childId,
        decision.newEndDate,
        hmctsDisplayDate,
      ]);
      const clocks = await childClocks(manager, proceedingsId);
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
      const [obligation] = await openObligations(change, 'id = $1', [clock.obligation_id]);
      if (obligation) await moveObligation(change, proceedings.caseInfo, obligation, decision.deadline);
      await evaluateDrift(change, proceedings, proceedings.stage, `extension granted to ${decision.newEndDate}`);
      await publishTimetable(change, proceedings, this.rules);
      return granted;
    });
  }

  async view(proceedingsId: string) {
    return this.unitOfWork.run(async (manager) => {
      const proceedings = await lockProceedings(manager, proceedingsId);
      const children = await manager.query(
        `SELECT child_id AS "childId", to_char(completion_date, 'YYYY-MM-DD') AS "completionDate", to_char(original_completion_date, 'YYYY-MM-DD') AS "originalCompletionDate",
                to_char(hmcts_display_date, 'YYYY-MM-DD') AS "hmctsDisplayDate", obligation_id AS "obligationId"
           FROM child_clocks WHERE proceedings_id = $1 ORDER BY child_id`,
        [proceedingsId],
      );
      const extensions = await manager.query(
        `SELECT id, child_id AS "childId", to_char(granted_on, 'YYYY-MM-DD') AS "grantedOn", hearing_id AS "hearingId", to_char(previous_end_date, 'YYYY-MM-DD') AS "previousEndDate",
                to_char(new_end_date, 'YYYY-MM-DD') AS "newEndDate", to_char(latest_allowed_end_date, 'YYYY-MM-DD') AS "latestAllowedEndDate", requested_as AS "requestedAs",
                reason, recorded_by AS "recordedBy", recorded_at AS "recordedAt"
           FROM child_extensions WHERE proceedings_id = $1 ORDER BY recorded_at, id`,
        [proceedingsId],
      );
      const hearings = (await manager.query(`SELECT ${HEARING_COLUMNS} FROM hearings WHERE proceedings_id = $1 ORDER BY starts_at`, [proceedingsId])).map(hearingView);
      const obligations = await manager.query(
        `SELECT id, kind, rule_id AS "ruleId", child_id AS "childId", hearing_id AS "hearingId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation, status,
                to_char(satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn", satisfied_by AS "satisfiedBy"
           FROM plo_obligations WHERE proceedings_id = $1 ORDER BY due_date, kind`,
        [proceedingsId],
      );
      const drift = await manager.query(
        `SELECT child_id AS "childId", reason, to_char(completion_date, 'YYYY-MM-DD') AS "completionDate", to_char(final_hearing_date, 'YYYY-MM-DD') AS "finalHearingDate",
                to_char(detected_on, 'YYYY-MM-DD') AS "detectedOn" FROM drift_projections WHERE proceedings_id = $1`,
        [proceedingsId],
      );
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
        caseCompletionDate: latestDate(children.map((c: { completionDate: string }) => c.completionDate)),
        noFinalHearingWarningOn: proceedings.noFinalHearingWarningOn,
        children: children.map((child: { childId: string }) => ({ ...child, extensions: extensions.filter((e: { childId: string }) => e.childId === child.childId) })),
        hearings,
        obligations,
        projectedDrift: drift,
      };
    });
  }

  /** The case's proceedings the caller may see (none of another council's, in the database query itself). */
  async listForCase(caseId: string, principal: Principal) {
    const parameters: unknown[] = [caseId];
    const visible = visibleCasesSql(principal, 'k', parameters);
    const rows: { id: string }[] = await this.unitOfWork.run((manager) =>
      manager.query(`SELECT p.id FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id WHERE p.case_id = $1 AND ${visible} ORDER BY p.created_at`, parameters),
    );
    return Promise.all(rows.map((row) => this.view(row.id)));
  }

  async timetable(proceedingsId: string) {
    return this.unitOfWork.run(async (manager) => currentTimetable(manager, await lockProceedings(manager, proceedingsId), this.rules));
  }

  /**
   * Work due before a hearing (advocates' meeting, bundle, case summary) is done when someone says so;
   * until then it stays open and alerting counts it. Other obligations are met by the proceedings
   * themselves (a stage entered, a final order, a draft order uploaded).
   */
  async markTaskDone(proceedingsId: string, obligationId: string, input: TaskDoneDto, actor: Actor) {
    return this.change(this.caseOf(proceedingsId), actor, async (change) => {
      const proceedings = await lockProceedings(change.manager, proceedingsId);
      const [task] = await change.manager.query(
        `SELECT id, kind, rule_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, child_id, hearing_id, status FROM plo_obligations WHERE id = $1 AND proceedings_id = $2 FOR UPDATE`,
        [obligationId, proceedingsId],
      );
      if (!task) throw new NotFoundException(`obligation ${obligationId} is not an obligation of proceedings ${proceedingsId}`);
      if (!task.hearing_id || task.kind === DRAFT_ORDER_KIND) {
        const how = task.kind === DRAFT_ORDER_KIND ? `record the upload with POST /proceedings/${proceedingsId}/hearings/${task.hearing_id}/draft-order` : 'it is met by the proceedings themselves (a stage entered or a final order)';
        throw invalidFields([{ field: 'obligationId', message: `obligation ${obligationId} (${task.kind}) is not a task to mark done: ${how}` }]);
      }
      if (task.status !== 'open') throw new ConflictException({ statusCode: 409, message: `obligation ${obligationId} is already ${task.status}`, currentStatus: task.status });
      checkDoneOn('doneOn', input.doneOn, proceedings.issuedOn, change.today);
      await satisfyObligation(change, task, input.doneOn);
      await publishTimetable(change, proceedings, this.rules);
      return { obligationId, kind: task.kind, hearingId: task.hearing_id, dueDate: task.due_date, status: 'satisfied', satisfiedOn: input.doneOn, satisfiedBy: change.actor.id };
    });
  }
}

/** Something reported done happened on a real day: not before the proceedings, not in the future. */
export function checkDoneOn(field: string, on: string, notBefore: string, today: string) {
  if (on > today) throw invalidFields([{ field, message: `${field} must not be in the future (today is ${today})` }]);
  if (on < notBefore) throw invalidFields([{ field, message: `${field} must not be before ${notBefore}` }]);
}

export function hearingView(row: Record<string, any>) {
  return {
    id: row.id,
    hearingType: row.hearing_type,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at ? row.ends_at.toISOString() : null,
    hearingDate: row.hearing_date,
    venue: row.venue,
    judge: row.judge,
    listingStatus: row.listing_status,
    status: row.status,
    outcome: row.outcome,
    courtHearingId: row.court_hearing_id,
    draftOrderUploadedOn: row.draft_order_uploaded_on ?? null,
  };
}
