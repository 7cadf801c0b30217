import { Ratio, ratio } from '@plo/platform';
import { addWeeks, LocalDate, WorkingDayCalendar } from '@plo/timescales';

export interface KpiFacts {
  asOf: LocalDate;
  /** Contacts received in the reporting period. */
  contacts: readonly { receivedOn: LocalDate; decidedOn: LocalDate | null }[];
  /**
   * Referrals received in the reporting period: the children each is about, those for whom it is a
   * repeat, and the day the council's local "progressed" measure falls due.
   */
  referrals: readonly {
    receivedOn: LocalDate;
    decidedOn: LocalDate | null;
    progressDueOn: LocalDate;
    childIds: readonly string[];
    repeatFor: readonly string[];
  }[];
  /** Children on cases open on the reporting date, once per status they held then, with the last visit at which that child was seen. */
  openChildren: readonly { legalStatus: string; lastSeenOn: LocalDate | null }[];
  /** Assessments (one per child) completed in the reporting period, with the 45-working-day date from their referral. */
  assessments: readonly { completedOn: LocalDate; dueOn: LocalDate }[];
  /** ICPCs held in the reporting period, one per child, and whether each was held after its due date (15 WD after the last strategy discussion). */
  icpcs: readonly { outcome: string; heldLate: boolean }[];
  /** Children's s.47 enquiries concluded in the reporting period, with their outcomes. */
  section47s: readonly { outcome: string }[];
  /** The cases' supervisions due in the reporting period (not cancelled), with the case's team and worker. */
  supervisionsDue: readonly SupervisionDue[];
}

export interface SupervisionDue {
  teamId: string;
  workerId: string;
  dueDate: LocalDate;
  satisfiedOn: LocalDate | null;
}

export const SUPERVISION_WITHIN_CADENCE_DEFINITION =
  "Of the supervisions cases owed in the period (due between from and to under the council's cadence; one rescheduled by a change of status is counted once, at its final due date), the share held on or before the due date; one not held yet counts against. Per team and per worker by the case's allocation on the reporting date.";

export interface SupervisionWithinCadence extends Ratio {
  definition: string;
  byTeam: (Ratio & { teamId: string })[];
  byWorker: (Ratio & { workerId: string })[];
}

export interface KpiReport {
  contactsDecidedWithin1WorkingDay: Ratio;
  referralsProgressedWithin2WorkingDays: Ratio;
  repeatReferrals: Ratio;
  childrenInNeedSeenInLast6Weeks: Ratio;
  lookedAfterChildrenSeenInLast6Weeks: Ratio;
  icpcsResultingInPlan: Ratio;
  assessmentsCompletedWithin45WorkingDays: Ratio & { definition: string };
  section47sLeadingToIcpc: Ratio;
  icpcsWithin15WorkingDaysOfStrategyDiscussion: Ratio;
  supervisionWithinCadence: SupervisionWithinCadence;
}

export const ASSESSMENTS_WITHIN_45_WORKING_DAYS =
  'Child-and-family assessments completed in the period, one per child, that were completed within 45 working days of the referral they started from (Working Together 2023; the CIN census measure). A council’s shorter local target does not change this figure.';

/**
 * The peer review's performance table. Timeliness counts working days from receipt (receipt day not
 * counted, decision day counted); an item with no decision yet counts against the measure. "Seen in
 * the last 6 weeks" means a visit with the child seen on or after the reporting date minus 6 weeks.
 * A referral is "progressed" when decided by the council's local `referral-next-step` date. Repeat
 * referrals count children, as the CIN census does: each child a referral is about is one referral.
 */
export function computeKpis(facts: KpiFacts, calendar: WorkingDayCalendar): KpiReport {
  const within = (items: KpiFacts['contacts'], workingDays: number) =>
    items.filter((item) => item.decidedOn !== null && calendar.countWorkingDays(item.receivedOn, item.decidedOn) <= workingDays).length;
  const sixWeeksBefore = addWeeks(facts.asOf, -6);
  const seen = (status: string) => {
    const children = facts.openChildren.filter((child) => child.legalStatus === status);
    const recent = children.filter(
      (child) => child.lastSeenOn !== null && child.lastSeenOn >= sixWeeksBefore && child.lastSeenOn <= facts.asOf,
    );
    return ratio(recent.length, children.length);
  };
  return {
    contactsDecidedWithin1WorkingDay: ratio(within(facts.contacts, 1), facts.contacts.length),
    referralsProgressedWithin2WorkingDays: ratio(
      facts.referrals.filter((r) => r.decidedOn !== null && r.decidedOn <= r.progressDueOn).length,
      facts.referrals.length,
    ),
    repeatReferrals: ratio(sum(facts.referrals.map((r) => r.repeatFor.length)), sum(facts.referrals.map((r) => r.childIds.length))),
    childrenInNeedSeenInLast6Weeks: seen('child-in-need'),
    lookedAfterChildrenSeenInLast6Weeks: seen('looked-after'),
    icpcsResultingInPlan: ratio(facts.icpcs.filter((icpc) => icpc.outcome === 'plan').length, facts.icpcs.length),
    assessmentsCompletedWithin45WorkingDays: {
      ...ratio(facts.assessments.filter((a) => a.completedOn <= a.dueOn).length, facts.assessments.length),
      definition: ASSESSMENTS_WITHIN_45_WORKING_DAYS,
    },
    section47sLeadingToIcpc: ratio(facts.section47s.filter((s47) => s47.outcome === 'icpc').length, facts.section47s.length),
    icpcsWithin15WorkingDaysOfStrategyDiscussion: ratio(facts.icpcs.filter((icpc) => !icpc.heldLate).length, facts.icpcs.length),
    supervisionWithinCadence: supervisionWithinCadence(facts.supervisionsDue),
  };
}

function supervisionWithinCadence(due: readonly SupervisionDue[]): SupervisionWithinCadence {
  const met = (items: readonly SupervisionDue[]) =>
    ratio(items.filter((s) => s.satisfiedOn !== null && s.satisfiedOn <= s.dueDate).length, items.length);
  const groups = (key: (s: SupervisionDue) => string) => {
    const byKey = new Map<string, SupervisionDue[]>();
    for (const s of due) byKey.set(key(s), [...(byKey.get(key(s)) ?? []), s]);
    return [...byKey].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    ...met(due),
    definition: SUPERVISION_WITHIN_CADENCE_DEFINITION,
    byTeam: groups((s) => s.teamId).map(([teamId, items]) => ({ teamId, ...met(items) })),
    byWorker: groups((s) => s.workerId).map(([workerId, items]) => ({ workerId, ...met(items) })),
  };
}

const sum = (counts: readonly number[]) => counts.reduce((total, n) => total + n, 0);
