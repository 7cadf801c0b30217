import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Actor,
  EventTypes,
  HEARING_CHANGE_SOURCES,
  HearingDetails,
  HearingListingStatus,
  HearingMovedV1,
  HearingStatus,
  HearingType,
} from '@plo/contracts';
import { londonDateOf, parseLocalDate } from '@plo/timescales';
import { ChangeSet } from './change-set';
import { isConcluded } from './domain/stage-machine';
import { deadlinesBeforeHearing, DRAFT_ORDER_KIND, draftOrderDeadline, furtherCmhDeadline } from './domain/timetable-rules';
import { cancelObligation, moveObligation, openObligations, satisfyObligation, scheduleObligation } from './obligations';
import { PloRules } from './plo-rules';
import { ChangeHearingDto, DraftOrderUploadedDto, HearingOutcomeDto, ListHearingDto, MoveHearingDto } from './proceedings.dto';
import { checkDoneOn, hearingView, ProceedingsService } from './proceedings.service';
import { HEARING_COLUMNS, HearingRow, LIVE_HEARING_STATUSES, lockProceedings, ProceedingsRecord } from './proceedings.store';
import { evaluateDrift, publishTimetable } from './timetable';
import { invalidFields, wrongStage } from '@plo/platform';

export type HearingSource = (typeof HEARING_CHANGE_SOURCES)[number];

export interface NewHearing {
  hearingType: HearingType;
  startsAt: string;
  endsAt?: string;
  venue?: string;
  judge?: string;
  listingStatus: HearingListingStatus;
  courtHearingId?: string;
}

export interface HearingMove {
  startsAt: string;
  endsAt?: string;
  status: HearingStatus;
  listingStatus?: HearingListingStatus;
  venue?: string;
  judge?: string;
}

/**
 * Hearings and the deadlines counted back from them. The same operations serve staff (HTTP) and the
 * court feed, so a hearing moved by either re-plans its deadlines the same way.
 */
@Injectable()
export class HearingsService {
  constructor(
    private readonly proceedingsService: ProceedingsService,
    private readonly rules: PloRules,
  ) {}

  // ---- HTTP commands -------------------------------------------------------------------------

  list(proceedingsId: string, input: ListHearingDto, actor: Actor) {
    return this.onProceedings(proceedingsId, actor, (change, proceedings) => this.listHearing(change, proceedings, input, 'manual'));
  }

  move(proceedingsId: string, hearingId: string, input: MoveHearingDto, actor: Actor) {
    return this.onHearing(proceedingsId, hearingId, actor, (change, proceedings, hearing) => {
      if (hearing.status === 'held') throw new ConflictException({ statusCode: 409, message: `hearing ${hearingId} was held; it cannot move`, currentStatus: hearing.status });
      const status: HearingStatus = hearing.status === 'vacated' ? 'vacated-and-relisted' : hearing.status === 'adjourned' ? 'adjourned-and-relisted' : hearing.status as HearingStatus;
      return this.moveHearing(change, proceedings, hearing, { ...input, status }, 'manual');
    });
  }

  vacate(proceedingsId: string, hearingId: string, actor: Actor) {
    return this.onHearing(proceedingsId, hearingId, actor, (change, proceedings, hearing) => {
      this.requireLive(hearing, 'vacated');
      return this.endHearing(change, proceedings, hearing, 'vacated', undefined, 'manual');
    });
  }

  adjourn(proceedingsId: string, hearingId: string, input: HearingOutcomeDto, actor: Actor) {
    return this.onHearing(proceedingsId, hearingId, actor, (change, proceedings, hearing) => {
      this.requireLive(hearing, 'adjourned');
      return this.endHearing(change, proceedings, hearing, 'adjourned', input.outcome, 'manual');
    });
  }

  held(proceedingsId: string, hearingId: string, input: HearingOutcomeDto, actor: Actor) {
    return this.onHearing(proceedingsId, hearingId, actor, (change, proceedings, hearing) => {
      this.requireLive(hearing, 'held');
      return this.endHearing(change, proceedings, hearing, 'held', input.outcome, 'manual');
    });
  }

