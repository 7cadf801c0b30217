import { DEFAULT_RULES } from './default-rules';
import {
  type LocalRuleOverride,
  LOCAL_OVERRIDE_FIELDS,
  NATIONAL_CORRECTION_FIELDS,
  type NationalRuleCorrection,
  RuleValidationError,
  StatutoryRuleOverrideError,
  type TimescaleRule,
  UnknownRuleError,
  ruleProblems,
  unexpectedFieldProblems,
} from './rules';
import { type WorkingDayCalendar, defaultCalendar } from './working-day-calendar';

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
