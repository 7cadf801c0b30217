import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Actor, Topology } from '@plo/contracts';
import { Change, hmcHearingUpdateDecoder, Transaction, UnitOfWork } from '@plo/messaging';
import { Clock } from '@plo/platform';
import {
  courtUpdateId,
  HmcHearingUpdateMessage,
  interpretCourtUpdate,
  ParsedCourtUpdate,
  parseCourtUpdate,
  parseCourtUpdateText,
} from '../domain/court-update';
import { isConcluded } from '../domain/stage-machine';
import { lockHearing, markCourtBroadcast } from '../hearings/hearings.store';
import { HearingsService } from '../hearings/hearings.service';
import { PloEnvironment } from '../plo.environment';
import { lockProceedingsByCourtNumber, ProceedingsRecord } from '../proceedings/proceedings.store';
import {
  caseOfCourtNumber,
  claimUpdate,
  exceptionOf,
  ExceptionRow,
  exceptionsOf,
  insertException,
  releaseRejectedClaim,
  resolveException,
  restateException,
  setClaimOutcome,
} from './court-feed.store';
import { CourtUpdateExceptionView } from './court-feed.views';

/** Court updates are claimed under this name whichever way they arrive, so one sent twice by two paths is applied once. */
export const COURT_CONSUMER = hmcHearingUpdateDecoder.consumerName!(Topology.plo.serviceName);
export type CourtSource = 'kafka' | 'http' | 'csv';

export type CourtOutcome =
  | { outcome: 'applied' | 'no-change'; hearing?: unknown; note?: string }
  | { outcome: 'duplicate' | 'stale'; note: string }
  | { outcome: 'rejected'; reason: string; exceptionId: number; malformed: boolean };

/** Who sent an update over HTTP or CSV: their council is the only one whose cases it can match. */
export interface CourtSender {
  actor: Actor;
  councilId: string;
}

interface Delivery {
  source: CourtSource;
  sender?: CourtSender;
  /** Re-applying an open exception: a new failure updates it rather than adding another. */
  retryOf?: number;
}

type Applied = Exclude<CourtOutcome, { outcome: 'rejected' }> | { outcome: 'rejected'; reason: string; councilId?: string };

const FEED_ACTOR: Actor = { kind: 'service', id: 'court-feed' };

/** The proceedings were recorded between finding their case and locking them: the change must be made again for that case. */
class ProceedingsRecordedMeanwhile extends Error {}

/**
 * Applies HMC hearing updates, whichever way they arrive (Kafka, HTTP, CSV), exactly once in effect:
 * the update's identity is claimed in processed_events in the same transaction as its effects (by the
 * inbox for Kafka). An update older than the last one applied to the hearing is stale and changes
 * nothing; one that cannot be applied goes to the exceptions list (and, from Kafka, is dead-lettered).
 */
