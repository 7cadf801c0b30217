import { Ratio, ratio } from '@plo/platform';
import { addWeeks, LocalDate, WorkingDayCalendar } from '@plo/timescales';

export interface KpiFacts {
  asOf: LocalDate;
  /** Contacts received in the reporting period. */
  contacts: readonly { receivedOn: LocalDate; decidedOn: LocalDate | null }[];
  /** Referrals received in the reporting period. */
  referrals: readonly { receivedOn: LocalDate; decidedOn: LocalDate | null; repeat: boolean }[];
  /** Cases open on the reporting date, with the child's legal status then and the last visit at which the child was seen. */
  openCases: readonly { legalStatus: string; lastSeenOn: LocalDate | null }[];
  /** ICPCs held in the reporting period. */
  icpcs: readonly { outcome: string }[];
}

export interface KpiReport {
  contactsDecidedWithin1WorkingDay: Ratio;
  referralsProgressedWithin2WorkingDays: Ratio;
  repeatReferrals: Ratio;
  childrenInNeedSeenInLast6Weeks: Ratio;
  lookedAfterChildrenSeenInLast6Weeks: Ratio;
  icpcsResultingInPlan: Ratio;
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
    const cases = facts.openCases.filter((c) => c.legalStatus === status);
    const recent = cases.filter((c) => c.lastSeenOn !== null && c.lastSeenOn >= sixWeeksBefore && c.lastSeenOn <= facts.asOf);
    return ratio(recent.length, cases.length);
  };
  return {
    contactsDecidedWithin1WorkingDay: ratio(within(facts.contacts, 1), facts.contacts.length),
    referralsProgressedWithin2WorkingDays: ratio(within(facts.referrals, 2), facts.referrals.length),
    repeatReferrals: ratio(facts.referrals.filter((r) => r.repeat).length, facts.referrals.length),
    childrenInNeedSeenInLast6Weeks: seen('child-in-need'),
    lookedAfterChildrenSeenInLast6Weeks: seen('looked-after'),
    icpcsResultingInPlan: ratio(facts.icpcs.filter((icpc) => icpc.outcome === 'plan').length, facts.icpcs.length),
  };
}
