import { Module } from '@nestjs/common';
import { PloAccessModule } from '../access/access.module';
import { RulesModule } from '../rules/rules.module';
import { HearingsController } from './hearings.controller';
import { HearingsService } from './hearings.service';

/** Hearings and the deadlines counted back from them; the court feed changes them through the same service. */
@Module({
  imports: [RulesModule, PloAccessModule],
  controllers: [HearingsController],
  providers: [HearingsService],
  exports: [HearingsService],
})
export class HearingsModule {}
