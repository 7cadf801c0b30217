import { Module } from '@nestjs/common';
import { PloRules } from './plo-rules';

/** The rules PLO deadlines are computed with, national and each council's own. */
@Module({ providers: [PloRules], exports: [PloRules] })
export class RulesModule {}
