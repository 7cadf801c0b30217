import { ChildStatus, LookedAfterBasis } from '@plo/contracts';
import { computeDeadline, Deadline, laterOf, LocalDate, RulePack, toEpochDay } from '@plo/timescales';

/** A status one of the case's children holds now. */
export interface HeldStatus {
  status: ChildStatus;
  basis: LookedAfterBasis | null;
  startDate: LocalDate;
}

export interface SupervisionFacts {
  /** The day the case opened: what supervision counts from when a status is older than the case. */
  openedOn: LocalDate;
  statuses: readonly HeldStatus[];
  /** The latest supervision held on the case, if any. */
  lastHeldOn?: LocalDate;
}

const UNDER_AN_ORDER: readonly LookedAfterBasis[] = ['interim-care-order', 'care-order', 'placement-order'];

/**
 * The council's supervision cadence a status puts the case under: a protection plan or proceedings
 * (pre-proceedings, care proceedings, looked after under an order) the closer one; a child in need,
 * or looked after by agreement (s.20, a child in need under s.17(10)), the other.
 */
export function supervisionRuleOf(held: Pick<HeldStatus, 'status' | 'basis'>): 'supervision-cp' | 'supervision-cin' {
  switch (held.status) {
    case 'child-protection-plan':
    case 'pre-proceedings':
    case 'care-proceedings':
      return 'supervision-cp';
    case 'looked-after':
      return held.basis && UNDER_AN_ORDER.includes(held.basis) ? 'supervision-cp' : 'supervision-cin';
    case 'child-in-need':
      return 'supervision-cin';
  }
}

/**
 * The case's next supervision: each status counts its cadence from the later of the last supervision
 * (or, before any, the case opening) and the day the status began, and the earliest due date wins, so
 * the shortest cadence of any child decides. No status held: no supervision is owed.
 */
export function nextSupervision(facts: SupervisionFacts, rules: RulePack): Deadline | undefined {
  let first: Deadline | undefined;
  for (const held of facts.statuses) {
    const from = laterOf(facts.lastHeldOn ?? facts.openedOn, held.startDate);
    const due = computeDeadline(supervisionRuleOf(held), from, rules);
    if (!first || comesFirst(due, first)) first = due;
  }
  return first;
}

/** The earliest due date; of two the same day, the closer cadence, so a tie always explains itself the same way. */
function comesFirst(a: Deadline, b: Deadline): boolean {
  const due = toEpochDay(a.dueDate) - toEpochDay(b.dueDate);
  if (due !== 0) return due < 0;
  return a.ruleId === 'supervision-cp' && b.ruleId !== 'supervision-cp';
}
