import { ConflictException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Actor,
  EventTypes,
  PreProceedingsConcludedV1,
  PreProceedingsExtendedV1,
  PreProceedingsStartedV1,
  PreProceedingsStepRecordedV1,
} from '@plo/contracts';
import { Change, UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, invalidFields, notBefore, notFuture } from '@plo/platform';
import { computeDeadline, formatLongDate, londonDateOf, parseLocalDate } from '@plo/timescales';
import { childrenOfCase, loadCaseInfo } from '../known-cases/known-cases.store';
import { endLegalInvolvement, endLegalInvolvementOfAll, startLegalInvolvement } from '../legal-involvement/legal-involvement';
import { ploObligations, reschedule } from '../obligations/plo-obligations';
import { PloRules } from '../rules/plo-rules';
import {
  ExtendPreProceedingsDto,
  LetterSentDto,
  MeetingHeldDto,
  PreProceedingsOutcomeDto,
  StartPreProceedingsDto,
} from './pre-proceedings.dto';
import {
  caseOfPreProceedings,
  insertPreProceedingsExtension,
  insertPreProceedings,
  lockPreProceedings,
  openPreProceedingsOfCase,
  PreProceedingsRow,
  preProceedingsView,
  recordLetterSent,
  recordMeeting,
  recordOutcome,
} from './pre-proceedings.store';

/**
 * Pre-proceedings (PLWG guidance): a gateway decision, the Letter Before Proceedings (from which
 * the 16 weeks run), the pre-proceedings meeting and reviews at the council's cadence, then step
 * down or issue. The 16-week end and the next review date are obligations.
 */
