// @plo/timescales: the single place where deadlines are computed. Everything else asks this library
// for a due date and for the instant it becomes overdue, and never does date arithmetic itself.

export {
  type LocalDate,
  type EpochDay,
  type IsoWeekday,
  InvalidDateError,
  parseLocalDate,
  isLocalDate,
  toEpochDay,
  fromEpochDay,
  dayOfWeek,
  addDays,
  addWeeks,
  addMonths,
  daysBetween,
  laterOf,
  formatLongDate,
} from './local-date';

export {
  type BankHoliday,
  type BankHolidayTable,
  type Coverage,
  BANK_HOLIDAYS_FILE_ENV,
  BankHolidayTableError,
  loadBankHolidays,
  parseBankHolidays,
} from './bank-holidays';

export {
  COVERAGE_WARNING_MONTHS,
  CalendarCoverageError,
  WorkingDayCalendar,
  defaultCalendar,
  isWorkingDay,
  addWorkingDays,
  countWorkingDays,
  nextWorkingDay,
  previousWorkingDay,
  coverageMonthsAhead,
} from './working-day-calendar';

export {
  type TimeUnit,
  type Direction,
  type Counting,
  type Period,
  TIME_UNITS,
  DIRECTIONS,
  COUNTINGS,
  FPR_SHORT_PERIOD_DAYS,
  applyPeriod,
} from './periods';

export { overdueAt, londonDateOf, londonInstant, londonIsoString, londonTimeOn } from './london-time';

export {
  type RuleKind,
  type RuleMarks,
  type RuleAuthority,
  type AnchorName,
  RULE_AUTHORITIES,
  type TimescaleRule,
  type LocalRuleOverride,
  type NationalRuleCorrection,
  ANCHOR_LABELS,
  RuleValidationError,
  UnknownRuleError,
  StatutoryRuleOverrideError,
  StatutoryLimitExceededError,
} from './rules';

export { DEFAULT_RULES, type StandardRuleId } from './default-rules';
export { RulePack } from './rule-pack';

export {
  type Deadline,
  type ExtensionRequest,
  type ExtensionCheck,
  type LookedAfterPlacement,
  computeDeadline,
  dueInstant,
  cmhWindow,
  checkExtension,
  nextLookedAfterVisit,
} from './deadlines';
