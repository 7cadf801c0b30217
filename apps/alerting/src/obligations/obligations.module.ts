import { Module, OnModuleInit } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DeadLetterCouncils } from '@plo/messaging';
import { AlertsModule } from '../alerts/alerts.module';
import { ObligationsController } from './obligations.controller';
import { ObligationHandlers } from './obligations.handlers';
import { ObligationsStore } from './obligations.store';
import { ProjectionStore } from './projection.store';
import { Projector } from './projector';

@Module({
  imports: [AlertsModule],
  controllers: [ObligationHandlers, ObligationsController],
  providers: [ObligationsStore, ProjectionStore, Projector],
  exports: [Projector],
})
export class ObligationsModule implements OnModuleInit {
  constructor(
    private readonly deadLetterCouncils: DeadLetterCouncils,
    private readonly store: ObligationsStore,
  ) {}

  /** An event's subject is its case: a dead letter about a case alerting knows belongs to the case's council. */
  onModuleInit() {
    this.deadLetterCouncils.register('cloudevents', async (caseId, tx) =>
      isUUID(caseId) ? (await this.store.knownCase(tx, caseId))?.councilId : undefined,
    );
  }
}
