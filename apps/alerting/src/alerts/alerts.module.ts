import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module';
import { AlertEffects } from './alert-effects';
import { AlertWriter } from './alert-writer';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { AlertsStore } from './alerts.store';

@Module({
  imports: [DeliveryModule],
  controllers: [AlertsController],
  providers: [AlertsStore, AlertWriter, AlertEffects, AlertsService],
  exports: [AlertsStore, AlertWriter, AlertEffects],
})
export class AlertsModule {}
