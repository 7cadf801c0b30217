import type { StandardRuleId } from './default-rules';
import { type LocalDate, addMonths, formatLongDate, laterOf, toEpochDay } from './local-date';
import { FPR_SHORT_PERIOD_DAYS, type TimeUnit, periodEndEpochDay } from './periods';
import type { RulePack } from './rule-pack';
import { londonIsoString, londonTimeOn } from './london-time';
import { ANCHOR_LABELS, type RuleAuthority, type RuleKind, type RuleMarks, type TimescaleRule } from './rules';

export interface Deadline {
  readonly ruleId: string;
  readonly title: string;
  readonly anchorDate: LocalDate;
  /**
   * The last day on which the obligation is met in time (overdue from overdueAt(dueDate)); for a rule
   * that marks 'earliest' (CMH window) the first permitted day, for 'warning' the day the alert fires.
   */
  readonly dueDate: LocalDate;
  /**
   * e.g. "26 weeks beginning with issue on Mon 6 Jan 2025 → last day Sun 6 Jul 2025
   * (Children Act 1989 s.32(1)(a)(ii))"
   */
  readonly explanation: string;
  readonly source: string;
  readonly kind: RuleKind;
  readonly marks: RuleMarks;
  /** The rule's figure awaits confirmation against its primary text; show it as such. */
  readonly verify: boolean;
  /** Statute, guidance or local policy: what a missed date breaks. */
  readonly authority: RuleAuthority;
  /**
   * For a rule with a time of day: the instant it falls due, Europe/London wall-clock time with its
   * offset (e.g. "2026-03-27T16:00:00+00:00"), overdue from then. Absent: overdue from the end of
   * dueDate in London (overdueAt).
   */
  readonly dueAt?: string;
}

const OUTCOME_PHRASES: Readonly<Record<RuleMarks, string>> = {
  deadline: 'last day',
  earliest: 'not before',
  warning: 'warn on',
};

