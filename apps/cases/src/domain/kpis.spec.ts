import { parseLocalDate, RulePack } from '@plo/timescales';
import { computeKpis, KpiFacts } from './kpis';

const d = parseLocalDate;
const calendar = RulePack.standard().calendar;
const none: KpiFacts = { asOf: d('2026-11-30'), contacts: [], referrals: [], openChildren: [], icpcs: [], supervisionsDue: [] };

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

  it('ICPCs resulting in a plan', () => {
    const report = computeKpis({ ...none, icpcs: [{ outcome: 'plan' }, { outcome: 'plan' }, { outcome: 'no-plan' }] }, calendar);
    expect(report.icpcsResultingInPlan).toEqual({ numerator: 2, denominator: 3, percent: 66.7 });
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
