import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CaseRecordModule } from '../case-record/case-record.module';
import { ChildStatusCoreModule } from '../child-statuses/child-status-core.module';
import { VisitScheduleModule } from './visit-schedule.module';
import { VisitsController } from './visits.controller';
import { VisitsService } from './visits.service';

/** Recording and listing visits; recording one answers with the case record. */
@Module({
  imports: [CaseModule, CaseRecordModule, VisitScheduleModule, ChildStatusCoreModule],
  controllers: [VisitsController],
  providers: [VisitsService],
  exports: [VisitsService],
})
export class VisitsModule {}
