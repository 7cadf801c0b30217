import { Injectable, Logger } from '@nestjs/common';
import { councilSubject, CouncilRulesChangedV1, EventEnvelope } from '@plo/contracts';
import { Transaction, UnitOfWork } from '@plo/messaging';
import { planRuleChange } from '@plo/obligations';
import { ploObligations } from '../obligations/plo-obligations';
import { lockOpenPreProceedings } from './council-rules.store';
import { PloRules } from './plo-rules';

/** PLO's copy of who answers for a case. */
const KNOWN_CASES = { table: 'known_cases', caseIdColumn: 'case_id' };

/**
 * Follows a council's rule changes into PLO's own open obligations: those the changed rule governs
 * (pre-proceedings reviews, under 'pre-proceedings-review') are counted again from the day each was
 * counted from and moved under their own ids, as the cases service does with its own.
 */
@Injectable()
export class RuleChangeFollower {
  private readonly logger = new Logger(RuleChangeFollower.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: PloRules,
  ) {}

  async follow(tx: Transaction, event: EventEnvelope<CouncilRulesChangedV1>): Promise<void> {
    const { councilId, ruleId } = event.data;
    await this.unitOfWork.within(tx, { subject: councilSubject(councilId), actor: event.actor }, async (change) => {
      await lockOpenPreProceedings(change, councilId);
      const pack = await this.rules.forCouncil(change, councilId);
      if (!pack.rules.some((rule) => rule.id === ruleId)) return;
      const plan = planRuleChange(await ploObligations.openGovernedBy(change, councilId, ruleId, KNOWN_CASES), ruleId, pack);
      for (const { obligation, deadline } of plan.moves) await ploObligations.move(change, obligation.responsible, obligation, deadline);
      this.logger.log({
        msg: 'council rule change applied to open obligations',
        councilId,
        ruleId,
        version: event.data.version,
        moved: plan.moves.length,
        unchanged: plan.unchanged.length,
        withoutAnchor: plan.withoutAnchor.length,
      });
    });
  }
}
