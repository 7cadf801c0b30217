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
import { Change, UnitOfWork } from '@plo/messaging';
import { invalidFields, wrongStage } from '@plo/platform';
import { londonDateOf, parseLocalDate } from '@plo/timescales';
import { checkDoneOn } from '../domain/reported-dates';
import { isConcluded } from '../domain/stage-machine';
import { deadlinesBeforeHearing, DRAFT_ORDER_KIND, draftOrderDeadline, furtherCmhDeadline } from '../domain/timetable-rules';
import { ploObligations, reschedule } from '../obligations/plo-obligations';
import { caseOfProceedings, lockProceedings, ProceedingsRecord } from '../proceedings/proceedings.store';
import { evaluateDrift, publishTimetable } from '../proceedings/timetable';
import { PloRules } from '../rules/plo-rules';
import { hearingView } from './hearing-view';
import { ChangeHearingDto, DraftOrderUploadedDto, HearingOutcomeDto, ListHearingDto, MoveHearingDto } from './hearings.dto';
import {
  endHearingRow,
  HearingRow,
  insertHearing,
  LIVE_HEARING_STATUSES,
  lockHearing,
  moveHearingRow,
  recordDraftOrderUpload,
  recordHearingChange,
  restateHearingRow,
  retypeHearing,
  satisfiedKindsOfHearing,
} from './hearings.store';

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
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: PloRules,
  ) {}

  // ---- HTTP commands -------------------------------------------------------------------------

  list(proceedingsId: string, input: ListHearingDto, actor: Actor) {
    return this.onProceedings(proceedingsId, actor, (change, proceedings) => this.listHearing(change, proceedings, input, 'manual'));
  }

  move(proceedingsId: string, hearingId: string, input: MoveHearingDto, actor: Actor) {
    return this.onHearing(proceedingsId, hearingId, actor, (change, proceedings, hearing) => {
      if (hearing.status === 'held')
        throw new ConflictException({
          statusCode: 409,
          message: `hearing ${hearingId} was held; it cannot move`,
          currentStatus: hearing.status,
        });
      const status: HearingStatus =
        hearing.status === 'vacated'
          ? 'vacated-and-relisted'
          : hearing.status === 'adjourned'
            ? 'adjourned-and-relisted'
            : (hearing.status as HearingStatus);
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
      await retypeHearing(change, hearing.id, input.hearingType, change.now);
      const retyped = (await lockHearing(change, proceedings.id, { id: hearing.id }))!;
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
        throw new ConflictException({
          statusCode: 409,
          message: `hearing ${hearingId} is ${hearing.status}; a draft order follows a hearing that was held`,
          currentStatus: hearing.status,
        });
      }
      if (hearing.draft_order_uploaded_on) {
        throw new ConflictException({
          statusCode: 409,
          message: `the draft order was already recorded as uploaded on ${hearing.draft_order_uploaded_on}`,
          currentStatus: 'draft-order-uploaded',
        });
      }
      checkDoneOn('uploadedOn', input.uploadedOn, hearing.hearing_date, londonDateOf(change.now));
      await recordDraftOrderUpload(change, hearing.id, input.uploadedOn, change.now);
      for (const obligation of await ploObligations.open(change, proceedings.caseId, {
        references: { hearing_id: hearing.id },
        kind: DRAFT_ORDER_KIND,
      })) {
        await ploObligations.satisfy(change, proceedings.caseId, { id: obligation.id }, input.uploadedOn);
      }
      await publishTimetable(change, proceedings, this.rules);
      return hearingView((await lockHearing(change, proceedings.id, { id: hearing.id }))!);
    });
  }

  private requireLive(hearing: HearingRow, wanted: string) {
    if (!LIVE_HEARING_STATUSES.includes(hearing.status)) {
      throw new ConflictException({
        statusCode: 409,
        message: `hearing ${hearing.id} is ${hearing.status}; it cannot be ${wanted}`,
        currentStatus: hearing.status,
      });
    }
  }

  private async onProceedings<T>(
    proceedingsId: string,
    actor: Actor,
    work: (change: Change, proceedings: ProceedingsRecord) => Promise<T>,
  ) {
    const caseId = await this.unitOfWork.transaction((tx) => caseOfProceedings(tx, proceedingsId));
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const proceedings = await lockProceedings(change, proceedingsId);
      if (isConcluded(proceedings.stage))
        throw wrongStage(proceedings.stage, `proceedings are at stage '${proceedings.stage}'; their hearings can no longer change`);
      return work(change, proceedings);
    });
  }

  private onHearing<T>(
    proceedingsId: string,
    hearingId: string,
    actor: Actor,
    work: (change: Change, proceedings: ProceedingsRecord, hearing: HearingRow) => Promise<T>,
  ) {
    return this.onProceedings(proceedingsId, actor, async (change, proceedings) => {
      const hearing = await lockHearing(change, proceedingsId, { id: hearingId });
      if (!hearing) throw new NotFoundException(`hearing ${hearingId} is not a hearing of proceedings ${proceedingsId}`);
      return work(change, proceedings, hearing);
    });
  }

  // ---- operations shared with the court feed -----------------------------------------------

  async listHearing(change: Change, proceedings: ProceedingsRecord, input: NewHearing, source: HearingSource) {
    checkTimes(input.startsAt, input.endsAt);
    if (input.courtHearingId && (await lockHearing(change, proceedings.id, { courtHearingId: input.courtHearingId }))) {
      throw invalidFields([
        { field: 'courtHearingId', message: `court hearing ${input.courtHearingId} is already recorded for these proceedings` },
      ]);
    }
    const id = randomUUID();
    await insertHearing(change, {
      id,
      proceedingsId: proceedings.id,
      courtHearingId: input.courtHearingId ?? null,
      hearingType: input.hearingType,
      startsAt: input.startsAt,
      endsAt: input.endsAt ?? null,
      hearingDate: londonDateOf(new Date(input.startsAt)),
      venue: input.venue ?? null,
      judge: input.judge ?? null,
      listingStatus: input.listingStatus,
      now: change.now,
    });
    const hearing = (await lockHearing(change, proceedings.id, { id }))!;
    await recordHearingChange(change, hearing, 'listed', changedBy(change, source));
    await this.planDeadlines(change, proceedings, hearing);
    await this.owesFurtherCmh(change, proceedings, hearing);
    change.emit(EventTypes.hearingListed, details(proceedings, hearing, source));
    return this.afterChange(change, proceedings, hearing, `${hearing.hearing_type} hearing listed on ${hearing.hearing_date}`);
  }

  async moveHearing(change: Change, proceedings: ProceedingsRecord, hearing: HearingRow, move: HearingMove, source: HearingSource) {
    const endsAt = move.endsAt ?? (sameInstant(move.startsAt, hearing.starts_at) ? hearing.ends_at?.toISOString() : undefined);
    checkTimes(move.startsAt, endsAt);
    await moveHearingRow(
      change,
      hearing.id,
      {
        startsAt: move.startsAt,
        endsAt: endsAt ?? null,
        hearingDate: londonDateOf(new Date(move.startsAt)),
        status: move.status,
        listingStatus: move.listingStatus ?? null,
        venue: move.venue ?? null,
        judge: move.judge ?? null,
      },
      change.now,
    );
    const moved = (await lockHearing(change, proceedings.id, { id: hearing.id }))!;
    await recordHearingChange(change, moved, 'moved', { ...changedBy(change, source), previousHearingDate: hearing.hearing_date });
    await this.planDeadlines(change, proceedings, moved);
    const event: HearingMovedV1 = {
      ...details(proceedings, moved, source),
      previousHearingDate: hearing.hearing_date,
      previousStartsAt: hearing.starts_at.toISOString(),
    };
    change.emit(EventTypes.hearingMoved, event);
    return this.afterChange(change, proceedings, moved, `${moved.hearing_type} hearing moved to ${moved.hearing_date}`);
  }

  /** Listing details changed but not the date (the court confirmed or fixed a listing). */
  async restateHearing(
    change: Change,
    proceedings: ProceedingsRecord,
    hearing: HearingRow,
    update: { listingStatus?: HearingListingStatus; venue?: string; judge?: string },
    source: HearingSource,
  ) {
    const changed =
      (update.listingStatus && update.listingStatus !== hearing.listing_status) ||
      (update.venue && update.venue !== hearing.venue) ||
      (update.judge && update.judge !== hearing.judge);
    if (!changed) return hearingView(hearing);
    await restateHearingRow(
      change,
      hearing.id,
      { listingStatus: update.listingStatus ?? null, venue: update.venue ?? null, judge: update.judge ?? null },
      change.now,
    );
    const restated = (await lockHearing(change, proceedings.id, { id: hearing.id }))!;
    change.emit(EventTypes.hearingListed, details(proceedings, restated, source));
    return this.afterChange(change, proceedings, restated, 'listing confirmed');
  }

  async endHearing(
    change: Change,
    proceedings: ProceedingsRecord,
    hearing: HearingRow,
    status: 'vacated' | 'adjourned' | 'held',
    outcome: string | undefined,
    source: HearingSource,
  ) {
    await endHearingRow(change, hearing.id, status, outcome ?? null, change.now);
    // Work due before a hearing that will not take place is no longer owed.
    if (status === 'vacated') {
      for (const obligation of await ploObligations.open(change, proceedings.caseId, { references: { hearing_id: hearing.id } })) {
        await ploObligations.cancel(change, proceedings.caseId, `hearing on ${hearing.hearing_date} vacated`, { id: obligation.id });
      }
    }
    if (status === 'held') {
      const pack = await this.rules.forCouncil(change, proceedings.caseInfo.councilId);
      const planned = draftOrderDeadline(parseLocalDate(hearing.hearing_date), pack);
      await ploObligations.schedule(change, proceedings.caseInfo, {
        kind: planned.kind,
        due: planned.deadline,
        references: { proceedings_id: proceedings.id, hearing_id: hearing.id },
      });
    }
    const ended = (await lockHearing(change, proceedings.id, { id: hearing.id }))!;
    await recordHearingChange(change, ended, status, changedBy(change, source));
    const type = { vacated: EventTypes.hearingVacated, adjourned: EventTypes.hearingAdjourned, held: EventTypes.hearingHeld }[status];
    change.emit(type, details(proceedings, ended, source));
    return this.afterChange(change, proceedings, ended, `${ended.hearing_type} hearing ${status}`);
  }

  private async afterChange(change: Change, proceedings: ProceedingsRecord, hearing: HearingRow, cause: string) {
    await evaluateDrift(change, proceedings, proceedings.stage, cause);
    await publishTimetable(change, proceedings, this.rules);
    return hearingView(hearing);
  }

  /**
   * Schedules the hearing's deadlines, or moves them under the same obligation ids when it moves; one
   * its (corrected) type no longer calls for is cancelled. Work already done stays done.
   */
  private async planDeadlines(change: Change, proceedings: ProceedingsRecord, hearing: HearingRow) {
    const open = (await ploObligations.open(change, proceedings.caseId, { references: { hearing_id: hearing.id } })).filter(
      (obligation) => obligation.kind !== DRAFT_ORDER_KIND,
    );
    const done = await satisfiedKindsOfHearing(change, hearing.id);
    const pack = await this.rules.forCouncil(change, proceedings.caseInfo.councilId);
    const plan = deadlinesBeforeHearing(hearing.hearing_type as HearingType, parseLocalDate(hearing.hearing_date), pack);
    for (const planned of plan) {
      const existing = open.find((obligation) => obligation.kind === planned.kind);
      if (existing) await reschedule(change, proceedings.caseInfo, existing, planned.deadline);
      else if (!done.includes(planned.kind)) {
        await ploObligations.schedule(change, proceedings.caseInfo, {
          kind: planned.kind,
          due: planned.deadline,
          references: { proceedings_id: proceedings.id, hearing_id: hearing.id },
        });
      }
    }
    for (const obligation of open.filter((obligation) => !plan.some((planned) => planned.kind === obligation.kind))) {
      await ploObligations.cancel(change, proceedings.caseId, `not needed before a ${hearing.hearing_type} hearing`, { id: obligation.id });
    }
  }

  /** Listing a further CMH means one is owed by Day 25 (PD12A), unless that is already scheduled. */
  private async owesFurtherCmh(change: Change, proceedings: ProceedingsRecord, hearing: HearingRow) {
    if (hearing.hearing_type !== 'further-case-management') return;
    const [open] = await ploObligations.open(change, proceedings.caseId, {
      references: { proceedings_id: proceedings.id },
      kind: 'further-case-management-hearing',
    });
    if (open) return;
    const pack = await this.rules.forCouncil(change, proceedings.caseInfo.councilId);
    const planned = furtherCmhDeadline(parseLocalDate(proceedings.issuedOn), pack);
    await ploObligations.schedule(change, proceedings.caseInfo, {
      kind: planned.kind,
      due: planned.deadline,
      references: { proceedings_id: proceedings.id },
    });
  }
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

function changedBy(change: Change, source: HearingSource) {
  return { source, recordedBy: change.actor.id, at: change.now };
}

function checkTimes(startsAt: string, endsAt: string | undefined) {
  if (endsAt && new Date(endsAt).getTime() <= new Date(startsAt).getTime())
    throw invalidFields([{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);
}

function sameInstant(a: string, b: Date): boolean {
  return new Date(a).getTime() === b.getTime();
}
