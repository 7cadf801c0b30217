import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  AlertRaisedV1,
  ChildJoinedProceedingsV1,
  EventEnvelope,
  EventTypes,
  ExtensionGrantedV1,
  HearingDetails,
  HearingMovedV1,
  ProceedingsIssuedV1,
} from '@plo/contracts';
import { HandlesEvent, InboxContext } from '@plo/messaging';
import { CourtRecordStore, PloStamp } from './court-record.store';
import { extensionLine, hearingLine, missedLine } from './court-record';

const stampOf = (event: EventEnvelope): PloStamp => ({ eventId: event.id, time: event.time });

/**
 * What each child's chronology copies from the services that own it: PLO's court record (who is in
 * which proceedings, hearings as they stand, extensions; conclusions come through the child's
 * statuses handler, which owns that event type in cases) and the timescales alerting found missed
 * for a child. A copy only: nothing here is a case change, so no event or obligation follows.
 */
// Kafka handlers, not HTTP operations: otherwise their payload type shows in the OpenAPI document as an unused schema.
@ApiExcludeController()
@Controller()
export class ChronologyHandlers {
  constructor(private readonly courtRecord: CourtRecordStore) {}

  @HandlesEvent(EventTypes.proceedingsIssued)
  async issued(@Payload() event: EventEnvelope<ProceedingsIssuedV1>, @Ctx() context: InboxContext) {
    const { caseId, proceedingsId, issuedOn, children } = event.data;
    let changed = false;
    for (const child of children)
      changed = (await this.courtRecord.childInProceedings(context.transaction, caseId, proceedingsId, child.childId, issuedOn)) || changed;
    if (!changed) context.ignore();
  }

  @HandlesEvent(EventTypes.childJoinedProceedings)
  async joined(@Payload() event: EventEnvelope<ChildJoinedProceedingsV1>, @Ctx() context: InboxContext) {
    const { caseId, proceedingsId, childId, issuedOn } = event.data;
    if (!(await this.courtRecord.childInProceedings(context.transaction, caseId, proceedingsId, childId, issuedOn))) context.ignore();
  }

  /** Every change to a hearing restates it whole: the latest by PLO's time is what the chronology shows. */
  @HandlesEvent([
    EventTypes.hearingListed,
    EventTypes.hearingMoved,
    EventTypes.hearingVacated,
    EventTypes.hearingAdjourned,
    EventTypes.hearingHeld,
  ])
  async hearing(@Payload() event: EventEnvelope<HearingDetails | HearingMovedV1>, @Ctx() context: InboxContext) {
    const hearing = event.data;
    const entry = {
      recordType: 'hearing' as const,
      recordId: hearing.hearingId,
      caseId: hearing.caseId,
      proceedingsId: hearing.proceedingsId,
      occurredOn: hearing.hearingDate,
      event: hearingLine(hearing),
    };
    if (!(await this.courtRecord.record(context.transaction, entry, stampOf(event)))) context.ignore();
  }

  @HandlesEvent(EventTypes.extensionGranted)
  async extension(@Payload() event: EventEnvelope<ExtensionGrantedV1>, @Ctx() context: InboxContext) {
    const extension = event.data;
    const entry = {
      recordType: 'extension' as const,
      recordId: extension.extensionId,
      childId: extension.childId,
      caseId: extension.caseId,
      proceedingsId: extension.proceedingsId,
      occurredOn: extension.grantedOn,
      event: extensionLine(extension),
    };
    if (!(await this.courtRecord.record(context.transaction, entry, stampOf(event)))) context.ignore();
  }

  /**
   * A drift alert for a child is a timescale missed: part of the child's history (a statutory visit
   * not made in time). Warnings and projections are not: nothing was missed yet. Alerts about a case
   * but no child name no child's chronology.
   */
  @HandlesEvent(EventTypes.alertRaised)
  async alertRaised(@Payload() event: EventEnvelope<AlertRaisedV1>, @Ctx() context: InboxContext) {
    const { alertId, caseId, childId, kind, level, dueDate, raisedAt, explanation } = event.data;
    if (level !== 'drift' || !childId) return context.ignore();
    const missed = { alertId, caseId, childId, kind, dueDate, raisedAt, explanation, event: missedLine(kind, dueDate, explanation) };
    if (!(await this.courtRecord.missedTimescale(context.transaction, missed))) context.ignore();
  }
}