@Injectable()
export class PreProceedingsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: PloRules,
  ) {}

  start(input: StartPreProceedingsDto, actor: Actor) {
    if (input.decision === 'issue-now' && !input.shortNoticeReason) {
      throw invalidFields([{ field: 'shortNoticeReason', message: 'a decision to issue now is a short-notice issue and needs a reason' }]);
    }
    return this.unitOfWork.change({ subject: input.caseId, actor }, async (change) => {
      const info = await loadCaseInfo(change, input.caseId);
      if (info.closedOn) throw new ConflictException(`case ${input.caseId} is closed`);
      const open = await openPreProceedingsOfCase(change, input.caseId);
      if (open)
        throw new ConflictException({
          statusCode: 409,
          message: `case ${input.caseId} is already in pre-proceedings (${open})`,
          currentStatus: 'open',
        });
      const id = randomUUID();
      await insertPreProceedings(change, {
        id,
        caseId: input.caseId,
        decidedOn: input.decidedOn,
        decision: input.decision,
        status: input.decision === 'pre-proceedings' ? 'open' : input.decision,
        shortNotice: input.decision === 'issue-now',
        shortNoticeReason: input.shortNoticeReason ?? null,
      });
      const started: PreProceedingsStartedV1 = {
        caseId: input.caseId,
        preProceedingsId: id,
        decidedOn: input.decidedOn,
        decision: input.decision,
        ...(input.shortNoticeReason ? { shortNoticeReason: input.shortNoticeReason } : {}),
      };
      change.emit(EventTypes.preProceedingsStarted, started);
      // Whatever legal decide at the gateway, they are now involved, and may see the case in every
      // service. Issuing now keeps them involved until the proceedings are issued; continuing the plan
      // is advice given and done the same day.
      for (const childId of await childrenOfCase(change, input.caseId)) {
        await startLegalInvolvement(change, {
          caseId: input.caseId,
          childId,
          involvement: 'pre-proceedings',
          involvementId: id,
          startDate: input.decidedOn,
        });
        if (input.decision === 'continue-plan')
          await endLegalInvolvement(change, id, childId, input.decidedOn, 'legal gateway: continue with the current plan');
      }
      return preProceedingsView(change, id);
    });
  }

  letterSent(id: string, input: LetterSentDto, actor: Actor) {
    return this.onOpen(id, actor, async (change, row) => {
      if (row.letter_sent_on)
        throw new ConflictException({
          statusCode: 409,
          message: `the letter before proceedings was already sent on ${row.letter_sent_on}`,
          currentStatus: 'letter-sent',
        });
      if (input.sentOn < row.decided_on)
        throw invalidFields([{ field: 'sentOn', message: `sentOn must not be before the gateway decision on ${row.decided_on}` }]);
      await recordLetterSent(change, id, input.sentOn);
      const info = await loadCaseInfo(change, row.case_id);
      const pack = await this.rules.forCouncil(change, info.councilId);
      const limit = computeDeadline('pre-proceedings-limit', parseLocalDate(input.sentOn), pack);
      await ploObligations.schedule(change, info, { kind: 'pre-proceedings-limit', due: limit, references: { pre_proceedings_id: id } });
      this.emitStep(change, row, 'letter-before-proceedings', input.sentOn, row.meetings_held, undefined, limit.dueDate);
    });
  }

  meetingHeld(id: string, input: MeetingHeldDto, actor: Actor) {
    return this.onOpen(id, actor, async (change, row) => {
      if (!row.letter_sent_on)
        throw new ConflictException({
          statusCode: 409,
          message: 'the letter before proceedings has not been sent yet; it invites the parents to the meeting',
          currentStatus: 'decided',
        });
      const after = row.last_meeting_on ?? row.letter_sent_on;
      if (input.heldOn < after) throw invalidFields([{ field: 'heldOn', message: `heldOn must not be before ${after}` }]);
      const meetings = row.meetings_held + 1;
      await recordMeeting(change, id, meetings, input.heldOn);
      const info = await loadCaseInfo(change, row.case_id);
      const pack = await this.rules.forCouncil(change, info.councilId);
      const next = computeDeadline('pre-proceedings-review', parseLocalDate(input.heldOn), pack);
      const [review] = await ploObligations.open(change, row.case_id, {
        references: { pre_proceedings_id: id },
        kind: 'pre-proceedings-review',
      });
      // Each review is its own obligation: this one is met (perhaps late) and the next falls due.
      if (review) await ploObligations.satisfy(change, row.case_id, { id: review.id }, input.heldOn);
      await ploObligations.schedule(change, info, { kind: 'pre-proceedings-review', due: next, references: { pre_proceedings_id: id } });
      this.emitStep(change, row, meetings === 1 ? 'pre-proceedings-meeting' : 'review-meeting', input.heldOn, meetings, next.dueDate);
    });
  }

  conclude(id: string, input: PreProceedingsOutcomeDto, actor: Actor) {
    const problems = [
      ...(input.outcome === 'step-down' && !input.reason ? [{ field: 'reason', message: 'a step down needs a reason' }] : []),
      ...(input.shortNotice && !input.shortNoticeReason
        ? [{ field: 'shortNoticeReason', message: 'a short-notice issue needs a reason' }]
        : []),
      ...(input.shortNotice && input.outcome !== 'issue' ? [{ field: 'shortNotice', message: 'only an issue can be short notice' }] : []),
    ];
    if (problems.length) throw invalidFields(problems);
    return this.onOpen(id, actor, async (change, row) => {
      if (input.decidedOn < row.decided_on)
        throw invalidFields([{ field: 'decidedOn', message: `decidedOn must not be before the gateway decision on ${row.decided_on}` }]);
      await recordOutcome(change, id, {
        status: input.outcome === 'issue' ? 'issued' : 'stepped-down',
        outcome: input.outcome,
        decidedOn: input.decidedOn,
        reason: input.reason ?? null,
        shortNotice: input.shortNotice ?? false,
        shortNoticeReason: input.shortNoticeReason ?? null,
      });
      for (const obligation of await ploObligations.open(change, row.case_id, { references: { pre_proceedings_id: id } })) {
        if (obligation.kind === 'pre-proceedings-limit')
          await ploObligations.satisfy(change, row.case_id, { id: obligation.id }, input.decidedOn);
        else await ploObligations.cancel(change, row.case_id, `pre-proceedings ended: ${input.outcome}`, { id: obligation.id });
      }
      const concluded: PreProceedingsConcludedV1 = {
        caseId: row.case_id,
        preProceedingsId: id,
        outcome: input.outcome,
        decidedOn: input.decidedOn,
        ...(input.reason ? { reason: input.reason } : {}),
        shortNotice: input.shortNotice ?? false,
        ...(input.shortNoticeReason ? { shortNoticeReason: input.shortNoticeReason } : {}),
        meetingsHeld: row.meetings_held,
      };
      change.emit(EventTypes.preProceedingsConcluded, concluded);
      const ending = input.outcome === 'step-down' ? 'stepped down' : 'proceedings to be issued';
      await endLegalInvolvementOfAll(change, id, input.decidedOn, `pre-proceedings ended: ${ending}`);
    });
  }

  /**
   * The 16 weeks are guidance, not statute (PLO 2023 Pre-Proceedings Guidance): the period may run
   * longer for a recorded reason (a baby due, an assessment to finish). The end moves; nothing else does.
   */
  extend(id: string, input: ExtendPreProceedingsDto, actor: Actor) {
    return this.onOpen(id, actor, async (change, row) => {
      const [limit] = await ploObligations.open(change, row.case_id, {
        references: { pre_proceedings_id: id },
        kind: 'pre-proceedings-limit',
      });
      if (!row.letter_sent_on || !limit)
        throw new ConflictException({
          statusCode: 409,
          message: 'the 16 weeks have not started: they run from the letter before proceedings',
          currentStatus: 'decided',
        });
      assertNoFieldProblems([
        notBefore('decidedOn', input.decidedOn, row.letter_sent_on, 'the letter before proceedings'),
        notFuture('decidedOn', input.decidedOn, londonDateOf(change.now)),
        input.newEndDate <= limit.dueDate && {
          field: 'newEndDate',
          message: `newEndDate ${input.newEndDate} must be after the current end of the period (${limit.dueDate})`,
        },
      ]);
      const [decidedOn, from, to] = [input.decidedOn, limit.dueDate, input.newEndDate].map((date) => formatLongDate(parseLocalDate(date)));
      const explanation = `Pre-proceedings period (guidance, not statute) extended on ${decidedOn} from ${from} to ${to}: ${input.reason}`;
      await insertPreProceedingsExtension(change, {
        id: randomUUID(),
        preProceedingsId: id,
        decidedOn: input.decidedOn,
        previousEndDate: limit.dueDate,
        newEndDate: input.newEndDate,
        reason: input.reason,
        recordedBy: change.actor.id,
      });
      const info = await loadCaseInfo(change, row.case_id);
      await reschedule(change, info, limit, { ruleId: limit.ruleId, dueDate: input.newEndDate, explanation, authority: 'guidance' });
      const extended: PreProceedingsExtendedV1 = {
        caseId: row.case_id,
        preProceedingsId: id,
        previousEndDate: limit.dueDate,
        newEndDate: input.newEndDate,
        reason: input.reason,
        decidedOn: input.decidedOn,
      };
      change.emit(EventTypes.preProceedingsExtended, extended);
    });
  }

  async view(id: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await caseOfPreProceedings(tx, id);
      return preProceedingsView(tx, id);
    });
  }

  private emitStep(
    change: Change,
    row: PreProceedingsRow,
    step: PreProceedingsStepRecordedV1['step'],
    on: string,
    meetingsHeld: number,
    nextReviewDue?: string,
    timescaleEnds?: string,
  ) {
    const data: PreProceedingsStepRecordedV1 = {
      caseId: row.case_id,
      preProceedingsId: row.id,
      step,
      on,
      meetingsHeld,
      ...(nextReviewDue ? { nextReviewDue } : {}),
      ...(timescaleEnds ? { timescaleEnds } : {}),
    };
    change.emit(EventTypes.preProceedingsStepRecorded, data);
  }

  private async onOpen(id: string, actor: Actor, work: (change: Change, row: PreProceedingsRow) => Promise<void>) {
    const caseId = await this.unitOfWork.transaction((tx) => caseOfPreProceedings(tx, id));
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const row = await lockPreProceedings(change, id);
      if (row.status !== 'open')
        throw new ConflictException({
          statusCode: 409,
          message: `pre-proceedings ${id} are ${row.status}; nothing more can be recorded`,
          currentStatus: row.status,
        });
      await work(change, row);
      return preProceedingsView(change, id);
    });
  }
}