const UNIT_NAMES: Readonly<Record<TimeUnit, readonly [singular: string, plural: string]>> = {
  'calendar-days': ['day', 'days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
  'working-days': ['working day', 'working days'],
};

function quantity(offset: number, unit: TimeUnit): string {
  return `${offset} ${UNIT_NAMES[unit][offset === 1 ? 0 : 1]}`;
}

function describePeriod(rule: TimescaleRule, anchorLongDate: string): string {
  const anchor = `${ANCHOR_LABELS[rule.anchor]} on ${anchorLongDate}`;
  switch (rule.counting) {
    case 'simple':
      return `${quantity(rule.offset, rule.unit)} ${rule.direction} ${anchor}`;
    case 'inclusive':
      return rule.unit === 'calendar-days'
        ? `day ${rule.offset} counting ${anchor} as day 1`
        : `${quantity(rule.offset, rule.unit)} beginning with ${anchor}`;
    case 'clear-days': {
      const excluded =
        rule.direction === 'after'
          ? `the day of ${ANCHOR_LABELS[rule.anchor]} not counted`
          : `neither the day of ${ANCHOR_LABELS[rule.anchor]} nor the day of the act counted`;
      const shortPeriod = rule.offset <= FPR_SHORT_PERIOD_DAYS ? ', nor non-business days' : '';
      const days = rule.offset === 1 ? 'clear day' : 'clear days';
      return `${rule.offset} ${days} ${rule.direction} ${anchor} (${excluded}${shortPeriod}; FPR r.2.9)`;
    }
  }
}

/**
 * The instant a date `rule` computed falls due, when the rule sets a time of day (the bundle by 16:00):
 * London wall-clock time with its offset. Undefined when it is due by the end of the day.
 */
export function dueInstant(rule: Pick<TimescaleRule, 'timeOfDay'>, dueDate: LocalDate): string | undefined {
  return rule.timeOfDay === undefined ? undefined : londonIsoString(londonTimeOn(dueDate, rule.timeOfDay));
}

/**
 * Applies one rule of the pack to its anchor date. Throws UnknownRuleError for an id not in the pack
 * and CalendarCoverageError when working days outside the bank-holiday table are needed.
 */
export function computeDeadline(ruleId: StandardRuleId | (string & {}), anchorDate: LocalDate, pack: RulePack): Deadline {
  const rule = pack.rule(ruleId);
  const { calendar } = pack;
  const anchorDay = toEpochDay(anchorDate);
  const dueDay = periodEndEpochDay(anchorDay, rule, calendar);
  const marks = rule.marks ?? 'deadline';
  const dueDate = calendar.localDateOf(dueDay);
  const byTime = rule.timeOfDay === undefined ? '' : ` by ${rule.timeOfDay}`;
  const dueAt = dueInstant(rule, dueDate);
  return {
    ruleId: rule.id,
    title: rule.title,
    anchorDate,
    dueDate,
    explanation:
      `${describePeriod(rule, calendar.longDateOf(anchorDay))} → ` +
      `${OUTCOME_PHRASES[marks]} ${calendar.longDateOf(dueDay)}${byTime} (${rule.source})`,
    source: rule.source,
    kind: rule.kind,
    marks,
    verify: rule.verify === true,
    authority: rule.authority,
    ...(dueAt === undefined ? {} : { dueAt }),
  };
}

/** PD12A: the CMH is listed not before Day 12 and not later than Day 18 (issue = Day 1). */
export function cmhWindow(issueDate: LocalDate, pack: RulePack): { earliest: Deadline; latest: Deadline } {
  return {
    earliest: computeDeadline('pd12a-cmh-earliest', issueDate, pack),
    latest: computeDeadline('pd12a-cmh-latest', issueDate, pack),
  };
}

export interface ExtensionRequest {
  /** Last day of the period being extended (the 26-week last day, or the end of the last extension). */
  readonly currentEndDate: LocalDate;
  /** The day the court grants the extension. */
  readonly grantDate: LocalDate;
  /** The end date the court is asked to set; omit to ask only for the latest allowed. */
  readonly requestedEndDate?: LocalDate;
}

export interface ExtensionCheck {
  readonly latestAllowedEndDate: LocalDate;
  /** True when no end date was requested, or the requested one is permitted. */
  readonly allowed: boolean;
  readonly message: string;
  readonly limit: Deadline;
}

/**
 * s.32(8): each extension ends no more than 8 weeks (configurable, **verify**) after the later of the
 * end of the period being extended and the day it is granted; the court may set any earlier end.
 * A requested end that does not go beyond the current end, or ends before the grant, extends
 * nothing and is refused too.
 */
export function checkExtension(request: ExtensionRequest, pack: RulePack): ExtensionCheck {
  const { currentEndDate, grantDate, requestedEndDate } = request;
  const limit = computeDeadline('proceedings-extension-limit', laterOf(currentEndDate, grantDate), pack);
  const latest = limit.dueDate;
  const result = (allowed: boolean, message: string): ExtensionCheck => ({
    latestAllowedEndDate: latest,
    allowed,
    message,
    limit,
  });
  const latestText = `the latest allowed end date is ${formatLongDate(latest)}. Limit: ${limit.explanation}`;
  if (requestedEndDate === undefined) return result(true, `No end date requested; ${latestText}`);

  const requested = toEpochDay(requestedEndDate);
  const requestedText = `Requested end date ${formatLongDate(requestedEndDate)}`;
  if (requested > toEpochDay(latest)) return result(false, `${requestedText} is too late: ${latestText}`);
  if (requested <= toEpochDay(currentEndDate)) {
    const currentEnd = formatLongDate(currentEndDate);
    return result(false, `${requestedText} is not after the current end date ${currentEnd}, so it extends nothing; ${latestText}`);
  }
  if (requested < toEpochDay(grantDate)) {
    const granted = formatLongDate(grantDate);
    return result(false, `${requestedText} is before the extension is granted on ${granted}; ${latestText}`);
  }
  return result(true, `${requestedText} is allowed; ${latestText}`);
}

export interface LookedAfterPlacement {
  readonly placementStart: LocalDate;
  /** The last statutory visit in this placement, if any yet. */
  readonly lastVisitDate?: LocalDate;
  /** Whether the placement is intended to last until the child is 18 (reg 28(2)(c)(i)). */
  readonly intendedToLastUntil18: boolean;
}

/**
 * The next statutory visit due for a looked-after child under reg 28(2): within 1 week of the
 * placement starting; then at most 6-weekly during the placement's first year; thereafter at most
 * 3-monthly if the placement is intended to last until 18, else 6-weekly. The interval is chosen by
 * the date of the last visit: one made before the placement's first anniversary sets a 6-week
 * interval, even if the next visit falls due after the anniversary.
 */
export function nextLookedAfterVisit(placement: LookedAfterPlacement, pack: RulePack): Deadline {
  const { placementStart, lastVisitDate, intendedToLastUntil18 } = placement;
  if (lastVisitDate === undefined || toEpochDay(lastVisitDate) < toEpochDay(placementStart)) {
    return computeDeadline('lac-visit-placement-start', placementStart, pack);
  }
  const firstAnniversary = toEpochDay(addMonths(placementStart, 12));
  if (toEpochDay(lastVisitDate) < firstAnniversary) return computeDeadline('lac-visit-first-year', lastVisitDate, pack);
  return computeDeadline(intendedToLastUntil18 ? 'lac-visit-long-term' : 'lac-visit-other', lastVisitDate, pack);
}
