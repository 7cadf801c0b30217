import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, EventTypes, PreProceedingsConcludedV1, PreProceedingsStartedV1, PreProceedingsStepRecordedV1 } from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { computeDeadline, parseLocalDate } from '@plo/timescales';
import { ChangeSet } from './change-set';
import { cancelObligation, openObligations, satisfyObligation, scheduleObligation } from './obligations';
import { PloRules } from './plo-rules';
import { LetterSentDto, MeetingHeldDto, PreProceedingsOutcomeDto, StartPreProceedingsDto } from './pre-proceedings.dto';
import { ProceedingsService } from './proceedings.service';
import { loadCaseInfo } from './proceedings.store';
import { invalidFields } from '@plo/platform';

interface PreProceedingsRow {
  id: string;
  case_id: string;
  status: string;
  decided_on: string;
  letter_sent_on: string | null;
  meetings_held: number;
  last_meeting_on: string | null;
}

/**
 * Pre-proceedings (PLWG guidance): a gateway decision, the Letter Before Proceedings (from which
 * the 16 weeks run), the pre-proceedings meeting and reviews at the council's cadence, then step
 * down or issue. The 16-week end and the next review date are obligations.
 */
@Injectable()
export class PreProceedingsService {
  constructor(
    private readonly proceedings: ProceedingsService,
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: PloRules,
  ) {}

