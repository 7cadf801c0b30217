import { Module } from '@nestjs/common';
import { RulesModule } from '../rules/rules.module';
import { KnownCasesHandlers } from './known-cases.handlers';

/** PLO's reactions to the cases service's events. */
@Module({ imports: [RulesModule], controllers: [KnownCasesHandlers] })
export class KnownCasesModule {}
