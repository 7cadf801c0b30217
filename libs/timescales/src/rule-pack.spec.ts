import { computeDeadline } from './deadlines';
import { DEFAULT_RULES } from './default-rules';
import { type LocalDate, parseLocalDate } from './local-date';
import { RulePack } from './rule-pack';
import {
  type LocalRuleOverride,
  RuleValidationError,
  StatutoryLimitExceededError,
  StatutoryRuleOverrideError,
  type TimescaleRule,
  UnknownRuleError,
} from './rules';

const d = (text: string): LocalDate => parseLocalDate(text);
const standard = RulePack.standard();

function validationProblems(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof RuleValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a RuleValidationError');
}

describe('the standard pack', () => {
  it('holds every default rule under a stable kebab-case id', () => {
    expect(standard.rules.map((rule) => rule.id)).toEqual(DEFAULT_RULES.map((rule) => rule.id));
    expect(new Set(standard.rules.map((rule) => rule.id)).size).toBe(DEFAULT_RULES.length);
  });

  it('flags the figures domain.md marks **verify**', () => {
    expect(standard.rules.filter((rule) => rule.verify).map((rule) => rule.id)).toEqual([
      'proceedings-extension-limit',
      'pd12a-cmh-earliest',
      'pd12a-cmh-latest',
      'pd12a-further-cmh-latest',
      'irh-advocates-meeting',
      'lac-visit-placement-start',
      'lac-visit-first-year',
      'lac-visit-long-term',
      'lac-visit-other',
    ]);
  });

  it('keeps council policy and alert lead times local, everything else national', () => {
    expect(standard.rules.filter((rule) => rule.kind === 'local').map((rule) => rule.id)).toEqual([
      'pre-proceedings-review',
      'referral-next-step',
      'assessment-local-target',
      'first-core-group',
      'core-group-interval',
      'cp-visit',
      'cin-visit',
      'supervision-cp',
      'supervision-cin',
      'cin-review',
      'proceedings-warning-week-20',
      'proceedings-warning-week-24',
      'visit-due-warning',
    ]);
  });

  it('throws UnknownRuleError for an id it does not hold', () => {
    expect(() => standard.rule('no-such-rule')).toThrow(UnknownRuleError);
    expect(() => computeDeadline('no-such-rule', d('2025-01-06'), standard)).toThrow("No timescale rule with id 'no-such-rule'");
  });
});

describe('council overrides', () => {
  it('change local rules, e.g. child protection visits every 4 weeks instead of 10 working days', () => {
    const council = standard.forCouncil({ 'cp-visit': { offset: 4, unit: 'weeks', source: 'Camden procedures' } });
    const deadline = computeDeadline('cp-visit', d('2025-01-06'), council);
    expect(deadline.dueDate).toBe('2025-02-03');
    expect(deadline.source).toBe('Camden procedures');
    expect(deadline.explanation).toBe('4 weeks after the last visit on Mon 6 Jan 2025 → last day Mon 3 Feb 2025 (Camden procedures)');
  });

  it('support the alternatives councils use: CIN visits every 20 working days, CP visits every 2 weeks', () => {
    const council = standard.forCouncil({
      'cin-visit': { offset: 20, unit: 'working-days' },
      'cp-visit': { offset: 2, unit: 'weeks' },
    });
    expect(computeDeadline('cin-visit', d('2025-12-08'), council).dueDate).toBe('2026-01-08');
    expect(computeDeadline('cp-visit', d('2025-12-08'), council).dueDate).toBe('2025-12-22');
  });

  it('leave the pack they came from, and other councils, untouched', () => {
    standard.forCouncil({ 'cp-visit': { offset: 4, unit: 'weeks' } });
    expect(computeDeadline('cp-visit', d('2025-01-06'), standard).dueDate).toBe('2025-01-20');
  });

  it('refuse to change a statutory rule, saying which rules can be changed', () => {
    const attempt = () => standard.forCouncil({ 'proceedings-26-week-limit': { offset: 30 }, 'cp-visit': { offset: 4 } });
    expect(attempt).toThrow(StatutoryRuleOverrideError);
    expect(attempt).toThrow(/cannot change national rules \(proceedings-26-week-limit\)/);
    expect(attempt).toThrow(/Only local rules can be overridden: pre-proceedings-review, .*cp-visit/);
  });

  it('refuse to change anything but offset, unit, counting, title and source', () => {
    const overrides = { 'cin-visit': { kind: 'statutory', anchor: 'issueDate' } } as unknown as Record<string, LocalRuleOverride>;
    expect(validationProblems(() => standard.forCouncil(overrides))).toEqual([
      "rule 'cin-visit': 'kind' cannot be changed (changeable: offset, unit, counting, title, source)",
      "rule 'cin-visit': 'anchor' cannot be changed (changeable: offset, unit, counting, title, source)",
    ]);
  });

  it('refuse unknown rules', () => {
    expect(validationProblems(() => standard.forCouncil({ 'cp-visits': { offset: 4 } }))).toEqual(["rule 'cp-visits' does not exist"]);
  });

  it.each<[LocalRuleOverride, RegExp]>([
    [{ offset: 0 }, /offset must be a positive whole number, got 0/],
    [{ offset: -6 }, /offset must be a positive whole number, got -6/],
    [{ offset: 1.5 }, /offset must be a positive whole number, got 1.5/],
    [{ unit: 'fortnights' as LocalRuleOverride['unit'] }, /unit must be one of calendar-days, weeks, months, working-days/],
    [{ counting: 'clear-days' }, /'clear-days' counting \(FPR r.2.9\) applies to periods expressed in days/],
    [{ title: ' ' }, /title must not be empty/],
  ])('validate the overridden rule: %o', (override, reason) => {
    expect(validationProblems(() => standard.forCouncil({ 'cin-visit': override })).join('\n')).toMatch(reason);
  });
});

