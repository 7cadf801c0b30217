import { Module } from '@nestjs/common';
import { PloAccessModule } from '../access/access.module';
import { RulesModule } from '../rules/rules.module';
import { PreProceedingsController } from './pre-proceedings.controller';
import { PreProceedingsService } from './pre-proceedings.service';

/** Pre-proceedings: the gateway decision, the letter before proceedings, meetings and reviews, then step down or issue. */
@Module({
  imports: [RulesModule, PloAccessModule],
  controllers: [PreProceedingsController],
  providers: [PreProceedingsService],
})
export class PreProceedingsModule {}
