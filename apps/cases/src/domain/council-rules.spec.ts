import { parseLocalDate, computeDeadline, RulePack, RuleValidationError } from '@plo/timescales';
import { councilPack, fieldProblemsOf, packWithChange, requestedPeriod, ruleView } from './council-rules';

const national = RulePack.standard();

describe('council rules', () => {
  it("a council's override changes its pack only: the national pack and other councils keep the default", () => {
    const bury = councilPack(national, [{ ruleId: 'cp-visit', offset: 20, unit: 'working-days', counting: 'simple' }]);
    const from = parseLocalDate('2026-11-02');
    expect(computeDeadline('cp-visit', from, bury)).toMatchObject({
      dueDate: '2026-11-30',
      explanation: expect.stringContaining('20 working days after the last visit'),
    });
    expect(computeDeadline('cp-visit', from, national).dueDate).toBe('2026-11-16');
    expect(councilPack(national, [])).toBe(national);
  });

  it('fields a council leaves out keep their national value', () => {
    expect(requestedPeriod(national.rule('cp-visit'), { offset: 4, unit: 'weeks' })).toEqual({
      offset: 4,
      unit: 'weeks',
      counting: 'simple',
    });
    expect(requestedPeriod(national.rule('cp-visit'), { offset: 15, unit: undefined })).toEqual({
      offset: 15,
      unit: 'working-days',
      counting: 'simple',
    });
  });

  it('names the fields of a period the timescales library cannot compute', () => {
    let problems: readonly string[] = [];
    try {
      national.forCouncil({ 'cp-visit': { offset: 2, unit: 'months', counting: 'inclusive' } });
    } catch (error) {
      problems = (error as RuleValidationError).problems;
    }
    expect(problems).toHaveLength(1);
    expect(
      fieldProblemsOf(problems)
        .map((p) => p.field)
        .sort(),
    ).toEqual(['counting', 'unit']);
    expect(
      fieldProblemsOf([
        "rule 'cin-visit': 'clear-days' counting (FPR r.2.9) applies to periods expressed in days: use unit 'calendar-days'",
      ])
        .map((p) => p.field)
        .sort(),
    ).toEqual(['counting', 'unit']);
    expect(fieldProblemsOf(["rule 'x': offset must be a positive whole number, got 0"])).toEqual([
      { field: 'offset', message: 'offset must be a positive whole number, got 0' },
    ]);
  });

  it('a rule view says what the council changed and what the national default is', () => {
    const bury = councilPack(national, [{ ruleId: 'cp-visit', offset: 20, unit: 'working-days', counting: 'simple' }]);
    const view = ruleView(bury.rule('cp-visit'), national.rule('cp-visit'), {
      ruleId: 'cp-visit',
      offset: 20,
      unit: 'working-days',
      counting: 'simple',
      changedBy: 'tm.sam',
      changedAt: '2026-11-26T12:00:00.000Z',
    });
    expect(view).toMatchObject({
      offset: 20,
      kind: 'local',
      changeable: true,
      overridden: true,
      nationalDefault: { offset: 10 },
      changedBy: 'tm.sam',
    });
    expect(ruleView(national.rule('icpc'), national.rule('icpc'), undefined)).toMatchObject({
      kind: 'statutory',
      authority: 'guidance',
      changeable: false,
      overridden: false,
      changedBy: null,
      cappedBy: null,
    });
    const warning = national.rule('proceedings-warning-week-24');
    expect(ruleView(warning, warning, undefined, national.rule('proceedings-26-week-limit'))).toMatchObject({
      authority: 'local',
      timeOfDay: null,
      cappedBy: { ruleId: 'proceedings-26-week-limit', authority: 'statute', source: 'Children Act 1989 s.32(1)(a)(ii)' },
    });
    expect(ruleView(national.rule('hearing-bundle'), national.rule('hearing-bundle'), undefined)).toMatchObject({ timeOfDay: '16:00' });
  });

  it('a previewed change is computed with the council’s other overrides kept, and a reset with the national rule', () => {
    const overrides = [
      { ruleId: 'cin-visit', offset: 20, unit: 'working-days' as const, counting: 'simple' as const },
      { ruleId: 'cp-visit', offset: 20, unit: 'working-days' as const, counting: 'simple' as const },
    ];
    const changed = packWithChange(national, overrides, 'cp-visit', { offset: 4, unit: 'weeks', counting: 'simple' });
    expect(changed.rule('cp-visit')).toMatchObject({ offset: 4, unit: 'weeks' });
    expect(changed.rule('cin-visit')).toMatchObject({ offset: 20, unit: 'working-days' });
    expect(packWithChange(national, overrides, 'cp-visit', undefined).rule('cp-visit')).toMatchObject({ offset: 10, unit: 'working-days' });
  });
});