  /** Corrects a hearing's type (the court feed lists every hearing as "other"); its deadlines follow the new type. */
  changeHearing(proceedingsId: string, hearingId: string, input: ChangeHearingDto, actor: Actor) {
    return this.onHearing(proceedingsId, hearingId, actor, async (change, proceedings, hearing) => {
      this.requireLive(hearing, 'given another type');
      if (hearing.hearing_type === input.hearingType) return hearingView(hearing);
      await change.manager.query('UPDATE hearings SET hearing_type = $2, sequence = sequence + 1, updated_at = $3 WHERE id = $1', [hearing.id, input.hearingType, change.now]);
      const retyped = (await findHearing(change, proceedings.id, 'id = $2', hearing.id))!;
      await this.planDeadlines(change, proceedings, retyped);
      await this.owesFurtherCmh(change, proceedings, retyped);
      change.emit(EventTypes.hearingListed, details(proceedings, retyped, 'manual'));
      return this.afterChange(change, proceedings, retyped, `hearing on ${retyped.hearing_date} is a ${retyped.hearing_type} hearing`);
    });
  }

  /** The draft order after a held hearing was uploaded: the obligation scheduled when it was held is met. */
  draftOrderUploaded(proceedingsId: string, hearingId: string, input: DraftOrderUploadedDto, actor: Actor) {
    return this.onHearing(proceedingsId, hearingId, actor, async (change, proceedings, hearing) => {
      if (hearing.status !== 'held') {
        throw new ConflictException({ statusCode: 409, message: `hearing ${hearingId} is ${hearing.status}; a draft order follows a hearing that was held`, currentStatus: hearing.status });
      }
      if (hearing.draft_order_uploaded_on) {
        throw new ConflictException({ statusCode: 409, message: `the draft order was already recorded as uploaded on ${hearing.draft_order_uploaded_on}`, currentStatus: 'draft-order-uploaded' });
      }
      checkDoneOn('uploadedOn', input.uploadedOn, hearing.hearing_date, change.today);
      await change.manager.query('UPDATE hearings SET draft_order_uploaded_on = $2, updated_at = $3 WHERE id = $1', [hearing.id, input.uploadedOn, change.now]);
      for (const row of await openObligations(change, 'hearing_id = $1 AND kind = $2', [hearing.id, DRAFT_ORDER_KIND])) await satisfyObligation(change, row, input.uploadedOn);
      await publishTimetable(change, proceedings, this.rules);
      return hearingView((await findHearing(change, proceedings.id, 'id = $2', hearing.id))!);
    });
  }

  private requireLive(hearing: HearingRow, wanted: string) {
    if (!LIVE_HEARING_STATUSES.includes(hearing.status)) {
      throw new ConflictException({ statusCode: 409, message: `hearing ${hearing.id} is ${hearing.status}; it cannot be ${wanted}`, currentStatus: hearing.status });
    }
  }

  private onProceedings<T>(proceedingsId: string, actor: Actor, work: (change: ChangeSet, proceedings: ProceedingsRecord) => Promise<T>) {
    return this.proceedingsService.change(
      async (manager) => {
        const [row] = await manager.query('SELECT case_id FROM proceedings WHERE id = $1', [proceedingsId]);
        if (!row) throw new NotFoundException(`proceedings ${proceedingsId} do not exist`);
        return row.case_id;
      },
      actor,
      async (change) => {
        const proceedings = await lockProceedings(change.manager, proceedingsId);
        if (isConcluded(proceedings.stage)) throw wrongStage(proceedings.stage, `proceedings are at stage '${proceedings.stage}'; their hearings can no longer change`);
        return work(change, proceedings);
      },
    );
  }

  private onHearing<T>(proceedingsId: string, hearingId: string, actor: Actor, work: (change: ChangeSet, proceedings: ProceedingsRecord, hearing: HearingRow) => Promise<T>) {
    return this.onProceedings(proceedingsId, actor, async (change, proceedings) => {
      const hearing = await findHearing(change, proceedingsId, 'id = $2', hearingId);
      if (!hearing) throw new NotFoundException(`hearing ${hearingId} is not a hearing of proceedings ${proceedingsId}`);
      return work(change, proceedings, hearing);
    });
  }

  // ---- operations shared with the court feed -----------------------------------------------

