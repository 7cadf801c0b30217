import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { SupervisionScheduleModule } from '../supervision/supervision-schedule.module';
import { PlansController } from './plans.controller';
import { PlansService } from './plans.service';
import { PlansStore } from './plans.store';

/** Children's plans and managers' sign-offs. */
@Module({
  imports: [CaseModule, SupervisionScheduleModule],
  controllers: [PlansController],
  providers: [PlansStore, PlansService],
})
export class PlansModule {}
