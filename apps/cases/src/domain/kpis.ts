import { Ratio, ratio } from '@plo/platform';
import { addWeeks, LocalDate, WorkingDayCalendar } from '@plo/timescales';

export interface KpiFacts {
  asOf: LocalDate;
  /** Contacts received in the reporting period. */
  contacts: readonly { receivedOn: LocalDate; decidedOn: LocalDate | null }[];
  /** Referrals received in the reporting period. */
  referrals: readonly { receivedOn: LocalDate; decidedOn: LocalDate | null; repeat: boolean }[];
  /** Children on cases open on the reporting date, once per status they held then, with the last visit at which that child was seen. */
  openChildren: readonly { legalStatus: string; lastSeenOn: LocalDate | null }[];
  /** ICPCs held in the reporting period, one per child, and whether each was held after its due date (15 WD after the last strategy discussion). */
  icpcs: readonly { outcome: string; heldLate: boolean }[];
  /** Children's s.47 enquiries concluded in the reporting period, with their outcomes. */
  section47s: readonly { outcome: string }[];
}

export interface KpiReport {
  contactsDecidedWithin1WorkingDay: Ratio;
  referralsProgressedWithin2WorkingDays: Ratio;
  repeatReferrals: Ratio;
  childrenInNeedSeenInLast6Weeks: Ratio;
  lookedAfterChildrenSeenInLast6Weeks: Ratio;
  icpcsResultingInPlan: Ratio;
  section47sLeadingToIcpc: Ratio;
  icpcsWithin15WorkingDaysOfStrategyDiscussion: Ratio;
}

/**
 * The peer review's performance table. Timeliness counts working days from receipt (receipt day not
 * counted, decision day counted); an item with no decision yet counts against the measure. "Seen in
 * the last 6 weeks" means a visit with the child seen on or after the reporting date minus 6 weeks.
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
    referralsProgressedWithin2WorkingDays: ratio(within(facts.referrals, 2), facts.referrals.length),
    repeatReferrals: ratio(facts.referrals.filter((r) => r.repeat).length, facts.referrals.length),
    childrenInNeedSeenInLast6Weeks: seen('child-in-need'),
    lookedAfterChildrenSeenInLast6Weeks: seen('looked-after'),
    icpcsResultingInPlan: ratio(facts.icpcs.filter((icpc) => icpc.outcome === 'plan').length, facts.icpcs.length),
    section47sLeadingToIcpc: ratio(facts.section47s.filter((s47) => s47.outcome === 'icpc').length, facts.section47s.length),
    icpcsWithin15WorkingDaysOfStrategyDiscussion: ratio(facts.icpcs.filter((icpc) => !icpc.heldLate).length, facts.icpcs.length),
  };
}
