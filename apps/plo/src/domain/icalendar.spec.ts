import ICAL from 'ical.js';
import { renderCalendar } from './icalendar';

describe('iCalendar feed (parsed by ical.js)', () => {
  const text = renderCalendar({
    name: 'Case T-1234, hearings and deadlines',
    entries: [
      {
        uid: 'hearing-1@plo',
        sequence: 2,
        lastModified: new Date('2025-02-03T09:15:00Z'),
        summary: 'Case management hearing; case T-1234, court MA25C00123',
        description: `Listed, fixed.\nJudge: DJ X, venue: ${'Manchester Civil Justice Centre '.repeat(4)}`,
        location: 'Manchester, court 3',
        when: { startsAt: new Date('2025-02-20T10:00:00Z'), endsAt: new Date('2025-02-20T12:30:00Z') },
      },
      {
        uid: 'obligation-1@plo',
        sequence: 0,
        lastModified: new Date('2025-02-01T08:00:00Z'),
        summary: 'Court bundle due',
        when: { date: '2025-02-18' },
      },
      {
        uid: 'hearing-2@plo',
        sequence: 1,
        lastModified: new Date('2025-02-04T08:00:00Z'),
        summary: 'IRH',
        when: { startsAt: new Date('2025-04-01T09:00:00Z') },
        cancelled: true,
      },
    ],
  });
  const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');

  it('uses CRLF line ends and folds long lines at 75 octets', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(text.split('\n').every((line, i, all) => i === all.length - 1 || line.endsWith('\r'))).toBe(true);
  });

  it('round-trips UIDs, sequences, stamps, times and escaped text', () => {
    const hearing = new ICAL.Event(events[0]);
    expect(hearing.uid).toBe('hearing-1@plo');
    expect(hearing.sequence).toBe(2);
    expect(hearing.summary).toBe('Case management hearing; case T-1234, court MA25C00123');
    expect(hearing.description).toContain('Judge: DJ X, venue: Manchester');
    expect(hearing.location).toBe('Manchester, court 3');
    expect(hearing.startDate.toJSDate().toISOString()).toBe('2025-02-20T10:00:00.000Z');
    expect(hearing.endDate.toJSDate().toISOString()).toBe('2025-02-20T12:30:00.000Z');
    expect(events[0].getFirstPropertyValue('dtstamp')!.toString()).toBe('2025-02-03T09:15:00Z');
  });

  it('writes deadlines as one-day all-day events, and cancelled hearings as cancelled', () => {
    const deadline = new ICAL.Event(events[1]);
    expect(deadline.startDate.isDate).toBe(true);
    expect(deadline.startDate.toString()).toBe('2025-02-18');
    expect(events[2].getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
