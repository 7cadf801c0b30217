import { Module } from '@nestjs/common';
import { CaseAccessGuard } from './case-access.guard';
import { CaseChanges } from './case-changes';
import { CaseObligations } from './case-obligations';
import { CaseStore } from './case.store';

/** What every feature of a case shares: the case row, the one way to change a case, its obligations, and who may see it. */
@Module({
  providers: [CaseStore, CaseChanges, CaseObligations, CaseAccessGuard],
  exports: [CaseStore, CaseChanges, CaseObligations, CaseAccessGuard],
})
export class CaseModule {}
