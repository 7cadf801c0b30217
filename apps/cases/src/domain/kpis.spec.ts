import { computeDeadline, parseLocalDate, RulePack } from '@plo/timescales';
import { ASSESSMENTS_WITHIN_45_WORKING_DAYS, computeKpis, KpiFacts } from './kpis';

const d = parseLocalDate;
const pack = RulePack.standard();
const calendar = pack.calendar;
const none: KpiFacts = {
  asOf: d('2026-11-30'),
  contacts: [],
  referrals: [],
  openChildren: [],
  icpcs: [],
  assessments: [],
  section47s: [],
  supervisionsDue: [],
};
const [amy, ben] = ['a0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000002'];

/** A referral about `childIds`, measured by the national pack's local 2-working-day next step. */
const referral = (receivedOn: string, decidedOn: string | null, childIds: string[], repeatFor: string[] = []) => ({
  receivedOn: d(receivedOn),
  decidedOn: decidedOn === null ? null : d(decidedOn),
  progressDueOn: computeDeadline('referral-next-step', d(receivedOn), pack).dueDate,
  childIds,
  repeatFor,
});

describe('KPI arithmetic', () => {
  it('contacts count in time when decided by the next working day; undecided ones count against', () => {
    const report = computeKpis(
      {
        ...none,
        contacts: [
          { receivedOn: d('2026-11-20'), decidedOn: d('2026-11-20') }, // same day: 0 WD
          { receivedOn: d('2026-11-20'), decidedOn: d('2026-11-23') }, // Fri → Mon: 1 WD
          { receivedOn: d('2026-11-20'), decidedOn: d('2026-11-24') }, // 2 WD: late
          { receivedOn: d('2026-11-20'), decidedOn: null },
        ],
      },
      calendar,
    );
    expect(report.contactsDecidedWithin1WorkingDay).toEqual({ numerator: 2, denominator: 4, percent: 50 });
  });

  it("referrals are progressed by the council's local 2 working days, and bank holidays do not count", () => {
    const report = computeKpis(
      {
        ...none,
        referrals: [
          referral('2026-12-24', '2026-12-29', [amy]), // Thu → Tue over Christmas and Boxing Day (moved to 28th): 1 WD
          referral('2026-11-23', '2026-11-26', [amy], [amy]), // 3 WD
        ],
      },
      calendar,
    );
    expect(report.referralsProgressedWithin2WorkingDays).toEqual({ numerator: 1, denominator: 2, percent: 50 });
  });

  it('counts repeat referrals per child, as the CIN census does: a referral about two siblings is two referrals', () => {
    const report = computeKpis(
      { ...none, referrals: [referral('2026-11-02', null, [amy, ben], [amy]), referral('2026-11-09', null, [ben])] },
      calendar,
    );
    expect(report.repeatReferrals).toEqual({ numerator: 1, denominator: 3, percent: 33.3 });
  });

  it('counts assessments completed on or before 45 working days from the referral, with its definition', () => {
    const due = computeDeadline('assessment-completion', d('2026-09-01'), pack).dueDate;
    const report = computeKpis(
      {
        ...none,
        assessments: [
          { completedOn: due, dueOn: due },
          { completedOn: d('2026-10-01'), dueOn: due },
          { completedOn: calendar.addWorkingDays(due, 1), dueOn: due },
        ],
      },
      calendar,
    );
    expect(report.assessmentsCompletedWithin45WorkingDays).toEqual({
      numerator: 2,
      denominator: 3,
      percent: 66.7,
      definition: ASSESSMENTS_WITHIN_45_WORKING_DAYS,
    });
  });

  it('children seen in the 6 weeks to the reporting date, by legal status; a visit after the reporting date does not count', () => {
    const report = computeKpis(
      {
        ...none,
        openChildren: [
          { legalStatus: 'child-in-need', lastSeenOn: d('2026-10-19') }, // exactly 6 weeks before 30 Nov
          { legalStatus: 'child-in-need', lastSeenOn: d('2026-10-18') },
          { legalStatus: 'child-in-need', lastSeenOn: null },
          { legalStatus: 'looked-after', lastSeenOn: d('2026-11-29') },
          { legalStatus: 'looked-after', lastSeenOn: d('2026-12-01') },
          { legalStatus: 'child-protection-plan', lastSeenOn: d('2026-11-29') },
        ],
      },
      calendar,
    );
    expect(report.childrenInNeedSeenInLast6Weeks).toEqual({ numerator: 1, denominator: 3, percent: 33.3 });
    expect(report.lookedAfterChildrenSeenInLast6Weeks).toEqual({ numerator: 1, denominator: 2, percent: 50 });
  });

  it('ICPCs resulting in a plan, and held within 15 working days of the last strategy discussion', () => {
    const report = computeKpis(
      {
        ...none,
        icpcs: [
          { outcome: 'plan', heldLate: false },
          { outcome: 'plan', heldLate: true },
          { outcome: 'no-plan', heldLate: false },
        ],
      },
      calendar,
    );
    expect(report.icpcsResultingInPlan).toEqual({ numerator: 2, denominator: 3, percent: 66.7 });
    expect(report.icpcsWithin15WorkingDaysOfStrategyDiscussion).toEqual({ numerator: 2, denominator: 3, percent: 66.7 });
  });

  it('s.47 enquiries leading to an ICPC, of those concluded; none concluded is no figure', () => {
    const report = computeKpis(
      { ...none, section47s: [{ outcome: 'icpc' }, { outcome: 'no-further-action' }, { outcome: 'cin-plan' }, { outcome: 'icpc' }] },
      calendar,
    );
    expect(report.section47sLeadingToIcpc).toEqual({ numerator: 2, denominator: 4, percent: 50 });
    expect(computeKpis(none, calendar).section47sLeadingToIcpc).toEqual({ numerator: 0, denominator: 0, percent: null });
  });

  it('supervision within cadence: held by the due date counts; late or not yet held counts against; per team and per worker', () => {
    const due = (teamId: string, workerId: string, dueDate: string, satisfiedOn: string | null) => ({
      teamId,
      workerId,
      dueDate: d(dueDate),
      satisfiedOn: satisfiedOn === null ? null : d(satisfiedOn),
    });
    const report = computeKpis(
      {
        ...none,
        supervisionsDue: [
          due('north-1', 'sw.alex', '2026-11-10', '2026-11-10'), // on the due date: in time
          due('north-1', 'sw.alex', '2026-11-20', '2026-11-24'), // late
          due('north-1', 'sw.bea', '2026-11-12', '2026-11-01'),
          due('east-3', 'sw.ola', '2026-11-16', null), // never held
        ],
      },
      calendar,
    );
    expect(report.supervisionWithinCadence).toEqual({
      numerator: 2,
      denominator: 4,
      percent: 50,
      definition: expect.stringContaining('held on or before the due date'),
      byTeam: [
        { teamId: 'east-3', numerator: 0, denominator: 1, percent: 0 },
        { teamId: 'north-1', numerator: 2, denominator: 3, percent: 66.7 },
      ],
      byWorker: [
        { workerId: 'sw.alex', numerator: 1, denominator: 2, percent: 50 },
        { workerId: 'sw.bea', numerator: 1, denominator: 1, percent: 100 },
        { workerId: 'sw.ola', numerator: 0, denominator: 1, percent: 0 },
      ],
    });
  });
});
