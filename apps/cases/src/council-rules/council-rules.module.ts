import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CouncilRulePacks } from './council-rule-packs';
import { CouncilRulesController } from './council-rules.controller';
import { CouncilRulesService } from './council-rules.service';
import { CouncilRulesStore } from './council-rules.store';

/** Councils' local timescale rules, and the rule packs every due date of a case is computed with. */
@Module({
  imports: [CaseModule],
  controllers: [CouncilRulesController],
  providers: [CouncilRulesStore, CouncilRulePacks, CouncilRulesService],
  exports: [CouncilRulePacks],
})
export class CouncilRulesModule {}
