import { LegalStatus } from '@plo/contracts';
import { computeDeadline, Deadline, parseLocalDate, RulePack } from '@plo/timescales';

/**
 * Which visiting rule applies to a child with a given legal status. The frequencies themselves are
 * rules in the timescales library (local ones overridable per council); this only picks one.
 */
const VISIT_RULE_BY_STATUS: Record<LegalStatus, string> = {
  'child-in-need': 'cin-visit',
  'child-protection-plan': 'cp-visit',
  'looked-after': 'lac-visit-first-year',
  // A child in proceedings is visited at least as often as one on a protection plan.
  plo: 'cp-visit',
};

export function nextVisitDeadline(legalStatus: LegalStatus, lastVisitOrOpening: string, rules: RulePack): Deadline {
  return computeDeadline(VISIT_RULE_BY_STATUS[legalStatus], parseLocalDate(lastVisitOrOpening), rules);
}
