import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CouncilRulesModule } from '../council-rules/council-rules.module';
import { VisitSchedule } from './visit-schedule';
import { VisitsStore } from './visits.store';

/**
 * Visit scheduling on its own, because both the visits and the case record schedule visits, and the
 * visits feature answers with the case record: each imports this rather than the other.
 */
@Module({
  imports: [CaseModule, CouncilRulesModule],
  providers: [VisitsStore, VisitSchedule],
  exports: [VisitsStore, VisitSchedule],
})
export class VisitScheduleModule {}
