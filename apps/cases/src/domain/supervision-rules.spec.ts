import { parseLocalDate, RulePack } from '@plo/timescales';
import { HeldStatus, nextSupervision, supervisionRuleOf } from './supervision-rules';

const rules = RulePack.standard();
const d = parseLocalDate;
const held = (status: HeldStatus['status'], startDate: string, basis: HeldStatus['basis'] = null): HeldStatus => ({
  status,
  basis,
  startDate: d(startDate),
});

describe('supervision cadence', () => {
  it('a protection plan or proceedings put the case under the closer cadence; a child in need or s.20 under the other', () => {
    expect(supervisionRuleOf({ status: 'child-protection-plan', basis: null })).toBe('supervision-cp');
    expect(supervisionRuleOf({ status: 'pre-proceedings', basis: null })).toBe('supervision-cp');
    expect(supervisionRuleOf({ status: 'care-proceedings', basis: null })).toBe('supervision-cp');
    expect(supervisionRuleOf({ status: 'looked-after', basis: 'interim-care-order' })).toBe('supervision-cp');
    expect(supervisionRuleOf({ status: 'looked-after', basis: 'section-20' })).toBe('supervision-cin');
    expect(supervisionRuleOf({ status: 'child-in-need', basis: null })).toBe('supervision-cin');
  });

  it('no child under a cadence status: nothing is owed', () => {
    expect(nextSupervision({ openedOn: d('2026-01-05'), statuses: [] }, rules)).toBeUndefined();
  });

  it('the first is due one cadence after the case opened; then one cadence after the last supervision', () => {
    const statuses = [held('child-in-need', '2026-01-05')];
    expect(nextSupervision({ openedOn: d('2026-01-05'), statuses }, rules)?.dueDate).toBe('2026-02-16');
    const next = nextSupervision({ openedOn: d('2026-01-05'), statuses, lastHeldOn: d('2026-02-10') }, rules);
    expect([next?.ruleId, next?.dueDate, next?.anchorDate]).toEqual(['supervision-cin', '2026-03-24', '2026-02-10']);
  });

  it('the shortest cadence of any child wins, counted from when the child went onto the plan', () => {
    const statuses = [held('child-in-need', '2026-01-05'), held('child-protection-plan', '2026-02-20')];
    const next = nextSupervision({ openedOn: d('2026-01-05'), statuses, lastHeldOn: d('2026-02-10') }, rules);
    expect([next?.ruleId, next?.dueDate]).toEqual(['supervision-cp', '2026-03-20']);
    const later = nextSupervision({ openedOn: d('2026-01-05'), statuses, lastHeldOn: d('2026-03-01') }, rules);
    expect([later?.ruleId, later?.dueDate]).toEqual(['supervision-cp', '2026-03-29']);
  });

  it("a council's own cadence is used", () => {
    const council = rules.forCouncil({ 'supervision-cp': { offset: 2 } });
    const next = nextSupervision({ openedOn: d('2026-01-05'), statuses: [held('care-proceedings', '2026-01-05')] }, council);
    expect([next?.ruleId, next?.dueDate]).toEqual(['supervision-cp', '2026-01-19']);
  });
});
