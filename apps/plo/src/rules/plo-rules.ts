import { Injectable, Logger } from '@nestjs/common';
import { CouncilRulesChangedV1 } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { LocalRuleOverride, RulePack } from '@plo/timescales';
import { PloEnvironment } from '../plo.environment';
import { advanceRuleSetVersion, councilOverrides, removeOverride, saveOverride } from './council-rules.store';

/**
 * The rules PLO deadlines are computed with: the national pack, this deployment's defaults (warning
 * week, review cadence) on top, and on top of those each council's own local choices, which the
 * cases service owns and announces.
 */
@Injectable()
export class PloRules {
  private readonly logger = new Logger(PloRules.name);
  /** National rules with this deployment's defaults: what a council that changed nothing uses. */
  readonly pack: RulePack;

  constructor(env: PloEnvironment) {
    this.pack = RulePack.standard().forCouncil({
      'proceedings-warning-week-20': {
        offset: env.PLO_NO_FINAL_HEARING_WARNING_WEEK,
        title: `Warning: no final hearing listed by week ${env.PLO_NO_FINAL_HEARING_WARNING_WEEK}`,
      },
      'pre-proceedings-review': { offset: env.PLO_PRE_PROCEEDINGS_REVIEW_WEEKS },
    });
  }

  /** The pack for one council: its overrides of local rules this service knows, read in the caller's transaction. */
  async forCouncil(tx: Transaction, councilId: string): Promise<RulePack> {
    const overrides = await councilOverrides(tx, councilId);
    // A local rule added to the cases service before this one knows it changes nothing here.
    const known = overrides.filter(({ ruleId }) => this.pack.rules.some((rule) => rule.id === ruleId && rule.kind === 'local'));
    if (!known.length) return this.pack;
    return this.pack.forCouncil(
      Object.fromEntries(known.map(({ ruleId, offset, unit, counting }) => [ruleId, { offset, unit, counting } as LocalRuleOverride])),
    );
  }

  /**
   * Applies one announced change. A council's changes arrive in order (they share a key), but a
   * replayed or rebuilt topic can bring an older one again: only a newer version takes effect.
   * Answers whether it did.
   */
  async remember(tx: Transaction, change: CouncilRulesChangedV1): Promise<boolean> {
    if (!(await advanceRuleSetVersion(tx, change.councilId, change.version))) {
      this.logger.log({
        msg: 'council rule change already superseded; ignored',
        councilId: change.councilId,
        ruleId: change.ruleId,
        version: change.version,
      });
      return false;
    }
    if (change.change === 'reset') await removeOverride(tx, change.councilId, change.ruleId);
    else await saveOverride(tx, change.councilId, change.ruleId, change.period);
    return true;
  }
}
