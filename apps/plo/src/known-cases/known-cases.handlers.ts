import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Ctx, Payload } from '@nestjs/microservices';
import { CaseAllocatedV1, CaseClosedV1, CaseOpenedV1, CouncilRulesChangedV1, EventEnvelope, EventTypes } from '@plo/contracts';
import { HandlesEvent, InboxContext } from '@plo/messaging';
import { PloRules } from '../rules/plo-rules';
import { RuleChangeFollower } from '../rules/rule-change-follower';
import { rememberAllocation, rememberCase, rememberClosure } from './known-cases.store';

/**
 * What PLO learns from the cases service: which cases exist, who works them (calendar feeds and
 * obligations follow the case to its new worker), when they close, and each council's local rules.
 */
// Kafka handlers, not HTTP operations: otherwise their payload type shows in the OpenAPI document as an unused schema.
@ApiExcludeController()
@Controller()
export class KnownCasesHandlers {
  constructor(
    private readonly rules: PloRules,
    private readonly follower: RuleChangeFollower,
  ) {}

  @HandlesEvent(EventTypes.councilRulesChanged)
  async councilRulesChanged(@Payload() event: EventEnvelope<CouncilRulesChangedV1>, @Ctx() context: InboxContext) {
    if (await this.rules.remember(context.transaction, event.data)) await this.follower.follow(context.transaction, event);
  }

  @HandlesEvent(EventTypes.caseOpened)
  caseOpened(@Payload() event: EventEnvelope<CaseOpenedV1>, @Ctx() context: InboxContext) {
    return rememberCase(context.transaction, event.data);
  }

  @HandlesEvent(EventTypes.caseAllocated)
  caseAllocated(@Payload() event: EventEnvelope<CaseAllocatedV1>, @Ctx() context: InboxContext) {
    return rememberAllocation(context.transaction, event.data);
  }

  @HandlesEvent(EventTypes.caseClosed)
  caseClosed(@Payload() event: EventEnvelope<CaseClosedV1>, @Ctx() context: InboxContext) {
    return rememberClosure(context.transaction, event.data);
  }
}
