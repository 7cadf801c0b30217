import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CouncilRulesModule } from '../council-rules/council-rules.module';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';
import { ReferralsStore } from './referrals.store';

/** Contacts and referrals with their decisions, and the peer review's KPIs. */
@Module({
  imports: [CaseModule, CouncilRulesModule],
  controllers: [ReferralsController],
  providers: [ReferralsStore, ReferralsService],
})
export class ReferralsModule {}
