import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The simulation's own date arithmetic, written apart from libs/timescales on purpose: the council
 * year's expectations must not share a bug with the code they check. Only the bank-holiday table is
 * shared, because it is data (GOV.UK's feed), not code.
 *
 * A date is 'YYYY-MM-DD', a calendar day in England; arithmetic runs on UTC midnights, where every
 * day has 24 hours.
 */
export type Day = string;

const MS_PER_DAY = 86_400_000;

function toUtc(day: Day): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`not a date: ${day}`);
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) throw new RangeError(`not a date: ${day}`);
  return ms;
}

function fromUtc(ms: number): Day {
  return new Date(ms).toISOString().slice(0, 10);
}

export function plusDays(day: Day, days: number): Day {
  return fromUtc(toUtc(day) + days * MS_PER_DAY);
}

export function daysFrom(a: Day, b: Day): number {
  return Math.round((toUtc(b) - toUtc(a)) / MS_PER_DAY);
}

export function weekday(day: Day): number {
  return new Date(toUtc(day)).getUTCDay();
}

/** Calendar months; a day the target month lacks becomes its last day (31 Jan + 1 month = 28 or 29 Feb). */
export function plusMonths(day: Day, months: number): Day {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(year, month, Math.min(d, lastDay)));
}

export const later = (a: Day, b: Day): Day => (a > b ? a : b);
export const earlier = (a: Day, b: Day): Day => (a < b ? a : b);

interface BankHolidayFile {
  division: string;
  coverage: { from: Day; to: Day };
  events: { date: Day }[];
}

/** Working days: Monday to Friday, except England & Wales bank holidays (FPR r.2.3 "business day"). */
export class WorkingDays {
  private readonly holidays: Set<Day>;

  constructor(
    holidays: Iterable<Day>,
    private readonly coverage: { from: Day; to: Day },
  ) {
    this.holidays = new Set(holidays);
  }

  /** The table the repository keeps as data. */
  static englandAndWales(): WorkingDays {
    const path = join(__dirname, '..', '..', 'libs', 'timescales', 'data', 'bank-holidays.england-and-wales.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as BankHolidayFile;
    if (file.division !== 'england-and-wales') throw new Error(`${path} is not the England & Wales table`);
    return new WorkingDays(
      file.events.map((e) => e.date),
      file.coverage,
    );
  }

  isWorkingDay(day: Day): boolean {
    if (day < this.coverage.from || day > this.coverage.to) throw new RangeError(`${day} is outside the bank-holiday table`);
    const wd = weekday(day);
    return wd !== 0 && wd !== 6 && !this.holidays.has(day);
  }

  /** `n` working days after (n > 0) or before (n < 0) `day`, not counting `day` itself. */
  plus(day: Day, n: number): Day {
    const step = Math.sign(n);
    let current = day;
    for (let left = Math.abs(n); left > 0;) {
      current = plusDays(current, step);
      if (this.isWorkingDay(current)) left--;
    }
    return current;
  }
}

/** The last Sunday of a month, the day British Summer Time starts (March) or ends (October). */
function lastSunday(year: number, month: number): Day {
  const last = fromUtc(Date.UTC(year, month, 0));
  return plusDays(last, -weekday(last));
}

/** Europe/London's offset from UTC in hours at an instant: BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. */
export function londonOffsetHours(instant: Date): number {
  const year = instant.getUTCFullYear();
  const starts = Date.parse(`${lastSunday(year, 3)}T01:00:00Z`);
  const ends = Date.parse(`${lastSunday(year, 10)}T01:00:00Z`);
  const t = instant.getTime();
  return t >= starts && t < ends ? 1 : 0;
}

/** The London calendar day an instant falls on. */
export function londonDay(instant: Date): Day {
  return fromUtc(instant.getTime() + londonOffsetHours(instant) * 3_600_000).slice(0, 10);
}

/** The instant a London day begins (00:00 Europe/London): when the day before it is over. */
export function londonMidnight(day: Day): Date {
  const guess = new Date(toUtc(day));
  // Midnight is never inside a change (the clocks move at 01:00 UTC), so the offset an hour before midnight UTC applies.
  return new Date(guess.getTime() - londonOffsetHours(new Date(guess.getTime() - 3_600_000)) * 3_600_000);
}