describe('national corrections', () => {
  it('let the operator settle a **verify** figure', () => {
    const corrected = standard.withNationalCorrections({ 'irh-advocates-meeting': { offset: 5, verify: false } });
    const deadline = computeDeadline('irh-advocates-meeting', d('2025-01-10'), corrected);
    expect(deadline.dueDate).toBe('2025-01-03');
    expect(deadline.verify).toBe(false);
    expect(computeDeadline('irh-advocates-meeting', d('2025-01-10'), standard).verify).toBe(true);
  });

  it('let PD12A days be re-read as business days if the text says so', () => {
    const corrected = standard.withNationalCorrections({ 'pd12a-cmh-latest': { unit: 'working-days' } });
    // Issue Fri 3 Jan 2025 is working day 1; the 18th working day is Tue 28 Jan.
    expect(computeDeadline('pd12a-cmh-latest', d('2025-01-03'), corrected).dueDate).toBe('2025-01-28');
  });

  it('are validated like any rule', () => {
    expect(validationProblems(() => standard.withNationalCorrections({ 'proceedings-26-week-limit': { counting: 'clear-days' } }))).toEqual(
      [
        "rule 'proceedings-26-week-limit': 'clear-days' counting (FPR r.2.9) applies to periods expressed in days: use unit 'calendar-days'",
      ],
    );
  });
});

describe('building a pack from rules', () => {
  const rule: TimescaleRule = {
    id: 'court-directed-statement',
    title: 'Statement filed as directed',
    anchor: 'hearingDate',
    offset: 3,
    unit: 'calendar-days',
    direction: 'before',
    counting: 'clear-days',
    kind: 'statutory',
    source: 'Court order; FPR r.2.9',
    authority: 'statute',
  };

  it('accepts a valid custom rule', () => {
    const pack = RulePack.fromRules([rule]);
    expect(computeDeadline('court-directed-statement', d('2025-04-22'), pack).dueDate).toBe('2025-04-14');
  });

  it('reports every problem at once, including duplicate ids', () => {
    const broken = {
      ...rule,
      id: 'Court Statement',
      anchor: 'birthday',
      kind: 'national',
      source: '',
      marks: 'soon',
    } as unknown as TimescaleRule;
    expect(validationProblems(() => RulePack.fromRules([rule, rule, broken]))).toEqual([
      "rule 'Court Statement': id must be kebab-case",
      expect.stringMatching(/^rule 'Court Statement': anchor must be one of issueDate, /),
      "rule 'Court Statement': kind must be 'statutory' or 'local'",
      "rule 'Court Statement': source must cite where the rule comes from",
      "rule 'Court Statement': marks must be one of deadline, earliest, warning",
      "rule 'court-directed-statement' is defined more than once",
    ]);
  });
});

