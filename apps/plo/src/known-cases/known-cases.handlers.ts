import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  CaseAllocatedV1,
  CaseClosedV1,
  CaseOpenedV1,
  ChildAddedV1,
  CouncilRulesChangedV1,
  EventEnvelope,
  EventTypes,
} from '@plo/contracts';
import { HandlesEvent, InboxContext, UnitOfWork } from '@plo/messaging';
import { londonDateOf } from '@plo/timescales';
import { startLegalInvolvement } from '../legal-involvement/legal-involvement';
import { lockPreProceedings, openPreProceedingsOfCase } from '../pre-proceedings/pre-proceedings.store';
import { PloRules } from '../rules/plo-rules';
import { RuleChangeFollower } from '../rules/rule-change-follower';
import { rememberAllocation, rememberCase, rememberChild, rememberClosure } from './known-cases.store';

const SYSTEM = { kind: 'system' as const, id: 'plo-known-cases' };

/**
 * What PLO learns from the cases service: which cases exist and their children, who works them
 * (calendar feeds and obligations follow the case to its new worker), when they close, and each
 * council's local rules.
 */
// Kafka handlers, not HTTP operations: otherwise their payload type shows in the OpenAPI document as an unused schema.
@ApiExcludeController()
@Controller()
export class KnownCasesHandlers {
  constructor(
    private readonly rules: PloRules,
    private readonly follower: RuleChangeFollower,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  @HandlesEvent(EventTypes.councilRulesChanged)
  async councilRulesChanged(@Payload() event: EventEnvelope<CouncilRulesChangedV1>, @Ctx() context: InboxContext) {
    if (await this.rules.remember(context.transaction, event.data)) await this.follower.follow(context.transaction, event);
  }

  @HandlesEvent(EventTypes.caseOpened)
  caseOpened(@Payload() event: EventEnvelope<CaseOpenedV1>, @Ctx() context: InboxContext) {
    return rememberCase(context.transaction, event.data);
  }

  /** Pre-proceedings concern the whole family: a child added while they run (a baby born, say) is in them from that day. */
  @HandlesEvent(EventTypes.childAdded)
  async childAdded(@Payload() event: EventEnvelope<ChildAddedV1>, @Ctx() context: InboxContext) {
    const { caseId, childId } = event.data;
    await rememberChild(context.transaction, caseId, childId);
    const preProceedingsId = await openPreProceedingsOfCase(context.transaction, caseId);
    if (!preProceedingsId) return;
    const { decided_on: decidedOn } = await lockPreProceedings(context.transaction, preProceedingsId);
    const addedOn = londonDateOf(new Date(event.time));
    await this.unitOfWork.within(context.transaction, { subject: caseId, actor: SYSTEM }, (change) =>
      startLegalInvolvement(change, {
        caseId,
        childId,
        involvement: 'pre-proceedings',
        involvementId: preProceedingsId,
        startDate: addedOn > decidedOn ? addedOn : decidedOn,
      }),
    );
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
