import { Module } from '@nestjs/common';
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
export class ObligationsModule {}