  async listHearing(change: ChangeSet, proceedings: ProceedingsRecord, input: NewHearing, source: HearingSource) {
    checkTimes(input.startsAt, input.endsAt);
    if (input.courtHearingId && (await findHearing(change, proceedings.id, 'court_hearing_id = $2', input.courtHearingId))) {
      throw invalidFields([{ field: 'courtHearingId', message: `court hearing ${input.courtHearingId} is already recorded for these proceedings` }]);
    }
    const id = randomUUID();
    const hearingDate = londonDateOf(new Date(input.startsAt));
    await change.manager.query(
      `INSERT INTO hearings (id, proceedings_id, court_hearing_id, hearing_type, starts_at, ends_at, hearing_date, venue, judge, listing_status, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'listed', $11)`,
      [id, proceedings.id, input.courtHearingId ?? null, input.hearingType, input.startsAt, input.endsAt ?? null, hearingDate, input.venue ?? null, input.judge ?? null, input.listingStatus, change.now],
    );
    const hearing = (await findHearing(change, proceedings.id, 'id = $2', id))!;
    await this.planDeadlines(change, proceedings, hearing);
    await this.owesFurtherCmh(change, proceedings, hearing);
    change.emit(EventTypes.hearingListed, details(proceedings, hearing, source));
    return this.afterChange(change, proceedings, hearing, `${hearing.hearing_type} hearing listed on ${hearing.hearing_date}`);
  }

  async moveHearing(change: ChangeSet, proceedings: ProceedingsRecord, hearing: HearingRow, move: HearingMove, source: HearingSource) {
    const endsAt = move.endsAt ?? (sameInstant(move.startsAt, hearing.starts_at) ? hearing.ends_at?.toISOString() : undefined);
    checkTimes(move.startsAt, endsAt);
    const hearingDate = londonDateOf(new Date(move.startsAt));
    await change.manager.query(
      `UPDATE hearings SET starts_at = $2, ends_at = $3, hearing_date = $4, status = $5, listing_status = coalesce($6, listing_status),
              venue = coalesce($7, venue), judge = coalesce($8, judge), sequence = sequence + 1, updated_at = $9 WHERE id = $1`,
      [hearing.id, move.startsAt, endsAt ?? null, hearingDate, move.status, move.listingStatus ?? null, move.venue ?? null, move.judge ?? null, change.now],
    );
    const moved = (await findHearing(change, proceedings.id, 'id = $2', hearing.id))!;
    await this.planDeadlines(change, proceedings, moved);
    const event: HearingMovedV1 = { ...details(proceedings, moved, source), previousHearingDate: hearing.hearing_date, previousStartsAt: hearing.starts_at.toISOString() };
    change.emit(EventTypes.hearingMoved, event);
    return this.afterChange(change, proceedings, moved, `${moved.hearing_type} hearing moved to ${moved.hearing_date}`);
  }

  /** Listing details changed but not the date (the court confirmed or fixed a listing). */
  async restateHearing(change: ChangeSet, proceedings: ProceedingsRecord, hearing: HearingRow, update: { listingStatus?: HearingListingStatus; venue?: string; judge?: string }, source: HearingSource) {
    const changed =
      (update.listingStatus && update.listingStatus !== hearing.listing_status) || (update.venue && update.venue !== hearing.venue) || (update.judge && update.judge !== hearing.judge);
    if (!changed) return hearingView(hearing);
    await change.manager.query(
      `UPDATE hearings SET listing_status = coalesce($2, listing_status), venue = coalesce($3, venue), judge = coalesce($4, judge), sequence = sequence + 1, updated_at = $5 WHERE id = $1`,
      [hearing.id, update.listingStatus ?? null, update.venue ?? null, update.judge ?? null, change.now],
    );
    const restated = (await findHearing(change, proceedings.id, 'id = $2', hearing.id))!;
    change.emit(EventTypes.hearingListed, details(proceedings, restated, source));
    return this.afterChange(change, proceedings, restated, 'listing confirmed');
  }

  async endHearing(change: ChangeSet, proceedings: ProceedingsRecord, hearing: HearingRow, status: 'vacated' | 'adjourned' | 'held', outcome: string | undefined, source: HearingSource) {
    await change.manager.query(`UPDATE hearings SET status = $2, outcome = coalesce($3, outcome), sequence = sequence + 1, updated_at = $4 WHERE id = $1`, [
      hearing.id,
      status,
      outcome ?? null,
      change.now,
    ]);
    // Work due before a hearing that will not take place is no longer owed.
    if (status === 'vacated') {
      for (const row of await openObligations(change, 'hearing_id = $1', [hearing.id])) await cancelObligation(change, row, `hearing on ${hearing.hearing_date} vacated`);
    }
    if (status === 'held') {
      const pack = await this.rules.forCouncil(change.manager, proceedings.caseInfo.councilId);
      const planned = draftOrderDeadline(parseLocalDate(hearing.hearing_date), pack);
      await scheduleObligation(change, proceedings.caseInfo, { proceedingsId: proceedings.id, hearingId: hearing.id }, planned.kind, planned.deadline);
    }
    const ended = (await findHearing(change, proceedings.id, 'id = $2', hearing.id))!;
    const type = { vacated: EventTypes.hearingVacated, adjourned: EventTypes.hearingAdjourned, held: EventTypes.hearingHeld }[status];
    change.emit(type, details(proceedings, ended, source));
    return this.afterChange(change, proceedings, ended, `${ended.hearing_type} hearing ${status}`);
  }

