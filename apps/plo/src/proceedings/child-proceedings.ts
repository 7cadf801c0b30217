import {
  ChildProceedingsConcludedV1,
  EventTypes,
  OrderMadeV1,
  ProceedingsConcludedV1,
  ProceedingsStage,
  StageEnteredV1,
} from '@plo/contracts';
import { Change } from '@plo/messaging';
import { endLegalInvolvement } from '../legal-involvement/legal-involvement';
import { ploObligations } from '../obligations/plo-obligations';
import { concludeChildClock, insertOrder, NewOrder, ProceedingsRecord, recordStage } from './proceedings.store';
import { ChildClock, childClocks } from './timetable.store';

export type Outcome = 'final-order' | 'withdrawn';

/**
 * One child's proceedings end: a final order meets their 26 weeks (late or not), a withdrawal ends
 * them, and their legal involvement ends. Siblings' clocks are not touched.
 */
export async function concludeChild(change: Change, proceedings: ProceedingsRecord, clock: ChildClock, outcome: Outcome, on: string) {
  await concludeChildClock(change, proceedings.id, clock.child_id, outcome, on);
  if (outcome === 'final-order') await ploObligations.satisfy(change, proceedings.caseId, { id: clock.obligation_id }, on);
  else await ploObligations.cancel(change, proceedings.caseId, 'proceedings withdrawn for the child', { id: clock.obligation_id });
  const concluded: ChildProceedingsConcludedV1 = {
    caseId: proceedings.caseId,
    proceedingsId: proceedings.id,
    childId: clock.child_id,
    outcome,
    concludedOn: on,
    completionDate: clock.completion_date,
    withinTimescale: on <= clock.completion_date,
  };
  change.emit(EventTypes.childProceedingsConcluded, concluded);
  await endLegalInvolvement(change, proceedings.id, clock.child_id, on, `care proceedings concluded: ${outcome}`);
}

/**
 * The proceedings end with their last child's: what they still owe (hearing deadlines, the CMH…) is
 * no longer owed, and `proceedings-concluded` lists every child with their own result.
 */
export async function finishProceedings(change: Change, proceedings: ProceedingsRecord, outcome: Outcome, on: string) {
  await ploObligations.cancel(change, proceedings.caseId, `proceedings concluded: ${outcome}`, {
    references: { proceedings_id: proceedings.id },
  });
  const clocks = await childClocks(change, proceedings.id);
  const concluded: ProceedingsConcludedV1 = {
    caseId: proceedings.caseId,
    proceedingsId: proceedings.id,
    outcome,
    concludedOn: on,
    children: clocks.map((clock) => ({
      childId: clock.child_id,
      completionDate: clock.completion_date,
      withinTimescale: (clock.concluded_on ?? on) <= clock.completion_date,
    })),
  };
  change.emit(EventTypes.proceedingsConcluded, concluded);
}

/** The stage the proceedings end at when their last child's do: a final order if any child had one. */
export async function enterConcludingStage(change: Change, proceedings: ProceedingsRecord, on: string): Promise<Outcome> {
  const clocks = await childClocks(change, proceedings.id);
  const outcome: Outcome = clocks.some((clock) => clock.outcome === 'final-order') ? 'final-order' : 'withdrawn';
  await recordStage(change, proceedings.id, outcome, proceedings.stage, on, on, change.actor.id);
  const entered: StageEnteredV1 = {
    caseId: proceedings.caseId,
    proceedingsId: proceedings.id,
    stage: outcome as ProceedingsStage,
    previousStage: proceedings.stage,
    enteredOn: on,
  };
  change.emit(EventTypes.stageEntered, entered);
  return outcome;
}

export async function makeOrder(change: Change, proceedings: ProceedingsRecord, order: Omit<NewOrder, 'proceedingsId' | 'recordedBy'>) {
  await insertOrder(change, { ...order, proceedingsId: proceedings.id, recordedBy: change.actor.id });
  const made: OrderMadeV1 = {
    caseId: proceedings.caseId,
    proceedingsId: proceedings.id,
    childId: order.childId,
    orderId: order.id,
    order: order.order,
    madeOn: order.madeOn,
    ...(order.endsOn ? { endsOn: order.endsOn } : {}),
    ...(order.hearingId ? { hearingId: order.hearingId } : {}),
  };
  change.emit(EventTypes.orderMade, made);
  return made;
}
