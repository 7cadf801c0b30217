/**
 * A minimal RFC 5545 writer for a published (read-only) calendar. Clients recognise an event by its
 * UID and take the copy with the highest SEQUENCE, so UIDs must never change and SEQUENCE must grow
 * whenever an event's time changes; DTSTAMP is when the record last changed.
 */
export interface CalendarEntry {
  uid: string;
  sequence: number;
  lastModified: Date;
  summary: string;
  description?: string;
  location?: string;
  /** A timed event (instants) or an all-day event on a calendar date (YYYY-MM-DD). */
  when: { startsAt: Date; endsAt?: Date } | { date: string };
  cancelled?: boolean;
}

export interface Calendar {
  name: string;
  entries: CalendarEntry[];
}

const PRODUCT_ID = '-//PLO drift//PLO stages service//EN';

export function renderCalendar(calendar: Calendar): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
  ];
  for (const entry of calendar.entries) lines.push(...renderEntry(entry));
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

function renderEntry(entry: CalendarEntry): string[] {
  const lines = ['BEGIN:VEVENT', `UID:${entry.uid}`, `DTSTAMP:${utcStamp(entry.lastModified)}`, `SEQUENCE:${entry.sequence}`];
  if ('date' in entry.when) {
    // An all-day event without DTEND lasts exactly that one day (RFC 5545 §3.6.1).
    lines.push(`DTSTART;VALUE=DATE:${entry.when.date.replace(/-/g, '')}`, 'TRANSP:TRANSPARENT');
  } else {
    lines.push(`DTSTART:${utcStamp(entry.when.startsAt)}`);
    if (entry.when.endsAt) lines.push(`DTEND:${utcStamp(entry.when.endsAt)}`);
  }
  lines.push(`SUMMARY:${escapeText(entry.summary)}`);
  if (entry.description) lines.push(`DESCRIPTION:${escapeText(entry.description)}`);
  if (entry.location) lines.push(`LOCATION:${escapeText(entry.location)}`);
  lines.push(`STATUS:${entry.cancelled ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT');
  return lines;
}

function utcStamp(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after a space, never splitting a character. */
function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let currentBytes = 0;
  for (const character of line) {
    const bytes = Buffer.byteLength(character);
    const limit = parts.length ? 74 : 75;
    if (currentBytes + bytes > limit) {
      parts.push(current);
      current = '';
      currentBytes = 0;
    }
    current += character;
    currentBytes += bytes;
  }
  parts.push(current);
  return parts.join('\r\n ');
}
