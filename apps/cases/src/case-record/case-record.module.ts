import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { ChildStatusCoreModule } from '../child-statuses/child-status-core.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { VisitScheduleModule } from '../visits/visit-schedule.module';
import { CasesController } from './case-record.controller';
import { CaseRecordService } from './case-record.service';
import { CaseRecordStore } from './case-record.store';

/** The case itself and its one-statement record, which other features answer with. */
@Module({
  imports: [CaseModule, VisitScheduleModule, ReviewsModule, ChildStatusCoreModule],
  controllers: [CasesController],
  providers: [CaseRecordStore, CaseRecordService],
  exports: [CaseRecordStore, CaseRecordService],
})
export class CaseRecordModule {}
