import { Module } from '@nestjs/common';
import { CaseRecordModule } from '../case-record/case-record.module';
import { ChildStatusesModule } from '../child-statuses/child-statuses.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { VisitsModule } from '../visits/visits.module';
import { HistoryImportController } from './history-import.controller';
import { HistoryImportService } from './history-import.service';

/** A council's history, loaded through the same services as live entries. */
@Module({
  imports: [CaseRecordModule, ChildStatusesModule, VisitsModule, ReviewsModule],
  controllers: [HistoryImportController],
  providers: [HistoryImportService],
})
export class HistoryImportModule {}
