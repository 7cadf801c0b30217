import { Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, deadLetterTopic } from '@plo/contracts';
import { OutboxWriter, UnitOfWork } from '@plo/messaging';
import { Clock } from '@plo/platform';
import { ChangeSet } from './change-set';
import { courtUpdateId, HmcHearingUpdateMessage, interpretCourtUpdate, parseCourtUpdate, parseCourtUpdateText } from './domain/court-update';
import { isConcluded } from './domain/stage-machine';
import { findHearing, HearingsService } from './hearings.service';
import { PloEnvironment } from './plo.environment';
import { lockProceedingsByCourtNumber } from './proceedings.store';

export const COURT_CONSUMER = 'plo-court-updates';
export const COURT_SOURCES = ['kafka', 'http', 'csv'] as const;
export type CourtSource = (typeof COURT_SOURCES)[number];

export interface KafkaOrigin {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
}

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
  kafka?: KafkaOrigin;
  sender?: CourtSender;
  /** Re-applying an open exception: a new failure updates it rather than adding another. */
  retryOf?: number;
}

const FEED_ACTOR: Actor = { kind: 'service', id: 'court-feed' };

/**
 * Applies HMC hearing updates, whichever way they arrive (Kafka, HTTP, CSV), exactly once in effect:
 * the update's identity is claimed in processed_events in the same transaction as its effects. An
 * update older than the last one applied to the hearing is stale and changes nothing; one that
 * cannot be applied goes to the exceptions list (and, from Kafka, to the dead-letter topic).
 */
