/**
 * A calendar date with no time of day and no zone: the law counts in days ("the day on which the
 * application was issued"), not instants. Carried as an ISO 'YYYY-MM-DD' string so it crosses JSON,
 * SQL `date` columns and logs unchanged, and so ISO strings compare correctly with `<`. Arithmetic
 * converts to an epoch day (days since 1970-01-01) and back.
 */
export type LocalDate = string & { readonly __brand: 'LocalDate' };

/** Whole days since 1970-01-01 (negative before it). */
export type EpochDay = number;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export class InvalidDateError extends RangeError {
  constructor(
    readonly input: unknown,
    reason: string,
  ) {
    super(`Invalid date ${JSON.stringify(input)}: ${reason}`);
    this.name = 'InvalidDateError';
  }
}

const MIN_YEAR = 1;
const MAX_YEAR = 9999;
const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH_NAMES = ['', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TWO_DIGITS = Array.from({ length: 32 }, (_, n) => String(n).padStart(2, '0'));
// Day numbers of the proleptic Gregorian calendar repeat every 400 years (146,097 days); counting
// years from 1 March puts the leap day last, which makes the month lengths a simple linear formula.
const DAYS_PER_400_YEARS = 146_097;
const DAYS_FROM_0000_03_01_TO_EPOCH = 719_468;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch day of a valid year/month/day; the caller guarantees validity. */
export function epochDayFromParts(year: number, month: number, day: number): EpochDay {
  const marchBasedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(marchBasedYear / 400);
  const yearOfEra = marchBasedYear - era * 400;
  const marchBasedMonth = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * marchBasedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_400_YEARS + dayOfEra - DAYS_FROM_0000_03_01_TO_EPOCH;
}

interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function partsFromEpochDay(epochDay: EpochDay): DateParts {
  const shifted = epochDay + DAYS_FROM_0000_03_01_TO_EPOCH;
  const era = Math.floor(shifted / DAYS_PER_400_YEARS);
  const dayOfEra = shifted - era * DAYS_PER_400_YEARS;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchBasedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchBasedMonth + 2) / 5) + 1;
  const month = marchBasedMonth < 10 ? marchBasedMonth + 3 : marchBasedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Value of `length` decimal digits at `start`, or -1 if any is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const HYPHEN = 45;

/** Epoch day of a 'YYYY-MM-DD' string, or NaN when it is not a real calendar date. */
function epochDayOrNaN(text: unknown): number {
  if (typeof text !== 'string' || text.length !== 10) return NaN;
  if (text.charCodeAt(4) !== HYPHEN || text.charCodeAt(7) !== HYPHEN) return NaN;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  return epochDayFromParts(year, month, day);
}

export function isLocalDate(text: unknown): text is LocalDate {
  return !Number.isNaN(epochDayOrNaN(text));
}

/** Checks that `text` is a real calendar date written 'YYYY-MM-DD' (e.g. rejects 2025-02-29). */
export function parseLocalDate(text: unknown): LocalDate {
  if (!isLocalDate(text)) throw new InvalidDateError(text, "expected a real calendar date written 'YYYY-MM-DD'");
  return text;
}

/**
 * Re-validates even though the type is branded: a cast or untyped JSON can smuggle any string in,
 * and a legal deadline computed from a malformed date must fail rather than come out wrong.
 */
export function toEpochDay(date: LocalDate): EpochDay {
  const epochDay = epochDayOrNaN(date);
  if (Number.isNaN(epochDay)) throw new InvalidDateError(date, "expected a real calendar date written 'YYYY-MM-DD'");
  return epochDay;
}

export function fromEpochDay(epochDay: EpochDay): LocalDate {
  if (!Number.isSafeInteger(epochDay)) throw new InvalidDateError(epochDay, 'an epoch day must be an integer');
  const { year, month, day } = partsFromEpochDay(epochDay);
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new InvalidDateError(epochDay, `falls outside years ${MIN_YEAR}–${MAX_YEAR}`);
  }
  const yearText = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return `${yearText}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}` as LocalDate;
}

/** ISO weekday of an epoch day; 1970-01-01 was a Thursday. */
export function weekdayOfEpochDay(epochDay: EpochDay): IsoWeekday {
  const mondayBased = (((epochDay + 3) % 7) + 7) % 7;
  return (mondayBased + 1) as IsoWeekday;
}

export function dayOfWeek(date: LocalDate): IsoWeekday {
  return weekdayOfEpochDay(toEpochDay(date));
}

function requireInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer, got ${value}`);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  requireInteger(days, 'days');
  return fromEpochDay(toEpochDay(date) + days);
}

export function addWeeks(date: LocalDate, weeks: number): LocalDate {
  requireInteger(weeks, 'weeks');
  return fromEpochDay(toEpochDay(date) + 7 * weeks);
}

/**
 * Same day-of-month `months` later (or earlier when negative), clamped to the last day of a shorter
 * month: 31 Jan 2025 + 1 month = 28 Feb 2025, 31 Jan 2024 + 1 month = 29 Feb 2024,
 * 31 Mar 2025 − 1 month = 28 Feb 2025, 29 Feb 2024 + 12 months = 28 Feb 2025. This matches the
 * "corresponding date" reading of a month used by the courts. Because of clamping, adding one month
 * twice can differ from adding two months once (31 Jan → 28 Feb → 28 Mar, but 31 Jan → 31 Mar), so
 * recurring obligations must count each interval from the actual previous event, as the rules do.
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  return fromEpochDay(addMonthsToEpochDay(toEpochDay(date), months));
}

/** addMonths on epoch days. */
export function addMonthsToEpochDay(epochDay: EpochDay, months: number): EpochDay {
  requireInteger(months, 'months');
  const { year, month, day } = partsFromEpochDay(epochDay);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  if (targetYear < MIN_YEAR || targetYear > MAX_YEAR) {
    throw new InvalidDateError(fromEpochDay(epochDay), `adding ${months} months leaves years ${MIN_YEAR}–${MAX_YEAR}`);
  }
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return epochDayFromParts(targetYear, targetMonth, targetDay);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** The later of two dates (ISO strings order chronologically). */
export function laterOf(a: LocalDate, b: LocalDate): LocalDate {
  return toEpochDay(a) >= toEpochDay(b) ? a : b;
}

/** Human form used in explanations and messages, e.g. "Mon 6 Jan 2025". */
export function formatLongDate(date: LocalDate): string {
  const epochDay = toEpochDay(date);
  const { year, month, day } = partsFromEpochDay(epochDay);
  return `${WEEKDAY_NAMES[weekdayOfEpochDay(epochDay)]} ${day} ${MONTH_NAMES[month]} ${year}`;
}
