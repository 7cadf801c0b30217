import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { SupervisionController } from './supervision.controller';
import { SupervisionScheduleModule } from './supervision-schedule.module';
import { SupervisionService } from './supervision.service';

/** Supervision sessions of a case: decisions, SMART actions, and the cadence they keep. */
@Module({
  imports: [CaseModule, SupervisionScheduleModule],
  controllers: [SupervisionController],
  providers: [SupervisionService],
})
export class SupervisionModule {}
