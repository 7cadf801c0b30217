import { Module, OnModuleInit } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DeadLetterCouncils } from '@plo/messaging';
import { RulesModule } from '../rules/rules.module';
import { KnownCasesHandlers } from './known-cases.handlers';
import { councilOfCase } from './known-cases.store';

/** PLO's reactions to the cases service's events. */
@Module({ imports: [RulesModule], controllers: [KnownCasesHandlers] })
export class KnownCasesModule implements OnModuleInit {
  constructor(private readonly deadLetterCouncils: DeadLetterCouncils) {}

  /** An event's subject is its case: a dead letter about a case PLO knows belongs to the case's council. */
  onModuleInit() {
    this.deadLetterCouncils.register('cloudevents', async (caseId, tx) => (isUUID(caseId) ? councilOfCase(tx, caseId) : undefined));
  }
}
