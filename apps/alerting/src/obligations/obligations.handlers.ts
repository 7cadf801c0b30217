import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventTypes } from '@plo/contracts';
import { HandlesEvent, InboxContext } from '@plo/messaging';
import { Projector } from './projector';

/** Every event type the projection folds; the rebuild replays exactly these. */
export const PROJECTED_EVENT_TYPES = [
  EventTypes.caseOpened,
  EventTypes.caseAllocated,
  EventTypes.caseDetailsChanged,
  EventTypes.legalStatusChanged,
  EventTypes.caseClosed,
  EventTypes.obligationScheduled,
  EventTypes.obligationSatisfied,
  EventTypes.obligationCancelled,
  EventTypes.driftProjected,
  EventTypes.driftProjectionCleared,
  EventTypes.legalInvolvementStarted,
];

/**
 * Consecutive events are applied as one batch through the same projector the rebuild uses. Effects
 * are written only through the inbox transaction, so a redelivered event has no second effect.
 */
@Controller()
export class ObligationHandlers {
  constructor(private readonly projector: Projector) {}

  @HandlesEvent(PROJECTED_EVENT_TYPES, { batch: true })
  project(@Payload() events: EventEnvelope[], @Ctx() context: InboxContext) {
    return this.projector.apply(context.transaction, events);
  }
}
