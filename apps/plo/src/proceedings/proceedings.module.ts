import { Module } from '@nestjs/common';
import { PloAccessModule } from '../access/access.module';
import { RulesModule } from '../rules/rules.module';
import { DriftSweeper } from './drift-sweeper';
import { ProceedingsController } from './proceedings.controller';
import { ProceedingsService } from './proceedings.service';

/** Care proceedings: issue, stages, each child's 26-week clock and its extensions, drift and the court timetable. */
@Module({
  imports: [RulesModule, PloAccessModule],
  controllers: [ProceedingsController],
  providers: [ProceedingsService, DriftSweeper],
})
export class ProceedingsModule {}
