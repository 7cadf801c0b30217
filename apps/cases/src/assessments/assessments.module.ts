import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CouncilRulesModule } from '../council-rules/council-rules.module';
import { AssessmentsController } from './assessments.controller';
import { AssessmentsService } from './assessments.service';
import { AssessmentsStore } from './assessments.store';

/** Child-and-family assessments, one per child, started from a referral and due at the council's target within 45 working days. */
@Module({
  imports: [CaseModule, CouncilRulesModule],
  controllers: [AssessmentsController],
  providers: [AssessmentsStore, AssessmentsService],
})
export class AssessmentsModule {}
