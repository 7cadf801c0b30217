import { Injectable } from '@nestjs/common';
import { RulePack } from '@plo/timescales';
import { PloEnvironment } from './plo.environment';

/** The rule pack with this deployment's local choices (warning week, review cadence) applied. */
@Injectable()
export class PloRules {
  readonly pack: RulePack;
  readonly warningWeek: number;

  constructor(env: PloEnvironment) {
    this.warningWeek = env.PLO_NO_FINAL_HEARING_WARNING_WEEK;
    this.pack = RulePack.standard().forCouncil({
      'proceedings-warning-week-20': { offset: env.PLO_NO_FINAL_HEARING_WARNING_WEEK, title: `Warning: no final hearing listed by week ${env.PLO_NO_FINAL_HEARING_WARNING_WEEK}` },
      'pre-proceedings-review': { offset: env.PLO_PRE_PROCEEDINGS_REVIEW_WEEKS },
    });
  }
}
