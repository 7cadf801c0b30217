import { RuleChangePlan } from '@plo/obligations';
import { Counting, RulePack, TimescaleRule, TimeUnit } from '@plo/timescales';
import { FieldProblem } from '@plo/platform';

/** The part of a local rule a council may set. Title and source stay national, so the citation is never lost. */
export interface RulePeriodSetting {
  offset: number;
  unit: TimeUnit;
  counting: Counting;
}

export const PERIOD_FIELDS = ['offset', 'unit', 'counting'] as const;

export interface StoredOverride extends RulePeriodSetting {
  ruleId: string;
  changedBy: string;
  changedAt: string;
}

export function periodOf(rule: RulePeriodSetting): RulePeriodSetting {
  return { offset: rule.offset, unit: rule.unit, counting: rule.counting };
}

/** A council's pack: the national rules with its overrides applied (RulePack refuses statutory ones). */
export function councilPack(national: RulePack, overrides: readonly (RulePeriodSetting & { ruleId: string })[]): RulePack {
  if (overrides.length === 0) return national;
  return national.forCouncil(
    Object.fromEntries(overrides.map(({ ruleId, offset, unit, counting }) => [ruleId, { offset, unit, counting }])),
  );
}

/**
 * The council's pack as it would be with one rule set to `period`, or back at the national default
 * when `period` is undefined: what a preview computes with, and what the change then stores.
 */
export function packWithChange(
  national: RulePack,
  overrides: readonly (RulePeriodSetting & { ruleId: string })[],
  ruleId: string,
  period: RulePeriodSetting | undefined,
): RulePack {
  const others = overrides.filter((override) => override.ruleId !== ruleId);
  return councilPack(national, period === undefined ? others : [...others, { ruleId, ...period }]);
}

/** The obligations a rule change moves, as the preview lists them: whose, what, and from which date to which. */
export function movesView(plan: RuleChangePlan) {
  return plan.moves.map(({ obligation, deadline }) => ({
    obligationId: obligation.id,
    caseId: obligation.caseId,
    childId: obligation.childId,
    kind: obligation.kind,
    dueDate: obligation.dueDate,
    newDueDate: deadline.dueDate,
    newExplanation: deadline.explanation,
  }));
}

/** A requested override completed from the national rule: fields the council leaves out keep their national value. */
export function requestedPeriod(national: TimescaleRule, requested: Partial<RulePeriodSetting>): RulePeriodSetting {
  return { ...periodOf(national), ...Object.fromEntries(Object.entries(requested).filter(([, value]) => value !== undefined)) };
}

/**
 * The timescales library explains why a period cannot be computed in sentences about the rule
 * ("'clear-days' counting (FPR r.2.9) applies to periods expressed in days: use unit 'calendar-days'").
 * The API names fields, so each sentence is attributed to every period field it mentions.
 */
export function fieldProblemsOf(problems: readonly string[]): FieldProblem[] {
  return problems.flatMap((message) => {
    const text = message.replace(/^rule '[^']*': /, '');
    const fields = PERIOD_FIELDS.filter(
      (field) => new RegExp(`\\b${field}\\b`).test(text) || (field === 'unit' && /\bmonths\b|\bdays\b/.test(text)),
    );
    return (fields.length ? fields : PERIOD_FIELDS).map((field) => ({ field, message: text }));
  });
}

/** One rule as a council sees it: its current period, where it comes from and whether the council changed it. */
export function ruleView(rule: TimescaleRule, national: TimescaleRule, override: StoredOverride | undefined, limit?: TimescaleRule) {
  return {
    id: rule.id,
    title: rule.title,
    kind: rule.kind,
    anchor: rule.anchor,
    direction: rule.direction,
    offset: rule.offset,
    unit: rule.unit,
    counting: rule.counting,
    marks: rule.marks ?? 'deadline',
    source: rule.source,
    authority: rule.authority,
    timeOfDay: rule.timeOfDay ?? null,
    verify: rule.verify ?? false,
    changeable: rule.kind === 'local',
    cappedBy: limit ? { ruleId: limit.id, title: limit.title, source: limit.source, authority: limit.authority } : null,
    overridden: override !== undefined,
    nationalDefault: periodOf(national),
    changedBy: override?.changedBy ?? null,
    changedAt: override?.changedAt ?? null,
  };
}
