import { LegalStatus } from '@plo/contracts';
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