  start(input: StartPreProceedingsDto, actor: Actor) {
    if (input.decision === 'issue-now' && !input.shortNoticeReason) {
      throw invalidFields([{ field: 'shortNoticeReason', message: 'a decision to issue now is a short-notice issue and needs a reason' }]);
    }
    return this.proceedings.change(input.caseId, actor, async (change) => {
      const info = await loadCaseInfo(change.manager, input.caseId);
      if (info.closedOn) throw new ConflictException(`case ${input.caseId} is closed`);
      const [open] = await change.manager.query(`SELECT id FROM pre_proceedings WHERE case_id = $1 AND status = 'open'`, [input.caseId]);
      if (open) throw new ConflictException({ statusCode: 409, message: `case ${input.caseId} is already in pre-proceedings (${open.id})`, currentStatus: 'open' });
      const id = randomUUID();
      const status = input.decision === 'pre-proceedings' ? 'open' : input.decision;
      await change.manager.query(
        `INSERT INTO pre_proceedings (id, case_id, decided_on, decision, status, short_notice, short_notice_reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, input.caseId, input.decidedOn, input.decision, status, input.decision === 'issue-now', input.shortNoticeReason ?? null],
      );
      const started: PreProceedingsStartedV1 = {
        caseId: input.caseId,
        preProceedingsId: id,
        decidedOn: input.decidedOn,
        decision: input.decision,
        ...(input.shortNoticeReason ? { shortNoticeReason: input.shortNoticeReason } : {}),
      };
      change.emit(EventTypes.preProceedingsStarted, started);
      return this.viewIn(change, id);
    });
  }

  letterSent(id: string, input: LetterSentDto, actor: Actor) {
    return this.onOpen(id, actor, async (change, row) => {
      if (row.letter_sent_on) throw new ConflictException({ statusCode: 409, message: `the letter before proceedings was already sent on ${row.letter_sent_on}`, currentStatus: 'letter-sent' });
      if (input.sentOn < row.decided_on) throw invalidFields([{ field: 'sentOn', message: `sentOn must not be before the gateway decision on ${row.decided_on}` }]);
      await change.manager.query('UPDATE pre_proceedings SET letter_sent_on = $2 WHERE id = $1', [id, input.sentOn]);
      const info = await loadCaseInfo(change.manager, row.case_id);
      const pack = await this.rules.forCouncil(change.manager, info.councilId);
      const limit = computeDeadline('pre-proceedings-limit', parseLocalDate(input.sentOn), pack);
      await scheduleObligation(change, info, { preProceedingsId: id }, 'pre-proceedings-limit', limit);
      this.emitStep(change, row, 'letter-before-proceedings', input.sentOn, row.meetings_held, undefined, limit.dueDate);
    });
  }

  meetingHeld(id: string, input: MeetingHeldDto, actor: Actor) {
    return this.onOpen(id, actor, async (change, row) => {
      if (!row.letter_sent_on) throw new ConflictException({ statusCode: 409, message: 'the letter before proceedings has not been sent yet; it invites the parents to the meeting', currentStatus: 'decided' });
      const after = row.last_meeting_on ?? row.letter_sent_on;
      if (input.heldOn < after) throw invalidFields([{ field: 'heldOn', message: `heldOn must not be before ${after}` }]);
      const meetings = row.meetings_held + 1;
      await change.manager.query('UPDATE pre_proceedings SET meetings_held = $2, last_meeting_on = $3 WHERE id = $1', [id, meetings, input.heldOn]);
      const info = await loadCaseInfo(change.manager, row.case_id);
      const pack = await this.rules.forCouncil(change.manager, info.councilId);
      const next = computeDeadline('pre-proceedings-review', parseLocalDate(input.heldOn), pack);
      const [review] = await openObligations(change, `pre_proceedings_id = $1 AND kind = 'pre-proceedings-review'`, [id]);
      // Each review is its own obligation: this one is met (perhaps late) and the next falls due.
      if (review) await satisfyObligation(change, review, input.heldOn);
      await scheduleObligation(change, info, { preProceedingsId: id }, 'pre-proceedings-review', next);
      this.emitStep(change, row, meetings === 1 ? 'pre-proceedings-meeting' : 'review-meeting', input.heldOn, meetings, next.dueDate);
    });
  }

  conclude(id: string, input: PreProceedingsOutcomeDto, actor: Actor) {
    const problems = [
      ...(input.outcome === 'step-down' && !input.reason ? [{ field: 'reason', message: 'a step down needs a reason' }] : []),
      ...(input.shortNotice && !input.shortNoticeReason ? [{ field: 'shortNoticeReason', message: 'a short-notice issue needs a reason' }] : []),
      ...(input.shortNotice && input.outcome !== 'issue' ? [{ field: 'shortNotice', message: 'only an issue can be short notice' }] : []),
    ];
    if (problems.length) throw invalidFields(problems);
    return this.onOpen(id, actor, async (change, row) => {
      if (input.decidedOn < row.decided_on) throw invalidFields([{ field: 'decidedOn', message: `decidedOn must not be before the gateway decision on ${row.decided_on}` }]);
      await change.manager.query(
        `UPDATE pre_proceedings SET status = $2, outcome = $3, outcome_on = $4, outcome_reason = $5, short_notice = $6, short_notice_reason = $7 WHERE id = $1`,
        [id, input.outcome === 'issue' ? 'issued' : 'stepped-down', input.outcome, input.decidedOn, input.reason ?? null, input.shortNotice ?? false, input.shortNoticeReason ?? null],
      );
      for (const obligation of await openObligations(change, 'pre_proceedings_id = $1', [id])) {
        if (obligation.kind === 'pre-proceedings-limit') await satisfyObligation(change, obligation, input.decidedOn);
        else await cancelObligation(change, obligation, `pre-proceedings ended: ${input.outcome}`);
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
    });
  }

  view(id: string) {
    return this.unitOfWork.run(async (manager) => {
      const [row] = await manager.query('SELECT case_id FROM pre_proceedings WHERE id = $1', [id]);
      if (!row) throw new NotFoundException(`pre-proceedings ${id} do not exist`);
      return this.viewIn({ manager }, id);
    });
  }

  private emitStep(change: ChangeSet, row: PreProceedingsRow, step: PreProceedingsStepRecordedV1['step'], on: string, meetingsHeld: number, nextReviewDue?: string, timescaleEnds?: string) {
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

  private async onOpen(id: string, actor: Actor, work: (change: ChangeSet, row: PreProceedingsRow) => Promise<void>) {
    return this.proceedings.change(
      async (manager) => {
        const [row] = await manager.query('SELECT case_id FROM pre_proceedings WHERE id = $1', [id]);
        if (!row) throw new NotFoundException(`pre-proceedings ${id} do not exist`);
        return row.case_id;
      },
      actor,
      async (change) => {
        const [row]: PreProceedingsRow[] = await change.manager.query(
          `SELECT id, case_id, status, to_char(decided_on, 'YYYY-MM-DD') AS decided_on, to_char(letter_sent_on, 'YYYY-MM-DD') AS letter_sent_on,
                  meetings_held, to_char(last_meeting_on, 'YYYY-MM-DD') AS last_meeting_on FROM pre_proceedings WHERE id = $1 FOR UPDATE`,
          [id],
        );
        if (row.status !== 'open') throw new ConflictException({ statusCode: 409, message: `pre-proceedings ${id} are ${row.status}; nothing more can be recorded`, currentStatus: row.status });
        await work(change, row);
        return this.viewIn(change, id);
      },
    );
  }

  private async viewIn(change: Pick<ChangeSet, 'manager'>, id: string) {
    const [row] = await change.manager.query(
      `SELECT id, case_id AS "caseId", to_char(decided_on, 'YYYY-MM-DD') AS "decidedOn", decision, status, to_char(letter_sent_on, 'YYYY-MM-DD') AS "letterSentOn",
              meetings_held AS "meetingsHeld", to_char(last_meeting_on, 'YYYY-MM-DD') AS "lastMeetingOn", outcome, to_char(outcome_on, 'YYYY-MM-DD') AS "outcomeOn",
              outcome_reason AS "outcomeReason", short_notice AS "shortNotice", short_notice_reason AS "shortNoticeReason"
         FROM pre_proceedings WHERE id = $1`,
      [id],
    );
    const obligations = await change.manager.query(
      `SELECT id, kind, rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation, status FROM plo_obligations WHERE pre_proceedings_id = $1 ORDER BY due_date, kind`,
      [id],
    );
    return { ...row, obligations };
  }
}