describe('local rules capped by a national limit on the same duty', () => {
  it('declares the caps as data: the proceedings warnings may not fire after the 26-week limit', () => {
    expect(standard.rules.filter((rule) => rule.cappedBy).map((rule) => [rule.id, rule.cappedBy])).toEqual([
      ['assessment-local-target', 'assessment-completion'],
      ['proceedings-warning-week-20', 'proceedings-26-week-limit'],
      ['proceedings-warning-week-24', 'proceedings-26-week-limit'],
    ]);
    for (const rule of standard.rules) standard.assertWithinLimit(rule.id);
  });

  it('allows an override up to the limit and refuses one past it, naming the limit and its source', () => {
    standard
      .forCouncil({ 'proceedings-warning-week-24': { offset: 181, unit: 'calendar-days' } })
      .assertWithinLimit('proceedings-warning-week-24');
    const tooLate = standard.forCouncil({ 'proceedings-warning-week-24': { offset: 27 } });
    expect(() => tooLate.assertWithinLimit('proceedings-warning-week-24')).toThrow(StatutoryLimitExceededError);
    expect(() => tooLate.assertWithinLimit('proceedings-warning-week-24')).toThrow(
      "rule 'proceedings-warning-week-24' cannot run past 'proceedings-26-week-limit' (Proceedings: 26-week statutory limit (last day), Children Act 1989 s.32(1)(a)(ii))",
    );
  });

  it("lets a council shorten its assessment target but never lengthen it past Working Together's 45 working days", () => {
    const shorter = standard.forCouncil({ 'assessment-local-target': { offset: 35 } });
    shorter.assertWithinLimit('assessment-local-target');
    expect(computeDeadline('assessment-local-target', d('2025-01-06'), shorter).dueDate).toBe('2025-02-24');
    const longer = standard.forCouncil({ 'assessment-local-target': { offset: 46 } });
    expect(() => longer.assertWithinLimit('assessment-local-target')).toThrow(
      "rule 'assessment-local-target' cannot run past 'assessment-completion'",
    );
  });

  it('compares on every anchor day, so working days that only overrun around bank holidays are caught', () => {
    // 126 working days usually end before issue + 181 days, but not over Christmas and Easter.
    const workingDays = standard.forCouncil({ 'proceedings-warning-week-24': { offset: 126, unit: 'working-days' } });
    expect(() => workingDays.assertWithinLimit('proceedings-warning-week-24')).toThrow(StatutoryLimitExceededError);
    standard
      .forCouncil({ 'proceedings-warning-week-24': { offset: 120, unit: 'working-days' } })
      .assertWithinLimit('proceedings-warning-week-24');
  });

  it('refuses a cap that is not a national rule counting forward from the same anchor', () => {
    const base = standard.rule('cin-visit');
    expect(
      validationProblems(() => RulePack.fromRules([...standard.rules.filter((r) => r.id !== 'cin-visit'), { ...base, cappedBy: 'icpc' }])),
    ).toEqual(["rule 'cin-visit': its cap 'icpc' must count forward from the same anchor (lastVisitDate)"]);
    expect(
      validationProblems(() =>
        RulePack.fromRules([...standard.rules.filter((r) => r.id !== 'cin-visit'), { ...base, cappedBy: 'nothing' }]),
      ),
    ).toEqual(["rule 'cin-visit': cappedBy names no rule ('nothing')"]);
  });
});

describe('authority and time of day are validated', () => {
  it('refuses a national rule with local authority, and a time that is not HH:MM', () => {
    const bundle = standard.rule('hearing-bundle');
    expect(validationProblems(() => RulePack.fromRules([{ ...bundle, authority: 'local', timeOfDay: '4pm' }]))).toEqual([
      "rule 'hearing-bundle': a local rule (and only a local rule) has authority 'local'",
      "rule 'hearing-bundle': timeOfDay must be a time written 'HH:MM' (00:00 to 23:59)",
    ]);
  });
});
