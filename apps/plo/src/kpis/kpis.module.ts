import { Module } from '@nestjs/common';
import { RulesModule } from '../rules/rules.module';
import { PloKpisController } from './kpis.controller';
import { PloKpisService } from './kpis.service';

/** The PLO's performance figures, beside the cases service's KPI table. */
@Module({ imports: [RulesModule], controllers: [PloKpisController], providers: [PloKpisService] })
export class PloKpisModule {}
