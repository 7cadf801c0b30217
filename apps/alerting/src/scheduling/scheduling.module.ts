import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { AlertScheduler } from './alert-scheduler';
import { ScheduleListener } from './schedule-signal';
import { SchedulingStore } from './scheduling.store';

@Module({
  imports: [AlertsModule, DeliveryModule],
  providers: [SchedulingStore, ScheduleListener, AlertScheduler],
  exports: [AlertScheduler],
})
export class SchedulingModule {}
