import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { SupervisionScheduleModule } from '../supervision/supervision-schedule.module';
import { VisitScheduleModule } from '../visits/visit-schedule.module';
import { ChildStatusChanges } from './child-status-changes';
import { ChildStatusesStore } from './child-statuses.store';

/** Changing a child's statuses, shared by the case record (opening, v1 legal status, closing), the status endpoints and PLO's events. */
@Module({
  imports: [CaseModule, VisitScheduleModule, ReviewsModule, SupervisionScheduleModule],
  providers: [ChildStatusesStore, ChildStatusChanges],
  exports: [ChildStatusesStore, ChildStatusChanges],
})
export class ChildStatusCoreModule {}
