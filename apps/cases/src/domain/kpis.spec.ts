import { parseLocalDate, RulePack } from '@plo/timescales';
import { computeKpis, KpiFacts } from './kpis';

const d = parseLocalDate;
const calendar = RulePack.standard().calendar;
const none: KpiFacts = { asOf: d('2026-11-30'), contacts: [], referrals: [], openChildren: [], icpcs: [], section47s: [] };

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

  it('referrals have 2 working days, and bank holidays do not count', () => {
    const report = computeKpis(
      {
        ...none,
        referrals: [
          { receivedOn: d('2026-12-24'), decidedOn: d('2026-12-29'), repeat: false }, // Thu → Tue over Christmas and Boxing Day (moved to 28th): 1 WD
          { receivedOn: d('2026-11-23'), decidedOn: d('2026-11-26'), repeat: true }, // 3 WD
        ],
      },
      calendar,
    );
    expect(report.referralsProgressedWithin2WorkingDays).toEqual({ numerator: 1, denominator: 2, percent: 50 });
    expect(report.repeatReferrals).toEqual({ numerator: 1, denominator: 2, percent: 50 });
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
});
