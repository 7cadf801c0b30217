import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EventEnvelope, EventTypes } from '@plo/contracts';
import { HandlesEvent, InboxContext } from '@plo/messaging';
import { Clock } from '@plo/platform';
import { Projector } from './projection/projector';

/**
 * Every event alerting consumes goes through the same projector the rebuild uses. Handlers write only
 * through the inbox transaction, so a redelivered event has no second effect.
 */
@Controller()
export class ObligationHandlers {
  constructor(
    private readonly projector: Projector,
    private readonly clock: Clock,
  ) {}

  private apply(event: EventEnvelope, context: InboxContext) {
    return this.projector.apply(context.manager, [event], this.clock.now());
  }

  @HandlesEvent(EventTypes.caseOpened)
  caseOpened(@Payload() event: EventEnvelope, @Ctx() context: InboxContext) {
    return this.apply(event, context);
  }

  @HandlesEvent(EventTypes.caseAllocated)
  caseAllocated(@Payload() event: EventEnvelope, @Ctx() context: InboxContext) {
    return this.apply(event, context);
  }

  @HandlesEvent(EventTypes.caseClosed)
  caseClosed(@Payload() event: EventEnvelope, @Ctx() context: InboxContext) {
    return this.apply(event, context);
  }

  @HandlesEvent(EventTypes.obligationScheduled)
  obligationScheduled(@Payload() event: EventEnvelope, @Ctx() context: InboxContext) {
    return this.apply(event, context);
  }

  @HandlesEvent(EventTypes.obligationSatisfied)
  obligationSatisfied(@Payload() event: EventEnvelope, @Ctx() context: InboxContext) {
    return this.apply(event, context);
  }

  @HandlesEvent(EventTypes.obligationCancelled)
  obligationCancelled(@Payload() event: EventEnvelope, @Ctx() context: InboxContext) {
    return this.apply(event, context);
  }

  @HandlesEvent(EventTypes.driftProjected)
  driftProjected(@Payload() event: EventEnvelope, @Ctx() context: InboxContext) {
    return this.apply(event, context);
  }

  @HandlesEvent(EventTypes.driftProjectionCleared)
  driftProjectionCleared(@Payload() event: EventEnvelope, @Ctx() context: InboxContext) {
    return this.apply(event, context);
  }
}
