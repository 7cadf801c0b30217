import { ChildStatus, LegalStatus, LookedAfterBasis, ReviewKind } from '@plo/contracts';
import { computeDeadline, Deadline, laterOf, LocalDate, nextLookedAfterVisit, RulePack, toEpochDay } from '@plo/timescales';
import { STATUTORY_VISIT_TYPES, VisitType } from './visit-rules';

/** One of a child's statuses, as its history records it. `endDate` null: the child still holds it. */
export interface ChildStatusFact {
  status: ChildStatus;
  basis: LookedAfterBasis | null;
  startDate: LocalDate;
  endDate: LocalDate | null;
}

/** A placement that applies to the child: the child's own, or one recorded for the whole case since the child joined. */
export interface PlacementFact {
  startedOn: LocalDate;
  intendedToLastUntil18: boolean;
}

/** A visit on which the child was seen. */
export interface VisitFact {
  visitedOn: LocalDate;
  visitType: string;
}

/** Everything a child's next visit depends on; none of it depends on the order it was entered in. */
export interface ChildFacts {
  /** The day the child joined the case: what visits count from before any visit. */
  since: LocalDate;
  statuses: readonly ChildStatusFact[];
  placements: readonly PlacementFact[];
  visits: readonly VisitFact[];
}

/** The visit types that meet each status's visiting duty; proceedings are visited like a protection plan. */
const STATUTORY_TYPES_OF: Record<ChildStatus, readonly VisitType[]> = {
  'child-in-need': STATUTORY_VISIT_TYPES['child-in-need'],
  'child-protection-plan': STATUTORY_VISIT_TYPES['child-protection-plan'],
  'looked-after': STATUTORY_VISIT_TYPES['looked-after'],
  'care-proceedings': STATUTORY_VISIT_TYPES.plo,
  'pre-proceedings': [],
};

/** The cadence each status asks for; pre-proceedings alone asks for none (the plan the child is on does). */
const VISIT_RULE_OF: Partial<Record<ChildStatus, string>> = {
  'child-in-need': 'cin-visit',
  'child-protection-plan': 'cp-visit',
  'care-proceedings': 'cp-visit',
  'looked-after': 'lac-visit-first-year',
};

/** The review series a status carries: ending the status ends the child's series (a CP plan's core groups with its conferences). */
export const REVIEW_SERIES_OF_CHILD_STATUS: Partial<Record<ChildStatus, readonly ReviewKind[]>> = {
  'child-in-need': ['cin-review'],
  'child-protection-plan': ['cp-review', 'core-group'],
  'looked-after': ['lac-review'],
};

export function currentStatuses(statuses: readonly ChildStatusFact[]): ChildStatusFact[] {
  return statuses.filter((s) => s.endDate === null);
}

/** Whether a visit of this type, with the child seen, meets the visiting duty of any of the statuses. */
export function isStatutoryFor(statuses: readonly ChildStatus[], visitType: string): boolean {
  return statuses.some((status) => (STATUTORY_TYPES_OF[status] as readonly string[]).includes(visitType));
}

/** The visit types a visit to children holding these statuses may have. */
export function visitTypesFor(statuses: readonly ChildStatus[]): VisitType[] {
  return [...new Set([...statuses.flatMap((status) => STATUTORY_TYPES_OF[status]), 'non-statutory' as const])];
}

/**
 * The day the child's current looked-after period began: a change of basis ends one row and starts
 * the next on the same day, and the period (reg 28 visits, the reg 33 series) runs on across it.
 */
export function lookedAfterSince(statuses: readonly ChildStatusFact[]): LocalDate | undefined {
  const periods = statuses.filter((s) => s.status === 'looked-after');
  const current = periods.find((s) => s.endDate === null);
  if (!current) return undefined;
  let since: LocalDate = current.startDate;
  // Each step goes strictly back in time, so the walk ends.
  for (;;) {
    const from = toEpochDay(since);
    const before = periods.find((s) => s.endDate !== null && toEpochDay(s.endDate) === from && toEpochDay(s.startDate) < from);
    if (!before) return since;
    since = before.startDate;
  }
}

function lastOf(dates: readonly LocalDate[]): LocalDate | undefined {
  return dates.reduce<LocalDate | undefined>((last, d) => (last === undefined ? d : laterOf(last, d)), undefined);
}

