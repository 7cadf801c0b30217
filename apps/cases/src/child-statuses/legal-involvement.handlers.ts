import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  Actor,
  ChildProceedingsConcludedV1,
  EventEnvelope,
  EventTypes,
  LegalInvolvementEndedV1,
  LegalInvolvementStartedV1,
  LOOKED_AFTER_BASIS_OF_ORDER,
  OrderMadeV1,
} from '@plo/contracts';
import { Change, HandlesEvent, InboxContext } from '@plo/messaging';
import { NotFoundException } from '@nestjs/common';
import { laterOf, parseLocalDate } from '@plo/timescales';
import { CaseChanges } from '../case/case-changes';
import { CaseRow, CaseStore } from '../case/case.store';
import { conclusionLine } from '../chronology/court-record';
import { CourtRecordStore } from '../chronology/court-record.store';
import { ChildStatusChanges } from './child-status-changes';

const PLO_ACTOR: Actor = { kind: 'service', id: 'plo' };

/**
 * What cases learns from the PLO service, which owns legal involvement and court orders: a child's
 * pre-proceedings and care proceedings become that child's statuses (and let legal see the case),
 * and an interim care, care or placement order makes the child looked after with that basis. Each is
 * applied once (the inbox dedupes) and is a no-op when it finds the fact already so; an event about a
 * child cases does not know fails, so the inbox retries it and in the end dead-letters it.
 */
// Kafka handlers, not HTTP operations: otherwise their payload type shows in the OpenAPI document as an unused schema.
@ApiExcludeController()
@Controller()
export class LegalInvolvementHandlers {
  constructor(
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly statuses: ChildStatusChanges,
    private readonly courtRecord: CourtRecordStore,
  ) {}

  @HandlesEvent(EventTypes.legalInvolvementStarted)
  started(@Payload() event: EventEnvelope<LegalInvolvementStartedV1>, @Ctx() context: InboxContext) {
    const { caseId, childId, involvement, startDate } = event.data;
    return this.forChild(context, caseId, childId, async (change, row) => {
      await this.statuses.legalInvolved(change, caseId, startDate);
      const outcome = await this.statuses.start(change, row, childId, {
        status: involvement,
        basis: null,
        startDate,
        source: 'legal-involvement',
      });
      if (outcome.kind === 'unchanged') return false;
      await this.statuses.settle(change, row, [childId], startDate, `${involvement} started`);
      return true;
    });
  }

  @HandlesEvent(EventTypes.legalInvolvementEnded)
  ended(@Payload() event: EventEnvelope<LegalInvolvementEndedV1>, @Ctx() context: InboxContext) {
    const { caseId, childId, involvement, endDate, reason } = event.data;
    return this.forChild(context, caseId, childId, async (change, row) => {
      const held = (await this.statuses.history(change, childId)).find((s) => s.endDate === null && s.status === involvement);
      if (!held) return false;
      const on = laterOf(parseLocalDate(endDate), held.startDate);
      await this.statuses.end(change, row, held, on, reason);
      await this.statuses.settle(change, row, [childId], on, reason);
      return true;
    });
  }

  /**
   * ICO, care and placement orders make the child looked after with that basis (a change of basis
   * when already looked after: the period runs on); a supervision order sends an ICO child home.
   */
  @HandlesEvent(EventTypes.orderMade)
  orderMade(@Payload() event: EventEnvelope<OrderMadeV1>, @Ctx() context: InboxContext) {
    const { caseId, childId, order, madeOn } = event.data;
    return this.forChild(context, caseId, childId, async (change, row) => {
      const basis = LOOKED_AFTER_BASIS_OF_ORDER[order];
      const lookedAfter = (await this.statuses.history(change, childId)).find((s) => s.endDate === null && s.status === 'looked-after');
      if (basis) {
        const startDate = lookedAfter ? laterOf(parseLocalDate(madeOn), lookedAfter.startDate) : madeOn;
        const outcome = await this.statuses.start(change, row, childId, {
          status: 'looked-after',
          basis,
          startDate,
          source: 'court-order',
        });
        if (outcome.kind === 'unchanged') return false;
        await this.statuses.settle(change, row, [childId], startDate, `${order} made`);
        return true;
      }
      if (lookedAfter?.basis !== 'interim-care-order') return false;
      const on = laterOf(parseLocalDate(madeOn), lookedAfter.startDate);
      await this.statuses.end(change, row, lookedAfter, on, `${order} made: the child lives at home under supervision`);
      await this.statuses.settle(change, row, [childId], on, `${order} made`);
      return true;
    });
  }

  /**
   * The conclusion joins the child's court record (for the chronology: cases handles each event type
   * once, here). Proceedings withdrawn: an interim care order lapses with them, so the child is no
   * longer looked after under it.
   */
  @HandlesEvent(EventTypes.childProceedingsConcluded)
  async childConcluded(@Payload() event: EventEnvelope<ChildProceedingsConcludedV1>, @Ctx() context: InboxContext) {
    const { caseId, childId, outcome, concludedOn, proceedingsId } = event.data;
    const entry = {
      recordType: 'proceedings-concluded' as const,
      recordId: proceedingsId,
      childId,
      caseId,
      proceedingsId,
      occurredOn: concludedOn,
      event: conclusionLine(event.data),
    };
    const recorded = await this.courtRecord.record(context.transaction, entry, { eventId: event.id, time: event.time });
    return this.forChild(
      context,
      caseId,
      childId,
      async (change, row) => {
        const lookedAfter = (await this.statuses.history(change, childId)).find((s) => s.endDate === null && s.status === 'looked-after');
        if (outcome !== 'withdrawn' || lookedAfter?.basis !== 'interim-care-order') return false;
        const on = laterOf(parseLocalDate(concludedOn), lookedAfter.startDate);
        await this.statuses.end(change, row, lookedAfter, on, 'proceedings withdrawn: the interim care order lapsed');
        await this.statuses.settle(change, row, [childId], on, 'proceedings withdrawn');
        return true;
      },
      recorded,
    );
  }

  /**
   * The work answers whether it changed anything; a fact already known is recorded as ignored.
   * `recordedElsewhere`: the event changed cases' copy of the court record, which is not a change of the case.
   */
  private async forChild(
    context: InboxContext,
    caseId: string,
    childId: string,
    work: (change: Change, row: CaseRow) => Promise<boolean>,
    recordedElsewhere = false,
  ) {
    const changed = await this.caseChanges.within(context.transaction, caseId, PLO_ACTOR, async (change, row) => {
      if (await this.cases.childProblem(change, caseId, childId, 'childId'))
        throw new NotFoundException(`case ${caseId} has no child ${childId} (yet): retried, then dead-lettered`);
      return work(change, row);
    });
    if (!changed && !recordedElsewhere) context.ignore();
  }
}
