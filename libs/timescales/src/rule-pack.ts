import { DEFAULT_RULES } from './default-rules';
import {
  type LocalRuleOverride,
  LOCAL_OVERRIDE_FIELDS,
  NATIONAL_CORRECTION_FIELDS,
  type NationalRuleCorrection,
  RuleValidationError,
  StatutoryLimitExceededError,
  StatutoryRuleOverrideError,
  type TimescaleRule,
  UnknownRuleError,
  ruleProblems,
  unexpectedFieldProblems,
} from './rules';
import { toEpochDay } from './local-date';
import { periodEndEpochDay } from './periods';
import { CalendarCoverageError, type WorkingDayCalendar, defaultCalendar } from './working-day-calendar';

/**
 * A validated, immutable set of rules plus the working-day calendar they are computed with. Each
 * council gets its own pack (forCouncil) so that local policy never leaks between councils.
 */
export class RulePack {
  private constructor(
    private readonly rulesById: ReadonlyMap<string, TimescaleRule>,
    readonly calendar: WorkingDayCalendar,
  ) {}

  /** Validates every rule and rejects duplicate ids, reporting all problems at once. */
  static fromRules(rules: readonly TimescaleRule[], calendar: WorkingDayCalendar = defaultCalendar()): RulePack {
    const problems = rules.flatMap(ruleProblems);
    const rulesById = new Map<string, TimescaleRule>();
    for (const rule of rules) {
      if (rulesById.has(rule.id)) problems.push(`rule '${rule.id}' is defined more than once`);
      rulesById.set(rule.id, Object.freeze({ ...rule }));
    }
    problems.push(...rules.flatMap((rule) => capProblems(rule, rulesById)));
    if (problems.length > 0) throw new RuleValidationError(problems);
    return new RulePack(rulesById, calendar);
  }

  /** The national default rules (DEFAULT_RULES). */
  static standard(calendar: WorkingDayCalendar = defaultCalendar()): RulePack {
    return RulePack.fromRules(DEFAULT_RULES, calendar);
  }

  get rules(): readonly TimescaleRule[] {
    return [...this.rulesById.values()];
  }

  rule(ruleId: string): TimescaleRule {
    const rule = this.rulesById.get(ruleId);
    if (rule === undefined) throw new UnknownRuleError(ruleId);
    return rule;
  }

  /**
   * A copy with a council's policy applied. Only `kind: 'local'` rules may change, and only their
   * offset, unit, counting, title and source; anything else is refused with the reason, so a
   * misconfigured council fails at start-up rather than computing wrong deadlines.
   * e.g. forCouncil({ 'cp-visit': { offset: 4, unit: 'weeks' } }).
   */
  forCouncil(overrides: Readonly<Record<string, LocalRuleOverride>>): RulePack {
    const statutoryIds = Object.keys(overrides).filter((ruleId) => this.rulesById.get(ruleId)?.kind === 'statutory');
    if (statutoryIds.length > 0) {
      const localIds = this.rules.filter((rule) => rule.kind === 'local').map((rule) => rule.id);
      throw new StatutoryRuleOverrideError(statutoryIds, localIds);
    }
    return this.withChanges(overrides, LOCAL_OVERRIDE_FIELDS);
  }

  /**
   * Throws StatutoryLimitExceededError when the rule, as this pack has it, would fall due after the
   * national limit it is capped by, from any anchor day the bank-holiday table covers (working days
   * and weeks or months line up differently around each bank holiday, so every day is tried). A
   * period so long that it leaves the table's coverage where the limit does not is past it too.
   */
  assertWithinLimit(ruleId: string): void {
    const rule = this.rule(ruleId);
    if (rule.cappedBy === undefined) return;
    const limit = this.rule(rule.cappedBy);
    const first = toEpochDay(this.calendar.coverage.from);
    const last = toEpochDay(this.calendar.coverage.to);
    for (let anchorDay = first; anchorDay <= last; anchorDay++) {
      const limitDay = endOrUndefined(anchorDay, limit, this.calendar);
      if (limitDay === undefined) break;
      const dueDay = endOrUndefined(anchorDay, rule, this.calendar);
      if (dueDay !== undefined && dueDay <= limitDay) continue;
      const dueDate = dueDay === undefined ? `a day after ${this.calendar.coverage.to}` : this.calendar.localDateOf(dueDay);
      throw new StatutoryLimitExceededError(rule.id, limit, {
        anchorDate: this.calendar.localDateOf(anchorDay),
        dueDate,
        limitDate: this.calendar.localDateOf(limitDay),
      });
    }
  }

  /**
   * A copy with national rules corrected by the operator, e.g. after checking the primary text of a
   * **verify** figure: withNationalCorrections({ 'irh-advocates-meeting': { offset: 5, verify: false } }).
   * Not for council policy: use forCouncil, which protects statutory rules.
   */
  withNationalCorrections(corrections: Readonly<Record<string, NationalRuleCorrection>>): RulePack {
    return this.withChanges(corrections, NATIONAL_CORRECTION_FIELDS);
  }

  private withChanges(changes: Readonly<Record<string, object>>, allowedFields: readonly string[]): RulePack {
    const problems: string[] = [];
    const changed = new Map(this.rulesById);
    for (const [ruleId, change] of Object.entries(changes)) {
      const rule = this.rulesById.get(ruleId);
      if (rule === undefined) {
        problems.push(`rule '${ruleId}' does not exist`);
        continue;
      }
      if (typeof change !== 'object' || change === null) {
        problems.push(`rule '${ruleId}': the change must be an object of fields to replace`);
        continue;
      }
      problems.push(...unexpectedFieldProblems(ruleId, change, allowedFields));
      changed.set(ruleId, { ...rule, ...change });
    }
    if (problems.length > 0) throw new RuleValidationError(problems);
    return RulePack.fromRules([...changed.values()], this.calendar);
  }
}

/** A period's end, or undefined when it lies outside the bank-holiday table. */
function endOrUndefined(anchorDay: number, rule: TimescaleRule, calendar: WorkingDayCalendar): number | undefined {
  try {
    const end = periodEndEpochDay(anchorDay, rule, calendar);
    return end > toEpochDay(calendar.coverage.to) ? undefined : end;
  } catch (error) {
    if (error instanceof CalendarCoverageError) return undefined;
    throw error;
  }
}

/** A cap must be a national rule counting forward from the same anchor, capping a local rule. */
function capProblems(rule: TimescaleRule, rulesById: ReadonlyMap<string, TimescaleRule>): string[] {
  if (rule.cappedBy === undefined) return [];
  const name = `rule '${rule.id}'`;
  const limit = rulesById.get(rule.cappedBy);
  if (limit === undefined) return [`${name}: cappedBy names no rule ('${rule.cappedBy}')`];
  const problems: string[] = [];
  if (rule.kind !== 'local') problems.push(`${name}: only a local rule is capped (a national one is not overridden)`);
  if (limit.kind !== 'statutory') problems.push(`${name}: cappedBy must name a national rule, not '${limit.id}'`);
  if (limit.anchor !== rule.anchor || limit.direction !== 'after' || rule.direction !== 'after') {
    problems.push(`${name}: its cap '${limit.id}' must count forward from the same anchor (${rule.anchor})`);
  }
  return problems;
}
