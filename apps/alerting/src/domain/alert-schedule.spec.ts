import { defaultCalendar, parseLocalDate } from '@plo/timescales';
import { alertSchedule, defaultWarningLeads, dueAlerts, parseWarningLeads } from './alert-schedule';

const calendar = defaultCalendar();
const leads = defaultWarningLeads();
const iso = (kind: string, due: string) =>
  alertSchedule(kind, parseLocalDate(due), leads, calendar).map((a) => [a.level, a.severity, a.at.toISOString()]);

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