function lastVisitFor(facts: ChildFacts, status: ChildStatus, notBefore?: LocalDate): LocalDate | undefined {
  const types = STATUTORY_TYPES_OF[status] as readonly string[];
  return lastOf(
    facts.visits
      .filter((v) => types.includes(v.visitType) && (notBefore === undefined || toEpochDay(v.visitedOn) >= toEpochDay(notBefore)))
      .map((v) => v.visitedOn),
  );
}

/** The latest placement since the child became looked after; of two started the same day, the one with the longer intention. */
function placementSince(placements: readonly PlacementFact[], since: LocalDate): PlacementFact | undefined {
  return placements
    .filter((p) => toEpochDay(p.startedOn) >= toEpochDay(since))
    .reduce<PlacementFact | undefined>((latest, p) => {
      if (!latest) return p;
      const d = toEpochDay(p.startedOn) - toEpochDay(latest.startedOn);
      return d > 0 || (d === 0 && p.intendedToLastUntil18 && !latest.intendedToLastUntil18) ? p : latest;
    }, undefined);
}

/**
 * A child's next statutory visit, from the statuses the child holds: the most frequent cadence among
 * them wins (the earliest due date). Each status's visit counts from the later of the child's last
 * visit that meets it and the day the status began; a looked-after child with a placement follows
 * reg 28(2) by the placement. No status that asks for visits: none is due.
 */
export function nextChildVisit(facts: ChildFacts, rules: RulePack): Deadline | undefined {
  const candidates: Candidate[] = [];
  for (const held of currentStatuses(facts.statuses)) {
    const ruleId = VISIT_RULE_OF[held.status];
    if (!ruleId) continue;
    if (held.status === 'looked-after') {
      const since = lookedAfterSince(facts.statuses) ?? held.startDate;
      const placement = placementSince(facts.placements, since);
      if (placement) {
        const lastVisitDate = lastVisitFor(facts, 'looked-after', placement.startedOn);
        candidates.push({
          held,
          deadline: nextLookedAfterVisit(
            { placementStart: placement.startedOn, intendedToLastUntil18: placement.intendedToLastUntil18, lastVisitDate },
            rules,
          ),
        });
        continue;
      }
      candidates.push({ held, deadline: computeDeadline(ruleId, laterOf(lastVisitFor(facts, held.status) ?? facts.since, since), rules) });
      continue;
    }
    candidates.push({
      held,
      deadline: computeDeadline(ruleId, laterOf(lastVisitFor(facts, held.status) ?? facts.since, held.startDate), rules),
    });
  }
  return candidates.reduce<Candidate | undefined>((first, c) => (!first || comesFirst(c, first) ? c : first), undefined)?.deadline;
}

interface Candidate {
  held: ChildStatusFact;
  deadline: Deadline;
}

/**
 * Statuses that share a cadence (a protection plan and care proceedings) can fall due the same day
 * from different starts: which one explains the visit must not depend on the order they were entered.
 */
const VISIT_PRECEDENCE: readonly ChildStatus[] = ['looked-after', 'care-proceedings', 'child-protection-plan', 'child-in-need'];

/** The earliest due date; then the rule, the status by precedence and the earliest start, so a tie always breaks the same way. */
function comesFirst(a: Candidate, b: Candidate): boolean {
  const due = toEpochDay(a.deadline.dueDate as LocalDate) - toEpochDay(b.deadline.dueDate as LocalDate);
  if (due !== 0) return due < 0;
  if (a.deadline.ruleId !== b.deadline.ruleId) return a.deadline.ruleId < b.deadline.ruleId;
  const precedence = VISIT_PRECEDENCE.indexOf(a.held.status) - VISIT_PRECEDENCE.indexOf(b.held.status);
  if (precedence !== 0) return precedence < 0;
  return toEpochDay(a.held.startDate) < toEpochDay(b.held.startDate);
}

/** The v1 case-level summary: the most intensive status any child holds; proceedings show as the first release's `plo`. */
export function summaryStatus(current: readonly ChildStatus[]): LegalStatus | undefined {
  if (current.includes('care-proceedings') || current.includes('pre-proceedings')) return 'plo';
  if (current.includes('looked-after')) return 'looked-after';
  if (current.includes('child-protection-plan')) return 'child-protection-plan';
  if (current.includes('child-in-need')) return 'child-in-need';
  return undefined;
}