@Injectable()
export class CourtFeedService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly hearings: HearingsService,
    private readonly clock: Clock,
    private readonly env: PloEnvironment,
  ) {}

  /** A message from the court's topic, in the inbox's transaction, which has already claimed it. */
  async applyConsumed(tx: Transaction, text: string | null): Promise<CourtOutcome> {
    const delivery: Delivery = { source: 'kafka' };
    const parsed = parseCourtUpdateText(text);
    if (!parsed.valid) return this.reject(tx, text ?? '', parsed.reason, delivery, undefined);
    const update = parsed.update;
    const proceedings = await lockProceedingsByCourtNumber(tx, update.caseRef);
    const result = await this.unitOfWork.within(tx, { subject: proceedings?.caseId ?? update.caseRef, actor: FEED_ACTOR }, (change) =>
      this.applyValid(change, proceedings, update, delivery),
    );
    if (result.outcome === 'rejected')
      return this.reject(tx, text ?? '', result.reason, delivery, update, courtUpdateId(update), result.councilId);
    return result;
  }

  async applyOffered(raw: unknown, source: 'http' | 'csv', sender: CourtSender): Promise<CourtOutcome> {
    return this.offer(parseCourtUpdate(raw), JSON.stringify(raw), { source, sender });
  }

  private async offer(parsed: ParsedCourtUpdate, payload: string, delivery: Delivery): Promise<CourtOutcome> {
    if (!parsed.valid) return this.unitOfWork.transaction((tx) => this.reject(tx, payload, parsed.reason, delivery, undefined));
    const update = parsed.update;
    const updateId = courtUpdateId(update);
    // A sender matches only its own council's cases; another council's case number is simply unknown to it.
    const councilId = delivery.sender?.councilId;
    for (;;) {
      const caseId = await this.unitOfWork.transaction((tx) => caseOfCourtNumber(tx, update.caseRef, councilId));
      try {
        return await this.unitOfWork.change(
          { subject: caseId ?? update.caseRef, actor: delivery.sender?.actor ?? FEED_ACTOR },
          async (change) => {
            if (!(await claimUpdate(change, COURT_CONSUMER, updateId, { topic: delivery.source, partition: -1, offset: -1 }, 'applied'))) {
              return { outcome: 'duplicate', note: `update ${updateId} was already applied` };
            }
            const proceedings = await lockProceedingsByCourtNumber(change, update.caseRef, councilId);
            if (proceedings && proceedings.caseId !== change.subject) throw new ProceedingsRecordedMeanwhile();
            const result = await this.applyValid(change, proceedings, update, delivery);
            if (result.outcome === 'rejected') {
              await setClaimOutcome(change, COURT_CONSUMER, updateId, 'dead-lettered');
              return this.reject(change, payload, result.reason, delivery, update, updateId, result.councilId);
            }
            if (result.outcome !== 'applied') await setClaimOutcome(change, COURT_CONSUMER, updateId, 'ignored');
            if (delivery.retryOf)
              await resolveException(change, delivery.retryOf, (delivery.sender?.actor ?? FEED_ACTOR).id, 'reapplied', this.clock.now());
            return result;
          },
        );
      } catch (error) {
        if (!(error instanceof ProceedingsRecordedMeanwhile)) throw error;
      }
    }
  }

  /** `proceedings` are those the update's court case number matched, locked. */
  private async applyValid(
    change: Change,
    proceedings: ProceedingsRecord | undefined,
    update: HmcHearingUpdateMessage,
    delivery: Delivery,
  ): Promise<Applied> {
    if (!proceedings) return { outcome: 'rejected', reason: `unknown court case number ${update.caseRef}` };
    const councilId = proceedings.caseInfo.councilId;
    if (isConcluded(proceedings.stage))
      return {
        outcome: 'rejected',
        reason: `proceedings ${update.caseRef} are concluded (${proceedings.stage}); a hearing update was not expected`,
        councilId,
      };
    const existing = await lockHearing(change, proceedings.id, { courtHearingId: update.hearingID });
    const broadcastAt = new Date(update.hearingUpdate.hearingEventBroadcastDateTime);
    if (existing?.last_court_broadcast_at && existing.last_court_broadcast_at.getTime() >= broadcastAt.getTime()) {
      return {
        outcome: 'stale',
        note: `a later update (broadcast ${existing.last_court_broadcast_at.toISOString()}) was already applied to hearing ${update.hearingID}`,
      };
    }
    const source = delivery.source === 'csv' ? 'csv-import' : 'court-feed';
    const fields = {
      listingStatus: update.hearingUpdate.hearingListingStatus,
      venue: update.hearingUpdate.hearingVenueId,
      judge: update.hearingUpdate.hearingJudgeId,
    };
    const action = interpretCourtUpdate(
      update.hearingUpdate,
      existing ? { status: existing.status as never, startsAt: existing.starts_at.toISOString() } : undefined,
    );
    let hearing: unknown;
    switch (action.kind) {
      case 'reject':
        return { outcome: 'rejected', reason: action.reason, councilId };
      case 'none':
        if (existing) await markCourtBroadcast(change, existing.id, broadcastAt);
        return { outcome: 'no-change', note: action.note };
      case 'list':
        // The HMC update does not say what kind of hearing it is; staff can correct the type.
        hearing = await this.hearings.listHearing(
          change,
          proceedings,
          {
            hearingType: 'other',
            startsAt: action.startsAt,
            listingStatus: fields.listingStatus ?? 'provisional',
            venue: fields.venue,
            judge: fields.judge,
            courtHearingId: update.hearingID,
          },
          source,
        );
        break;
      case 'move':
        hearing = await this.hearings.moveHearing(
          change,
          proceedings,
          existing!,
          { startsAt: action.startsAt, status: action.status, ...fields },
          source,
        );
        break;
      case 'restate':
        hearing = await this.hearings.restateHearing(change, proceedings, existing!, fields, source);
        break;
      case 'vacate':
        hearing = await this.hearings.endHearing(change, proceedings, existing!, 'vacated', undefined, source);
        break;
      case 'adjourn':
        hearing = await this.hearings.endHearing(change, proceedings, existing!, 'adjourned', undefined, source);
        break;
      case 'held':
        hearing = await this.hearings.endHearing(change, proceedings, existing!, 'held', update.hearingUpdate.ListAssistCaseStatus, source);
        break;
    }
    await markCourtBroadcast(change, (hearing as { id: string }).id, broadcastAt);
    return { outcome: 'applied', hearing };
  }

  /** Lists the update as an exception for legal staff (or, re-applying one, says why it failed again). */
  private async reject(
    tx: Transaction,
    payload: string,
    reason: string,
    delivery: Delivery,
    update: HmcHearingUpdateMessage | undefined,
    updateId?: string,
    matchedCouncilId?: string,
  ): Promise<CourtOutcome> {
    let exceptionId = delivery.retryOf;
    if (exceptionId) {
      await restateException(tx, exceptionId, reason);
    } else {
      exceptionId = await insertException(tx, {
        updateId: updateId ?? null,
        source: delivery.source,
        courtCaseNumber: update?.caseRef ?? null,
        courtHearingId: update?.hearingID ?? null,
        reason,
        payload,
        receivedAt: this.clock.now(),
        councilId: matchedCouncilId ?? delivery.sender?.councilId ?? this.env.PLO_COURT_FEED_COUNCIL_ID ?? null,
      });
    }
    return { outcome: 'rejected', reason, exceptionId, malformed: update === undefined };
  }

  // ---- the exceptions list ------------------------------------------------------------------

  /** One council's exceptions: each belongs to the matched case's council, the sender's, or the feed's. */
  async exceptions(status: 'open' | 'resolved' | 'all', councilId: string) {
    const rows = await this.unitOfWork.transaction((tx) => exceptionsOf(tx, councilId, status));
    return rows.map(exceptionView);
  }

  private async exceptionById(id: number, councilId: string) {
    return (await this.exceptions('all', councilId)).find((e) => e.id === id);
  }

  /** After the cause is fixed (e.g. the proceedings are now recorded), runs the update again. */
  async retry(id: number, sender: CourtSender) {
    const exception = await this.openException(id, sender.councilId);
    if (exception.update_id) await this.unitOfWork.transaction((tx) => releaseRejectedClaim(tx, COURT_CONSUMER, exception.update_id!));
    let parsedPayload: unknown;
    try {
      parsedPayload = JSON.parse(exception.payload);
    } catch {
      parsedPayload = exception.payload;
    }
    const result = await this.offer(parseCourtUpdate(parsedPayload), exception.payload, {
      source: exception.source as CourtSource,
      retryOf: id,
      sender,
    });
    return { result, exception: await this.exceptionById(id, sender.councilId) };
  }

  async dismiss(id: number, note: string, sender: CourtSender) {
    await this.openException(id, sender.councilId);
    await this.unitOfWork.transaction((tx) => resolveException(tx, id, sender.actor.id, `dismissed: ${note}`, this.clock.now()));
    return this.exceptionById(id, sender.councilId);
  }

  private async openException(id: number, councilId: string): Promise<ExceptionRow> {
    const row = await this.unitOfWork.transaction((tx) => exceptionOf(tx, councilId, id));
    if (!row) throw new NotFoundException(`court update exception ${id} does not exist`);
    if (row.status !== 'open')
      throw new ConflictException({
        statusCode: 409,
        message: `court update exception ${id} is already ${row.status}`,
        currentStatus: row.status,
      });
    return row;
  }
}

function exceptionView(row: ExceptionRow): CourtUpdateExceptionView {
  return {
    id: Number(row.id),
    updateId: row.update_id,
    source: row.source,
    courtCaseNumber: row.court_case_number,
    courtHearingId: row.court_hearing_id,
    reason: row.reason,
    payload: row.payload,
    status: row.status,
    receivedAt: row.received_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
  };
}
