import { Module, OnModuleInit } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DeadLetterCouncils } from '@plo/messaging';
import { CaseModule } from '../case/case.module';
import { CaseStore } from '../case/case.store';
import { CaseRecordModule } from '../case-record/case-record.module';
import { ChronologyModule } from '../chronology/chronology.module';
import { ChildStatusCoreModule } from './child-status-core.module';
import { ChildStatusesController } from './child-statuses.controller';
import { ChildStatusesService } from './child-statuses.service';
import { LegalInvolvementHandlers } from './legal-involvement.handlers';

/** A child's statuses: recorded by workers here, or followed from the PLO service's events. */
@Module({
  imports: [CaseModule, CaseRecordModule, ChildStatusCoreModule, ChronologyModule],
  controllers: [ChildStatusesController, LegalInvolvementHandlers],
  providers: [ChildStatusesService],
  exports: [ChildStatusesService],
})
export class ChildStatusesModule implements OnModuleInit {
  constructor(
    private readonly deadLetterCouncils: DeadLetterCouncils,
    private readonly cases: CaseStore,
  ) {}

  /** An event's subject is its case: a dead letter about a case belongs to the case's council. */
  onModuleInit() {
    this.deadLetterCouncils.register('cloudevents', async (caseId, tx) => (isUUID(caseId) ? this.cases.councilOf(tx, caseId) : undefined));
  }
}
