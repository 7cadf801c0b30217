import { LegalStatus } from '@plo/contracts';
import { computeDeadline, Deadline, LocalDate, nextLookedAfterVisit, RulePack } from '@plo/timescales';
import { FieldProblem } from '@plo/platform';

export const VISIT_TYPES = ['statutory', 'unannounced', 'home', 'school', 'placement', 'joint', 'non-statutory'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

/**
 * The visit types that count as the statutory visit for each legal status. 'non-statutory' (any
 * other contact) is allowed on every case but never meets the visiting obligation.
 */
export const STATUTORY_VISIT_TYPES: Record<LegalStatus, readonly VisitType[]> = {
  'child-in-need': ['statutory', 'home', 'school', 'joint'],
  'child-protection-plan': ['statutory', 'unannounced', 'home', 'school', 'joint'],
  'looked-after': ['statutory', 'placement', 'school', 'joint'],
  plo: ['statutory', 'unannounced', 'home', 'school', 'joint'],
};

export function allowedVisitTypes(legalStatus: LegalStatus): readonly VisitType[] {
  return [...STATUTORY_VISIT_TYPES[legalStatus], 'non-statutory'];
}

/** A statutory visit is one where the child was seen: a visit to an empty house does not count. */
export function countsAsStatutoryVisit(legalStatus: LegalStatus, visitType: VisitType, childSeen: boolean): boolean {
  return childSeen && STATUTORY_VISIT_TYPES[legalStatus].includes(visitType);
}

export const VISIT_PURPOSES = [
  'statutory-visit',
  'child-protection-plan-review',
  'care-plan-progress',
  'assessment',
  'placement-stability',
  'direct-work',
  'other',
] as const;

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

export interface VisitScheduleFacts {
  legalStatus: LegalStatus;
  /** The last statutory visit, or when nothing has been visited yet the start of the case or status. */
  countFrom: LocalDate;
  /** The looked-after child's current placement, when one is recorded. */
  placement?: { startedOn: LocalDate; intendedToLastUntil18: boolean; lastVisitInPlacement?: LocalDate };
}

/**
 * The next statutory visit. A looked-after child with a recorded placement follows reg 28(2)
 * (within a week of the placement, then by the placement's age); otherwise the status's cadence.
 */
export function nextVisitDeadline(facts: VisitScheduleFacts, rules: RulePack): Deadline {
  if (facts.legalStatus === 'looked-after' && facts.placement) {
    return nextLookedAfterVisit(
      {
        placementStart: facts.placement.startedOn,
        lastVisitDate: facts.placement.lastVisitInPlacement,
        intendedToLastUntil18: facts.placement.intendedToLastUntil18,
      },
      rules,
    );
  }
  return computeDeadline(VISIT_RULE_BY_STATUS[facts.legalStatus], facts.countFrom, rules);
}

export interface VisitAttendance {
  childSeen: boolean;
  /** The child the visit was about (older clients name one child this way). */
  childId?: string;
  childrenSeen?: string[];
}

/**
 * Which of the case's children a visit saw. Siblings are often seen on one visit, so a visit that
 * says the child was seen and names nobody saw every child on the case; `childId` alone names the
 * one child seen. Contradictions are refused rather than guessed.
 */
export function childrenSeenOn(visit: VisitAttendance, caseChildIds: readonly string[]): { seen: string[]; problems: FieldProblem[] } {
  if (visit.childrenSeen === undefined) {
    const seen = !visit.childSeen ? [] : visit.childId ? [visit.childId] : [...caseChildIds];
    return { seen, problems: [] };
  }
  const problems: FieldProblem[] = visit.childrenSeen.flatMap((id, i) =>
    caseChildIds.includes(id) ? [] : [{ field: `childrenSeen.${i}`, message: `childrenSeen.${i} ${id} is not a child on this case` }],
  );
  if (!visit.childSeen && visit.childrenSeen.length > 0)
    problems.push({ field: 'childrenSeen', message: 'childSeen is false, so childrenSeen must be empty' });
  if (visit.childSeen && visit.childrenSeen.length === 0)
    problems.push({ field: 'childrenSeen', message: 'name at least one child seen, or send childSeen: false' });
  if (visit.childSeen && visit.childId && !visit.childrenSeen.includes(visit.childId)) {
    problems.push({ field: 'childId', message: `childId ${visit.childId} must be one of childrenSeen when the child was seen` });
  }
  return { seen: visit.childSeen ? [...visit.childrenSeen] : [], problems };
}