  private async afterChange(change: ChangeSet, proceedings: ProceedingsRecord, hearing: HearingRow, cause: string) {
    await evaluateDrift(change, proceedings, proceedings.stage, cause);
    await publishTimetable(change, proceedings, this.rules);
    return hearingView(hearing);
  }

  /**
   * Schedules the hearing's deadlines, or moves them under the same obligation ids when it moves; one
   * its (corrected) type no longer calls for is cancelled. Work already done stays done.
   */
  private async planDeadlines(change: ChangeSet, proceedings: ProceedingsRecord, hearing: HearingRow) {
    const open = await openObligations(change, 'hearing_id = $1 AND kind <> $2', [hearing.id, DRAFT_ORDER_KIND]);
    const done = await change.manager.query(`SELECT kind FROM plo_obligations WHERE hearing_id = $1 AND status = 'satisfied'`, [hearing.id]);
    const pack = await this.rules.forCouncil(change.manager, proceedings.caseInfo.councilId);
    const plan = deadlinesBeforeHearing(hearing.hearing_type as HearingType, parseLocalDate(hearing.hearing_date), pack);
    for (const planned of plan) {
      const existing = open.find((row) => row.kind === planned.kind);
      if (existing) await moveObligation(change, proceedings.caseInfo, existing, planned.deadline);
      else if (!done.some((row: { kind: string }) => row.kind === planned.kind)) {
        await scheduleObligation(change, proceedings.caseInfo, { proceedingsId: proceedings.id, hearingId: hearing.id }, planned.kind, planned.deadline);
      }
    }
    for (const row of open.filter((row) => !plan.some((planned) => planned.kind === row.kind))) {
      await cancelObligation(change, row, `not needed before a ${hearing.hearing_type} hearing`);
    }
  }

  /** Listing a further CMH means one is owed by Day 25 (PD12A), unless that is already scheduled. */
  private async owesFurtherCmh(change: ChangeSet, proceedings: ProceedingsRecord, hearing: HearingRow) {
    if (hearing.hearing_type !== 'further-case-management') return;
    const [open] = await openObligations(change, `proceedings_id = $1 AND kind = 'further-case-management-hearing'`, [proceedings.id]);
    if (open) return;
    const pack = await this.rules.forCouncil(change.manager, proceedings.caseInfo.councilId);
    const planned = furtherCmhDeadline(parseLocalDate(proceedings.issuedOn), pack);
    await scheduleObligation(change, proceedings.caseInfo, { proceedingsId: proceedings.id }, planned.kind, planned.deadline);
  }
}

export async function findHearing(change: ChangeSet, proceedingsId: string, condition: string, value: string): Promise<HearingRow | undefined> {
  const [row] = await change.manager.query(`SELECT ${HEARING_COLUMNS} FROM hearings WHERE proceedings_id = $1 AND ${condition} FOR UPDATE`, [proceedingsId, value]);
  return row;
}

function details(proceedings: ProceedingsRecord, hearing: HearingRow, source: HearingSource): HearingDetails {
  return {
    caseId: proceedings.caseId,
    proceedingsId: proceedings.id,
    hearingId: hearing.id,
    hearingType: hearing.hearing_type as HearingType,
    startsAt: hearing.starts_at.toISOString(),
    ...(hearing.ends_at ? { endsAt: hearing.ends_at.toISOString() } : {}),
    hearingDate: hearing.hearing_date,
    ...(hearing.venue ? { venue: hearing.venue } : {}),
    ...(hearing.judge ? { judge: hearing.judge } : {}),
    listingStatus: hearing.listing_status as HearingListingStatus,
    status: hearing.status as HearingStatus,
    ...(hearing.outcome ? { outcome: hearing.outcome } : {}),
    source,
  };
}

function checkTimes(startsAt: string, endsAt: string | undefined) {
  if (endsAt && new Date(endsAt).getTime() <= new Date(startsAt).getTime()) throw invalidFields([{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);
}

function sameInstant(a: string, b: Date): boolean {
  return new Date(a).getTime() === b.getTime();
}
