import { Module } from '@nestjs/common';
import { PloRules } from './plo-rules';
import { RuleChangeFollower } from './rule-change-follower';

/** The rules PLO deadlines are computed with, national and each council's own, and their changes followed into open obligations. */
@Module({ providers: [PloRules, RuleChangeFollower], exports: [PloRules, RuleChangeFollower] })
export class RulesModule {}
