import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CouncilRulesModule } from '../council-rules/council-rules.module';
import { SupervisionSchedule } from './supervision-schedule';
import { SupervisionStore } from './supervision.store';

/** Supervision scheduling on its own: a child's status change reschedules it, and the statuses feature must not import the supervision routes. */
@Module({
  imports: [CaseModule, CouncilRulesModule],
  providers: [SupervisionStore, SupervisionSchedule],
  exports: [SupervisionStore, SupervisionSchedule],
})
export class SupervisionScheduleModule {}
