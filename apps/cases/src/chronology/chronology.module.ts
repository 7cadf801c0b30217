import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { ChronologyController } from './chronology.controller';
import { ChronologyHandlers } from './chronology.handlers';
import { ChronologyService } from './chronology.service';
import { ChronologyStore } from './chronology.store';
import { CourtRecordStore } from './court-record.store';

/**
 * Each child's chronology, assembled from cases' records and its copies of PLO's court record and of
 * alerting's missed timescales, and its exports.
 */
@Module({
  imports: [CaseModule],
  controllers: [ChronologyController, ChronologyHandlers],
  providers: [ChronologyStore, ChronologyService, CourtRecordStore],
  exports: [CourtRecordStore],
})
export class ChronologyModule {}
