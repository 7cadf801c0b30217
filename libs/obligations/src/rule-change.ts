import { computeDeadline, Deadline, parseLocalDate, RulePack } from '@plo/timescales';
import { GovernedObligation } from './obligation-ledger';

export interface RuleChangePlan {
  /** Open obligations whose due date the changed rule moves, with their new deadline. */
  moves: { obligation: GovernedObligation; deadline: Deadline }[];
  /** Open obligations the rule would not move (the new period ends on the same day). */
  unchanged: GovernedObligation[];
  /** Open obligations scheduled before their anchor was kept: they keep their date. */
  withoutAnchor: GovernedObligation[];
}

/**
 * What a changed rule does to the open obligations it governs: each is counted again from the day
 * it was counted from, under `pack` (the council's rules with the change). The same plan is shown
 * by the preview and carried out by the change, so the two agree.
 */
export function planRuleChange(obligations: readonly GovernedObligation[], ruleId: string, pack: RulePack): RuleChangePlan {
  const plan: RuleChangePlan = { moves: [], unchanged: [], withoutAnchor: [] };
  for (const obligation of obligations) {
    if (obligation.anchorDate === null) {
      plan.withoutAnchor.push(obligation);
      continue;
    }
    const deadline = computeDeadline(ruleId, parseLocalDate(obligation.anchorDate), pack);
    if (deadline.dueDate === obligation.dueDate) plan.unchanged.push(obligation);
    else plan.moves.push({ obligation, deadline });
  }
  return plan;
}
