import { defaultCalendar, parseLocalDate } from '@plo/timescales';
import { alertSchedule, atLondonTimeOf, defaultWarningLeads, dueAlerts, parseWarningLeads } from './alert-schedule';

const calendar = defaultCalendar();
const leads = defaultWarningLeads();
const iso = (kind: string, due: string, dueAt?: string) =>
  alertSchedule(kind, parseLocalDate(due), leads, calendar, dueAt ? new Date(dueAt) : undefined).map((a) => [
    a.level,
    a.severity,
    a.at.toISOString(),
  ]);

describe('alert schedule', () => {
  it('takes its defaults from the timescales warning rules: weeks 20 and 24 of the 26-week clock, visits 2 working days ahead', () => {
    expect(leads.get('proceedings-completion')).toEqual([
      { offset: 6, unit: 'weeks' },
      { offset: 2, unit: 'weeks' },
    ]);
    expect(leads.get('visit')).toEqual([{ offset: 2, unit: 'working-days' }]);
  });

  it('warns a visit at the start of the day 2 working days before, and drifts at the start of the day after the due date (GMT)', () => {
    expect(iso('visit', '2026-11-16')).toEqual([
      ['warning-2-working-days', 'warning', '2026-11-12T00:00:00.000Z'],
      ['drift', 'critical', '2026-11-17T00:00:00.000Z'],
    ]);
  });

  it('drifts at the time of day an obligation sets, and warns at the same London time across the spring clock change', () => {
    // Due Mon 29 Mar 2027 at 16:00 BST (15:00Z); BST began Sun 28 Mar. Good Friday (26 Mar) is a bank
    // holiday, so 2 working days before is Wed 24 Mar, at 16:00 GMT.
    expect(iso('visit', '2027-03-29', '2027-03-29T15:00:00Z')).toEqual([
      ['warning-2-working-days', 'warning', '2027-03-24T16:00:00.000Z'],
      ['drift', 'critical', '2027-03-29T15:00:00.000Z'],
    ]);
  });

  it('reads the time of day on the day of the change itself, and across the autumn change', () => {
    // Sun 28 Mar 2027 16:00 BST: 15 hours after midnight GMT, but 16:00 on the wall clock.
    expect(atLondonTimeOf(new Date('2027-03-28T15:00:00Z'), parseLocalDate('2027-03-25')).toISOString()).toBe('2027-03-25T16:00:00.000Z');
    // Mon 1 Nov 2027 10:00 GMT (BST ended Sun 31 Oct): the warning is Thu 28 Oct 10:00 BST.
    expect(iso('visit', '2027-11-01', '2027-11-01T10:00:00Z')).toEqual([
      ['warning-2-working-days', 'warning', '2027-10-28T09:00:00.000Z'],
      ['drift', 'critical', '2027-11-01T10:00:00.000Z'],
    ]);
    // Sun 31 Oct 2027 18:30 GMT: 19.5 hours after midnight BST.
    expect(atLondonTimeOf(new Date('2027-10-31T18:30:00Z'), parseLocalDate('2027-10-29')).toISOString()).toBe('2027-10-29T17:30:00.000Z');
  });

  it('uses London midnight in summer time and skips bank holidays when counting working days', () => {
    // Tue 26 May 2026: Mon 25 May is a bank holiday, so 2 working days before is Thu 21 May.
    expect(iso('visit', '2026-05-26')).toEqual([
      ['warning-2-working-days', 'warning', '2026-05-20T23:00:00.000Z'],
      ['drift', 'critical', '2026-05-26T23:00:00.000Z'],
    ]);
  });

  it('warns the 26-week clock 6 and 2 weeks before its last day (issue 6 Jan 2025, last day 6 Jul 2025)', () => {
    expect(iso('proceedings-completion', '2025-07-06')).toEqual([
      ['warning-6-weeks', 'warning', '2025-05-24T23:00:00.000Z'],
      ['warning-2-weeks', 'warning', '2025-06-21T23:00:00.000Z'],
      ['drift', 'critical', '2025-07-06T23:00:00.000Z'],
    ]);
  });

  it('gives a kind without configured leads only a drift alert', () => {
    expect(iso('core-group', '2026-01-05').map(([level]) => level)).toEqual(['drift']);
  });

  it('raises only the latest alert already due, and says when to look again', () => {
    const schedule = alertSchedule('visit', parseLocalDate('2026-11-16'), leads, calendar);
    expect(dueAlerts(schedule, new Date('2026-11-11T23:59:59.999Z'))).toEqual({ raise: undefined, nextAt: schedule[0].at });
    expect(dueAlerts(schedule, new Date('2026-11-12T00:00:00.000Z'))).toEqual({ raise: schedule[0], nextAt: schedule[1].at });
    expect(dueAlerts(schedule, new Date('2026-12-01T00:00:00.000Z'))).toEqual({ raise: schedule[1], nextAt: undefined });
  });
});

describe('ALERT_WARNING_LEADS', () => {
  it('replaces the defaults of the kinds it names, and an empty list switches warnings off', () => {
    const parsed = parseWarningLeads('visit=3wd, 1w; proceedings-completion=; lac-review=10d', leads);
    expect(parsed.get('visit')).toEqual([
      { offset: 3, unit: 'working-days' },
      { offset: 1, unit: 'weeks' },
    ]);
    expect(parsed.get('proceedings-completion')).toEqual([]);
    expect(parsed.get('lac-review')).toEqual([{ offset: 10, unit: 'calendar-days' }]);
  });

  it('names every bad part', () => {
    expect(() => parseWarningLeads('visit=2x,0d;nonsense', leads)).toThrow(/"2x" for visit.*"0d" for visit.*"nonsense" is not kind=leads/);
  });
});
