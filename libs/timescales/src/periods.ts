import { type EpochDay, type LocalDate, addMonthsToEpochDay, toEpochDay } from './local-date';
import type { WorkingDayCalendar } from './working-day-calendar';

export type TimeUnit = 'calendar-days' | 'weeks' | 'months' | 'working-days';
export type Direction = 'after' | 'before';

/**
 * How the anchor day takes part in the count:
 * - 'simple': plain arithmetic, anchor ± offset ("2 working days before the hearing",
 *   "within 3 months of the ICPC", HMCTS's "submitted + 26 weeks").
 * - 'inclusive': a period "beginning with" the anchor day, which is day 1, so the period's last day
 *   is one day earlier than simple counting: "26 weeks beginning with the day of issue" ends on
 *   issue + 181 days; PD12A "Day 12" with issue as Day 1 is issue + 11. Only 'after', and not for
 *   months, where the law on "beginning with" and month ends is not settled enough to encode.
 * - 'clear-days': FPR r.2.9 for periods expressed in days: the day the period begins and, when the
 *   end is an event, the day of that event are not counted; periods of 7 days or less do not count
 *   non-business days either (r.2.9(4)). r.2.9(5) (an act due at a closed court office may be done
 *   on its next open day) is not applied: office closures are not in the bank-holiday table.
 */
export type Counting = 'inclusive' | 'clear-days' | 'simple';

export interface Period {
  readonly offset: number;
  readonly unit: TimeUnit;
  readonly direction: Direction;
  readonly counting: Counting;
}

export const TIME_UNITS: readonly TimeUnit[] = ['calendar-days', 'weeks', 'months', 'working-days'];
export const DIRECTIONS: readonly Direction[] = ['after', 'before'];
export const COUNTINGS: readonly Counting[] = ['inclusive', 'clear-days', 'simple'];

/** FPR r.2.9(4): periods of this many days or fewer skip non-business days. */
export const FPR_SHORT_PERIOD_DAYS = 7;

/** Why a period cannot be computed, or undefined when it can. */
export function periodProblem(period: Period): string | undefined {
  const { offset, unit, direction, counting } = period;
  if (!Number.isSafeInteger(offset) || offset < 1) return `offset must be a positive whole number, got ${offset}`;
  if (!TIME_UNITS.includes(unit)) return `unit must be one of ${TIME_UNITS.join(', ')}, got ${String(unit)}`;
  if (!DIRECTIONS.includes(direction)) {
    return `direction must be one of ${DIRECTIONS.join(', ')}, got ${String(direction)}`;
  }
  if (!COUNTINGS.includes(counting)) return `counting must be one of ${COUNTINGS.join(', ')}, got ${String(counting)}`;
  if (counting === 'inclusive' && direction === 'before') {
    return "'inclusive' counting describes a period beginning with the anchor day, so its direction must be 'after'";
  }
  if (counting === 'inclusive' && unit === 'months') {
    return "'inclusive' counting is not defined for months; use 'simple' months or express the period in days or weeks";
  }
  if (counting === 'clear-days' && unit !== 'calendar-days') {
    return "'clear-days' counting (FPR r.2.9) applies to periods expressed in days: use unit 'calendar-days'";
  }
  return undefined;
}

function shiftEpochDay(anchorDay: EpochDay, amount: number, unit: TimeUnit, calendar: WorkingDayCalendar): EpochDay {
  switch (unit) {
    case 'calendar-days':
      return anchorDay + amount;
    case 'weeks':
      return anchorDay + 7 * amount;
    case 'months':
      return addMonthsToEpochDay(anchorDay, amount);
    case 'working-days':
      return calendar.addWorkingDaysToEpochDay(anchorDay, amount);
  }
}

/**
 * The date a period yields from its anchor: for 'after' the last day on which the obligation is met
 * in time; for 'before' the last day on which the act may be done ahead of the anchor event.
 *
 * Clear days 'before' the event can end on a non-business day (hearing Wed, 2 clear days: Mon and
 * Tue must be clear, so the act is in time up to and including Sun) because r.2.9 excludes days from
 * the count only; callers wanting an office-hours date take previousWorkingDay(result + 1 day).
 */
export function applyPeriod(anchor: LocalDate, period: Period, calendar: WorkingDayCalendar): LocalDate {
  const problem = periodProblem(period);
  if (problem !== undefined) throw new RangeError(`Cannot apply period: ${problem}`);
  return calendar.localDateOf(periodEndEpochDay(toEpochDay(anchor), period, calendar));
}

/** applyPeriod on epoch days, without re-validation, for rules a RulePack has already validated. */
export function periodEndEpochDay(anchorDay: EpochDay, period: Period, calendar: WorkingDayCalendar): EpochDay {
  const { offset, unit, direction, counting } = period;
  const sign = direction === 'after' ? 1 : -1;
  switch (counting) {
    case 'simple':
      return shiftEpochDay(anchorDay, sign * offset, unit, calendar);
    case 'inclusive':
      if (unit === 'working-days') {
        // The anchor is working day 1 if it is a working day; otherwise the next working day is.
        const anchorIsDayOne = calendar.isWorkingEpochDay(anchorDay);
        return calendar.addWorkingDaysToEpochDay(anchorDay, anchorIsDayOne ? offset - 1 : offset);
      }
      return shiftEpochDay(anchorDay, offset, unit, calendar) - 1;
    case 'clear-days': {
      const skipsNonBusinessDays = offset <= FPR_SHORT_PERIOD_DAYS;
      const countedEnd = skipsNonBusinessDays ? calendar.addWorkingDaysToEpochDay(anchorDay, sign * offset) : anchorDay + sign * offset;
      // Before an event the counted days must all lie strictly between the act and the event, so the
      // act is due the day before the earliest counted day.
      return direction === 'after' ? countedEnd : countedEnd - 1;
    }
  }
}
