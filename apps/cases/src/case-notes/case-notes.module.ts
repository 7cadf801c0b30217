import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CaseNotesController } from './case-notes.controller';
import { CaseNotesService } from './case-notes.service';
import { CaseNotesStore } from './case-notes.store';

/** The worker's notes on a case: appended, amended by new versions, never changed. */
@Module({
  imports: [CaseModule],
  controllers: [CaseNotesController],
  providers: [CaseNotesStore, CaseNotesService],
})
export class CaseNotesModule {}
