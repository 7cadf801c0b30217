import { defaultCalendar } from '@plo/timescales';
import { escalates, firstStep, nextEscalationAt, recipientFor } from './escalation';

const calendar = defaultCalendar();
const policy = { workingDaysPerStep: [2, 3] as const };

describe('escalation ladder', () => {
  it('moves to the team manager at the start of the second working day after the alert was raised', () => {
    // Raised Tue 10 Nov 2026 at 09:00: two working days later is Thu 12 Nov.
    expect(nextEscalationAt(0, new Date('2026-11-10T09:00:00Z'), policy, calendar)?.toISOString()).toBe('2026-11-12T00:00:00.000Z');
  });

  it('counts working days: a weekend and a bank holiday Monday do not count (summer time)', () => {
    // Raised Fri 22 May 2026; Mon 25 May is a bank holiday → Tue 26 is day 1, Wed 27 day 2, 00:00 BST.
    expect(nextEscalationAt(0, new Date('2026-05-22T14:00:00Z'), policy, calendar)?.toISOString()).toBe('2026-05-26T23:00:00.000Z');
  });

  it('takes the next step from the instant the previous one was reached, and stops at the service manager', () => {
    expect(nextEscalationAt(1, new Date('2026-11-12T00:00:00Z'), policy, calendar)?.toISOString()).toBe('2026-11-17T00:00:00.000Z');
    expect(nextEscalationAt(2, new Date('2026-11-17T00:00:00Z'), policy, calendar)).toBeUndefined();
  });

  it('a step configured as 0 working days never escalates', () => {
    expect(nextEscalationAt(0, new Date('2026-11-10T09:00:00Z'), { workingDaysPerStep: [0, 3] }, calendar)).toBeUndefined();
  });

  it('a case not supervised within its cadence goes to the team manager first; everything else starts with the worker', () => {
    const recipients = { workerId: 'sw.alex', teamManagerId: 'tm.sam', serviceManagerId: 'sm.kim' };
    expect(recipientFor(firstStep('supervision', 'drift'), recipients)).toBe('tm.sam');
    expect(recipientFor(firstStep('visit', 'drift'), recipients)).toBe('sw.alex');
    expect(recipientFor(firstStep('supervision', 'warning'), recipients)).toBe('sw.alex');
  });

  it('sends each step to the person in that role for the case', () => {
    const recipients = { workerId: 'sw.alex', teamManagerId: 'tm.sam', serviceManagerId: null };
    expect([0, 1, 2].map((step) => recipientFor(step, recipients))).toEqual(['sw.alex', 'tm.sam', null]);
  });

  it('escalates drift and projected drift, not warnings', () => {
    expect(['drift', 'projected-drift', 'warning-2-working-days'].map(escalates)).toEqual([true, true, false]);
  });
});
