import { type Period, periodProblem } from './periods';

/**
 * 'statutory': set nationally — by statute, regulations, rules of court and their practice
 * directions, statutory guidance (Working Together) or HMCTS's own service — so no council may
 * change it. 'local': council policy or a local alerting choice, which each council may override.
 */
export type RuleKind = 'statutory' | 'local';

/**
 * Where a due date's force comes from, which is not the same as who may change it: Working
 * Together, PD12A and HMCTS's standard directions are national (kind 'statutory') yet guidance, not
 * statute. 'statute': an Act or regulations; 'guidance': statutory guidance, a practice direction or
 * HMCTS's service practice; 'local': the council's own rule.
 */
export type RuleAuthority = 'statute' | 'guidance' | 'local';
export const RULE_AUTHORITIES: readonly RuleAuthority[] = ['statute', 'guidance', 'local'];

/**
 * What the computed date means: 'deadline' (the default) is the last day to act in time; 'earliest'
 * is the first permitted day (the CMH window opens on Day 12); 'warning' is the day an alert fires.
 */
export type RuleMarks = 'deadline' | 'earliest' | 'warning';
export const RULE_MARKS: readonly RuleMarks[] = ['deadline', 'earliest', 'warning'];

/**
 * The dates rules count from. The label completes phrases such as "26 weeks beginning with issue on
 * Mon 6 Jan 2025" in explanations.
 */
export const ANCHOR_LABELS = {
  issueDate: 'issue',
  extensionBase: 'the later of the current end date and the grant date',
  hearingDate: 'the hearing',
  cmhDate: 'the CMH',
  irhDate: 'the IRH',
  preProceedingsStartDate: 'the start of pre-proceedings',
  lastPreProceedingsMeetingDate: 'the last pre-proceedings meeting',
  referralReceivedDate: 'receipt of the referral',
  strategyDiscussionDate: 'the strategy discussion',
  icpcDate: 'the ICPC',
  lastCoreGroupDate: 'the last core group meeting',
  lastReviewConferenceDate: 'the last review conference',
  lookedAfterDate: 'becoming looked after',
  firstLacReviewDate: 'the first looked-after review',
  lastLacReviewDate: 'the last looked-after review',
  placementStart: 'the start of the placement',
  lastVisitDate: 'the last visit',
  lastCinReviewDate: 'the last CIN review',
  visitDueDate: 'the visit due date',
  lastSupervisionDate: 'the last supervision (before any, the case or its status starting)',
} as const satisfies Record<string, string>;

export type AnchorName = keyof typeof ANCHOR_LABELS;

export interface TimescaleRule extends Period {
  /** Stable kebab-case id; stored with deadlines, so never renamed. */
  readonly id: string;
  readonly title: string;
  readonly anchor: AnchorName;
  readonly kind: RuleKind;
  /** Citation shown with every deadline computed from the rule. */
  readonly source: string;
  /** The figure is widely used but its primary text was not seen: confirm it before relying on it. */
  readonly verify?: boolean;
  /** Defaults to 'deadline'. */
  readonly marks?: RuleMarks;
  readonly authority: RuleAuthority;
  /**
   * The Europe/London time of day the act is due by on the due date ('HH:MM', e.g. the bundle by
   * 16:00): overdue from that instant rather than from the end of the day.
   */
  readonly timeOfDay?: string;
  /**
   * A national rule covering the same duty from the same anchor that this local rule may never run
   * past: a council's override that would end later than it is refused.
   */
  readonly cappedBy?: string;
}

/** What a council may change in one of its local rules. */
export interface LocalRuleOverride {
  readonly offset?: number;
  readonly unit?: TimescaleRule['unit'];
  readonly counting?: TimescaleRule['counting'];
  readonly title?: string;
  readonly source?: string;
}

/**
 * What the national operator may change in any rule, e.g. once the primary text of a **verify**
 * figure has been checked (then set `verify: false`), or when legislation changes.
 */
export interface NationalRuleCorrection extends LocalRuleOverride {
  readonly verify?: boolean;
}

