import { type BankHolidayTable, type Coverage, loadBankHolidays } from './bank-holidays';
import { type EpochDay, type LocalDate, addMonths, formatLongDate, fromEpochDay, toEpochDay, weekdayOfEpochDay } from './local-date';

/** Health checks should warn when the bank-holiday table covers less than this far ahead. */
export const COVERAGE_WARNING_MONTHS = 12;

/**
 * A date (or a result) outside the bank-holiday table's coverage: we refuse rather than assume the
 * date has no bank holidays, because an unknown holiday would silently shift a legal deadline.
 */
export class CalendarCoverageError extends RangeError {
  constructor(
    readonly date: LocalDate,
    readonly coverage: Coverage,
    situation: string,
  ) {
    super(
      `${situation} outside the bank-holiday table's coverage (${coverage.from} to ${coverage.to}), ` +
        'so its working days are unknown; extend the table (see BANK_HOLIDAYS_FILE).',
    );
    this.name = 'CalendarCoverageError';
  }
}

/**
 * England & Wales working days (FPR r.2.3 "business day": not a Saturday, Sunday or bank holiday)
 * over the table's coverage.
 *
 * Everything is precomputed once per table so that each operation is a couple of array reads with
 * no allocation: alerting recomputes ~10^6 open deadlines whenever a hearing moves or the table
 * changes. Arrays are indexed by `epoch day − first covered epoch day`. The epoch-day forms
 * (…EpochDay) serve the rule engine and bulk callers, which parse a date once and format it once.
 */
export class WorkingDayCalendar {
  readonly coverage: Coverage;
  private readonly firstDay: EpochDay;
  private readonly lastDay: EpochDay;
  private readonly workingFlags: Uint8Array;
  /** Working days from the start of coverage up to and including each day. */
  private readonly workingDaysThrough: Int32Array;
  /** Index of the k-th working day of the coverage (k from 1); slot 0 is unused. */
  private readonly indexOfWorkingDay: Int32Array;
  private readonly totalWorkingDays: number;
  /** Covered days already formatted, so results are looked up rather than re-formatted. */
  private readonly dates: readonly LocalDate[];
  private readonly longDates: readonly string[];

  constructor(readonly table: BankHolidayTable) {
    this.coverage = table.coverage;
    this.firstDay = toEpochDay(table.coverage.from);
    this.lastDay = toEpochDay(table.coverage.to);
    const length = this.lastDay - this.firstDay + 1;
    const holidays = new Set(table.events.map((event) => toEpochDay(event.date)));

    this.workingFlags = new Uint8Array(length);
    this.workingDaysThrough = new Int32Array(length);
    const workingIndexes: number[] = [0];
    const dates: LocalDate[] = new Array(length);
    let count = 0;
    for (let index = 0; index < length; index++) {
      const epochDay = this.firstDay + index;
      dates[index] = fromEpochDay(epochDay);
      if (weekdayOfEpochDay(epochDay) <= 5 && !holidays.has(epochDay)) {
        this.workingFlags[index] = 1;
        count++;
        workingIndexes.push(index);
      }
      this.workingDaysThrough[index] = count;
    }
    this.indexOfWorkingDay = Int32Array.from(workingIndexes);
    this.totalWorkingDays = count;
    this.dates = dates;
    this.longDates = dates.map(formatLongDate);
  }

  private indexOf(epochDay: EpochDay): number {
    if (epochDay < this.firstDay || epochDay > this.lastDay) {
      throw new CalendarCoverageError(fromEpochDay(epochDay), this.coverage, `${fromEpochDay(epochDay)} is`);
    }
    return epochDay - this.firstDay;
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.isWorkingEpochDay(toEpochDay(date));
  }

  isWorkingEpochDay(epochDay: EpochDay): boolean {
    return this.workingFlags[this.indexOf(epochDay)] === 1;
  }