@Injectable()
export class CourtUpdatesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: OutboxWriter,
    private readonly hearings: HearingsService,
    private readonly clock: Clock,
    private readonly env: PloEnvironment,
  ) {}

  async applyKafkaMessage(value: string | null, origin: KafkaOrigin): Promise<CourtOutcome> {
    return this.apply(parseCourtUpdateText(value), value ?? '', { source: 'kafka', kafka: origin });
  }

  /** A message whose application kept failing: parked as an exception so the partition moves on. */
  async recordFailure(value: string, reason: string, origin: KafkaOrigin): Promise<CourtOutcome> {
    return this.unitOfWork.run((manager) => this.reject(manager, value, reason, { source: 'kafka', kafka: origin }, undefined));
  }

  async applyObject(raw: unknown, source: 'http' | 'csv', sender: CourtSender): Promise<CourtOutcome> {
    return this.apply(parseCourtUpdate(raw), JSON.stringify(raw), { source, sender });
  }

  private async apply(parsed: ReturnType<typeof parseCourtUpdate>, payload: string, delivery: Delivery): Promise<CourtOutcome> {
    return this.unitOfWork.run(async (manager) => {
      if (!parsed.valid) {
        // A malformed Kafka message is still claimed by its position, so redelivery adds no second exception.
        if (delivery.kafka && !(await this.claim(manager, `kafka:${delivery.kafka.topic}:${delivery.kafka.partition}:${delivery.kafka.offset}`, delivery, 'dead-lettered'))) {
          return { outcome: 'duplicate', note: 'this message was already handled' };
        }
        return this.reject(manager, payload, parsed.reason, delivery, undefined);
      }
      const update = parsed.update;
      const updateId = courtUpdateId(update);
      if (!(await this.claim(manager, updateId, delivery, 'applied'))) return { outcome: 'duplicate', note: `update ${updateId} was already applied` };
      const result = await this.applyValid(manager, update, delivery);
      if (result.outcome === 'rejected') {
        await this.setOutcome(manager, updateId, 'dead-lettered');
        return this.reject(manager, payload, result.reason, delivery, update, updateId, result.councilId);
      }
      if (result.outcome !== 'applied') await this.setOutcome(manager, updateId, 'ignored');
      if (delivery.retryOf) await this.resolve(manager, delivery.retryOf, (delivery.sender?.actor ?? FEED_ACTOR).id, 'reapplied');
      return result;
    });
  }

  private async applyValid(
    manager: EntityManager,
    update: HmcHearingUpdateMessage,
    delivery: Delivery,
  ): Promise<Exclude<CourtOutcome, { outcome: 'rejected' }> | { outcome: 'rejected'; reason: string; councilId?: string }> {
    // A sender matches only its own council's cases; another council's case number is simply unknown to it.
    const proceedings = await lockProceedingsByCourtNumber(manager, update.caseRef, delivery.sender?.councilId);
    if (!proceedings) return { outcome: 'rejected', reason: `unknown court case number ${update.caseRef}` };
    const councilId = proceedings.caseInfo.councilId;
    if (isConcluded(proceedings.stage)) return { outcome: 'rejected', reason: `proceedings ${update.caseRef} are concluded (${proceedings.stage}); a hearing update was not expected`, councilId };
    const change = new ChangeSet(manager, proceedings.caseId, delivery.sender?.actor ?? FEED_ACTOR, this.clock.now());
    const existing = await findHearing(change, proceedings.id, 'court_hearing_id = $2', update.hearingID);
    const broadcastAt = new Date(update.hearingUpdate.hearingEventBroadcastDateTime);
    if (existing?.last_court_broadcast_at && existing.last_court_broadcast_at.getTime() >= broadcastAt.getTime()) {
      return { outcome: 'stale', note: `a later update (broadcast ${existing.last_court_broadcast_at.toISOString()}) was already applied to hearing ${update.hearingID}` };
    }
    const source = delivery.source === 'csv' ? 'csv-import' : 'court-feed';
    const fields = { listingStatus: update.hearingUpdate.hearingListingStatus, venue: update.hearingUpdate.hearingVenueId, judge: update.hearingUpdate.hearingJudgeId };
    const action = interpretCourtUpdate(update.hearingUpdate, existing ? { status: existing.status as never, startsAt: existing.starts_at.toISOString() } : undefined);
    let hearing: unknown;
    switch (action.kind) {
      case 'reject':
        return { outcome: 'rejected', reason: action.reason, councilId };
      case 'none':
        if (existing) await this.markBroadcast(manager, existing.id, broadcastAt);
        return { outcome: 'no-change', note: action.note };
      case 'list':
        // The HMC update does not say what kind of hearing it is; staff can correct the type.
        hearing = await this.hearings.listHearing(change, proceedings, { hearingType: 'other', startsAt: action.startsAt, listingStatus: fields.listingStatus ?? 'provisional', venue: fields.venue, judge: fields.judge, courtHearingId: update.hearingID }, source);
        break;
      case 'move':
        hearing = await this.hearings.moveHearing(change, proceedings, existing!, { startsAt: action.startsAt, status: action.status, ...fields }, source);
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
    await this.markBroadcast(manager, (hearing as { id: string }).id, broadcastAt);
    await change.publish(this.outbox);
    return { outcome: 'applied', hearing };
  }

  private async markBroadcast(manager: EntityManager, hearingId: string, broadcastAt: Date) {
    await manager.query('UPDATE hearings SET last_court_broadcast_at = $2 WHERE id = $1', [hearingId, broadcastAt]);
  }

  private async claim(manager: EntityManager, messageId: string, delivery: Delivery, outcome: string): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO processed_events (consumer, message_id, outcome, topic, kafka_partition, kafka_offset) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (consumer, message_id) DO NOTHING RETURNING message_id`,
      [COURT_CONSUMER, messageId, outcome, delivery.kafka?.topic ?? delivery.source, delivery.kafka?.partition ?? -1, delivery.kafka?.offset ?? -1],
    );
    return rows.length === 1;
  }

  private async setOutcome(manager: EntityManager, messageId: string, outcome: 'ignored' | 'dead-lettered') {
    await manager.query('UPDATE processed_events SET outcome = $3 WHERE consumer = $1 AND message_id = $2', [COURT_CONSUMER, messageId, outcome]);
  }

  private async reject(
    manager: EntityManager,
    payload: string,
    reason: string,
    delivery: Delivery,
    update: HmcHearingUpdateMessage | undefined,
    updateId?: string,
    matchedCouncilId?: string,
  ): Promise<CourtOutcome> {
    let exceptionId = delivery.retryOf;
    if (exceptionId) {
      await manager.query('UPDATE court_update_exceptions SET reason = $2 WHERE id = $1', [exceptionId, reason]);
    } else {
      const councilId = matchedCouncilId ?? delivery.sender?.councilId ?? this.env.PLO_COURT_FEED_COUNCIL_ID ?? null;
      const [row] = await manager.query(
        `INSERT INTO court_update_exceptions (update_id, source, court_case_number, court_hearing_id, reason, payload, received_at, council_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [updateId ?? null, delivery.source, update?.caseRef ?? null, update?.hearingID ?? null, reason, payload, this.clock.now(), councilId],
      );
      exceptionId = Number(row.id);
    }
    if (delivery.kafka) {
      const { topic, partition, offset, key, headers } = delivery.kafka;
      await this.outbox.append(manager, [
        {
          topic: this.env.KAFKA_NAMESPACE + deadLetterTopic('plo'),
          key: key ?? update?.caseRef ?? `${topic}:${partition}:${offset}`,
          value: JSON.stringify({
            consumer: COURT_CONSUMER,
            error: reason,
            attempts: 1,
            deadLetteredAt: this.clock.now().toISOString(),
            original: { topic, partition, offset, key, headers, value: payload },
          }),
          headers: { 'x-dead-letter-reason': reason.slice(0, 500), 'x-original-topic': topic },
        },
      ]);
    }
    return { outcome: 'rejected', reason, exceptionId, malformed: update === undefined };
  }

  // ---- the exceptions list ------------------------------------------------------------------

  /** One council's exceptions: each belongs to the matched case's council, the sender's, or the feed's. */
  async exceptions(status: 'open' | 'resolved' | 'all', councilId: string) {
    const rows = await this.unitOfWork.run((manager) =>
      manager.query(
        `SELECT id, update_id, source, court_case_number, court_hearing_id, reason, payload, status, received_at, resolved_at, resolved_by, resolution
           FROM court_update_exceptions WHERE council_id = $2 AND ($1 = 'all' OR ($1 = 'open') = (status = 'open')) ORDER BY id LIMIT 500`,
        [status, councilId],
      ),
    );
    return rows.map(exceptionView);
  }

  private async exceptionById(id: number, councilId: string) {
    return (await this.exceptions('all', councilId)).find((e: { id: number }) => e.id === id);
  }

  /** After the cause is fixed (e.g. the proceedings are now recorded), runs the update again. */
  async retry(id: number, sender: CourtSender) {
    const exception = await this.openException(id, sender.councilId);
    await this.unitOfWork.run((manager) =>
      manager.query(`DELETE FROM processed_events WHERE consumer = $1 AND message_id = $2 AND outcome = 'dead-lettered'`, [COURT_CONSUMER, exception.update_id]),
    );
    let parsedPayload: unknown;
    try {
      parsedPayload = JSON.parse(exception.payload);
    } catch {
      parsedPayload = exception.payload;
    }
    const result = await this.apply(parseCourtUpdate(parsedPayload), exception.payload, { source: exception.source, retryOf: id, sender });
    return { result, exception: await this.exceptionById(id, sender.councilId) };
  }

  async dismiss(id: number, note: string, sender: CourtSender) {
    await this.openException(id, sender.councilId);
    await this.unitOfWork.run((manager) => this.resolve(manager, id, sender.actor.id, `dismissed: ${note}`));
    return this.exceptionById(id, sender.councilId);
  }

  private async openException(id: number, councilId: string) {
    const [row] = await this.unitOfWork.run((manager) => manager.query('SELECT * FROM court_update_exceptions WHERE id = $1 AND council_id = $2', [id, councilId]));
    if (!row) throw new NotFoundException(`court update exception ${id} does not exist`);
    if (row.status !== 'open') throw new ConflictException({ statusCode: 409, message: `court update exception ${id} is already ${row.status}`, currentStatus: row.status });
    return row;
  }

  private async resolve(manager: EntityManager, id: number, by: string, resolution: string) {
    await manager.query(`UPDATE court_update_exceptions SET status = 'resolved', resolved_at = $2, resolved_by = $3, resolution = $4 WHERE id = $1`, [id, this.clock.now(), by, resolution]);
  }
}

function exceptionView(row: Record<string, any>) {
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