export const LOCAL_OVERRIDE_FIELDS: readonly (keyof LocalRuleOverride)[] = ['offset', 'unit', 'counting', 'title', 'source'];
export const NATIONAL_CORRECTION_FIELDS: readonly (keyof NationalRuleCorrection)[] = [...LOCAL_OVERRIDE_FIELDS, 'verify'];

export class RuleValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid timescale rules:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RuleValidationError';
  }
}

export class UnknownRuleError extends Error {
  constructor(readonly ruleId: string) {
    super(`No timescale rule with id '${ruleId}'`);
    this.name = 'UnknownRuleError';
  }
}

export class StatutoryRuleOverrideError extends Error {
  constructor(
    readonly ruleIds: readonly string[],
    localRuleIds: readonly string[],
  ) {
    super(
      `A council cannot change national rules (${ruleIds.join(', ')}): they are set by law, rules of court, ` +
        `statutory guidance or HMCTS. Only local rules can be overridden: ${localRuleIds.join(', ')}.`,
    );
    this.name = 'StatutoryRuleOverrideError';
  }
}

/** A council's override that would run past the national limit on the same duty. */
export class StatutoryLimitExceededError extends Error {
  constructor(
    readonly ruleId: string,
    readonly limit: TimescaleRule,
    readonly example: { anchorDate: string; dueDate: string; limitDate: string },
  ) {
    super(
      `rule '${ruleId}' cannot run past '${limit.id}' (${limit.title}, ${limit.source}): from ${example.anchorDate} it would fall on ` +
        `${example.dueDate}, after the limit's ${example.limitDate}`,
    );
    this.name = 'StatutoryLimitExceededError';
  }
}

const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Everything wrong with one rule, each message naming the rule. */
export function ruleProblems(rule: TimescaleRule): string[] {
  const name = `rule '${String(rule.id)}'`;
  const problems: string[] = [];
  if (typeof rule.id !== 'string' || !KEBAB_CASE.test(rule.id)) problems.push(`${name}: id must be kebab-case`);
  if (typeof rule.title !== 'string' || rule.title.trim() === '') problems.push(`${name}: title must not be empty`);
  if (!Object.hasOwn(ANCHOR_LABELS, rule.anchor)) {
    problems.push(`${name}: anchor must be one of ${Object.keys(ANCHOR_LABELS).join(', ')}`);
  }
  if (rule.kind !== 'statutory' && rule.kind !== 'local') problems.push(`${name}: kind must be 'statutory' or 'local'`);
  if (typeof rule.source !== 'string' || rule.source.trim() === '') {
    problems.push(`${name}: source must cite where the rule comes from`);
  }
  if (rule.verify !== undefined && typeof rule.verify !== 'boolean') {
    problems.push(`${name}: verify must be true or false`);
  }
  if (rule.marks !== undefined && !RULE_MARKS.includes(rule.marks)) {
    problems.push(`${name}: marks must be one of ${RULE_MARKS.join(', ')}`);
  }
  if (!RULE_AUTHORITIES.includes(rule.authority)) problems.push(`${name}: authority must be one of ${RULE_AUTHORITIES.join(', ')}`);
  if ((rule.kind === 'local') !== (rule.authority === 'local')) {
    problems.push(`${name}: a local rule (and only a local rule) has authority 'local'`);
  }
  if (rule.timeOfDay !== undefined && (typeof rule.timeOfDay !== 'string' || !TIME_OF_DAY.test(rule.timeOfDay))) {
    problems.push(`${name}: timeOfDay must be a time written 'HH:MM' (00:00 to 23:59)`);
  }
  const periodIssue = periodProblem(rule);
  if (periodIssue !== undefined) problems.push(`${name}: ${periodIssue}`);
  return problems;
}

/** Problems with the keys of an override or correction (config files can contain anything). */
export function unexpectedFieldProblems(ruleId: string, change: object, allowed: readonly string[]): string[] {
  return Object.keys(change)
    .filter((field) => !allowed.includes(field))
    .map((field) => `rule '${ruleId}': '${field}' cannot be changed (changeable: ${allowed.join(', ')})`);
}