  /**
   * The `n`-th working day strictly after `date` (n > 0) or strictly before it (n < 0); `date` itself
   * is never counted, so it need not be a working day: Sat + 1 = Mon, Sat − 1 = Fri, Fri + 1 = Mon.
   * n = 0 returns `date` unchanged, even on a non-working day: "no offset" means no movement.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    return this.localDateOf(this.addWorkingDaysToEpochDay(toEpochDay(date), n));
  }

  addWorkingDaysToEpochDay(epochDay: EpochDay, n: number): EpochDay {
    const index = this.indexOf(epochDay);
    if (!Number.isSafeInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
    if (n === 0) return epochDay;
    // On a non-working day the count through it equals the count through the previous working day,
    // which is itself the first one "before"; hence the +1 when stepping back from such a day.
    const ordinal = n > 0 ? this.workingDaysThrough[index] + n : this.workingDaysThrough[index] + n + 1 - this.workingFlags[index];
    if (ordinal < 1 || ordinal > this.totalWorkingDays) {
      const date = fromEpochDay(epochDay);
      const direction = n > 0 ? 'after' : 'before';
      throw new CalendarCoverageError(date, this.coverage, `${Math.abs(n)} working day(s) ${direction} ${date} falls`);
    }
    return this.firstDay + this.indexOfWorkingDay[ordinal];
  }

  /**
   * Working days in the half-open interval (from, to]: `from` is not counted, `to` is. So a decision
   * on the day of receipt counts 0, the next working day 1, and
   * countWorkingDays(d, addWorkingDays(d, n)) = n for n ≥ 0 (and for n < 0 when d is a working day).
   * Negative when `to` is before `from` (the count over (to, from], negated).
   */
  countWorkingDays(from: LocalDate, to: LocalDate): number {
    return this.workingDaysThrough[this.indexOf(toEpochDay(to))] - this.workingDaysThrough[this.indexOf(toEpochDay(from))];
  }

  /** First working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate {
    return this.addWorkingDays(date, 1);
  }

  /** Last working day strictly before `date`. */
  previousWorkingDay(date: LocalDate): LocalDate {
    return this.addWorkingDays(date, -1);
  }

  /** fromEpochDay, looked up for covered days. */
  localDateOf(epochDay: EpochDay): LocalDate {
    return epochDay >= this.firstDay && epochDay <= this.lastDay ? this.dates[epochDay - this.firstDay] : fromEpochDay(epochDay);
  }

  /** formatLongDate ("Mon 6 Jan 2025"), looked up for covered days. */
  longDateOf(epochDay: EpochDay): string {
    return epochDay >= this.firstDay && epochDay <= this.lastDay
      ? this.longDates[epochDay - this.firstDay]
      : formatLongDate(fromEpochDay(epochDay));
  }

  /**
   * Whole months from `today` to the end of coverage (0 once fewer than one month, or none, is left),
   * for health checks against COVERAGE_WARNING_MONTHS.
   */
  coverageMonthsAhead(today: LocalDate): number {
    if (toEpochDay(today) > this.lastDay) return 0;
    const monthNumber = (date: LocalDate) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7));
    const months = monthNumber(this.coverage.to) - monthNumber(today);
    return toEpochDay(addMonths(today, months)) <= this.lastDay ? months : months - 1;
  }
}

let defaultCalendarInstance: WorkingDayCalendar | undefined;

/**
 * The calendar built from `loadBankHolidays()` (BANK_HOLIDAYS_FILE or the bundled table), loaded on
 * first use and kept for the life of the process; restart to pick up a replaced file.
 */
export function defaultCalendar(): WorkingDayCalendar {
  defaultCalendarInstance ??= new WorkingDayCalendar(loadBankHolidays());
  return defaultCalendarInstance;
}

// Free-function forms of the calendar operations, on the default calendar unless one is passed.

export function isWorkingDay(date: LocalDate, calendar = defaultCalendar()): boolean {
  return calendar.isWorkingDay(date);
}

export function addWorkingDays(date: LocalDate, n: number, calendar = defaultCalendar()): LocalDate {
  return calendar.addWorkingDays(date, n);
}

export function countWorkingDays(from: LocalDate, to: LocalDate, calendar = defaultCalendar()): number {
  return calendar.countWorkingDays(from, to);
}

export function nextWorkingDay(date: LocalDate, calendar = defaultCalendar()): LocalDate {
  return calendar.nextWorkingDay(date);
}

export function previousWorkingDay(date: LocalDate, calendar = defaultCalendar()): LocalDate {
  return calendar.previousWorkingDay(date);
}

export function coverageMonthsAhead(today: LocalDate, calendar = defaultCalendar()): number {
  return calendar.coverageMonthsAhead(today);
}
