import { RulePack } from '@plo/timescales';
import { GovernedObligation } from './obligation-ledger';
import { planRuleChange } from './rule-change';

const visit = (id: string, dueDate: string, anchorDate: string | null): GovernedObligation => ({
  id,
  caseId: 'case',
  kind: 'visit',
  childId: 'child',
  ruleId: 'cp-visit',
  dueDate,
  explanation: 'as scheduled',
  anchorDate,
  references: {},
  responsible: { caseId: 'case', councilId: 'bury', teamId: 'north-1', workerId: 'sw.alex' },
});

describe('planning a rule change over open obligations', () => {
  const fourWeeks = RulePack.standard().forCouncil({ 'cp-visit': { offset: 4, unit: 'weeks' } });

  it('counts each again from the day it was counted from, and moves only those whose date changes', () => {
    const plan = planRuleChange(
      [
        visit('a', '2026-11-16', '2026-11-02'), // 10 WD → 4 weeks: Mon 30 Nov
        visit('b', '2026-11-30', '2026-11-02'), // already 4 weeks after its anchor
        visit('c', '2026-11-16', null), // scheduled before anchors were kept
      ],
      'cp-visit',
      fourWeeks,
    );
    expect(plan.moves.map(({ obligation, deadline }) => [obligation.id, deadline.dueDate, deadline.anchorDate])).toEqual([
      ['a', '2026-11-30', '2026-11-02'],
    ]);
    expect(plan.moves[0].deadline.explanation).toContain('4 weeks after the last visit on Mon 2 Nov 2026');
    expect(plan.unchanged.map((o) => o.id)).toEqual(['b']);
    expect(plan.withoutAnchor.map((o) => o.id)).toEqual(['c']);
  });
});
