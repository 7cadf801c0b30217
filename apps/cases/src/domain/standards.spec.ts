import { parseLocalDate } from '@plo/timescales';
import { assessSmart, PlanActionFacts, unmetStandards } from './standards';

const action = (position: number, overrides: Partial<PlanActionFacts> = {}): PlanActionFacts => ({
  id: `a${position}`,
  position,
  description: `action ${position}`,
  ownerId: 'sw.alex',
  dueDate: '2026-12-18',
  measurableOutcome: 'attends 8 of 10 sessions',
  ...overrides,
});
const today = parseLocalDate('2026-11-26');

describe('SMART plans', () => {
  it('is SMART when every action has an owner, a due date and a measurable outcome', () => {
    expect(assessSmart([action(1), action(2)])).toEqual({ smart: true, actionsNotSmart: [] });
  });

  it('names each action that is not, with what it lacks (blank text counts as missing)', () => {
    const result = assessSmart([action(1), action(2, { ownerId: null, measurableOutcome: '  ' }), action(3, { dueDate: null })]);
    expect(result.smart).toBe(false);
    expect(result.actionsNotSmart).toEqual([
      { actionId: 'a2', position: 2, missing: ['ownerId', 'measurableOutcome'] },
      { actionId: 'a3', position: 3, missing: ['dueDate'] },
    ]);
  });

  it('a plan with no actions is not SMART', () => {
    expect(assessSmart([]).smart).toBe(false);
  });
});

describe('standards a sign-off vouches for', () => {
  it('are met by a SMART plan on a case with nothing overdue (due today is not overdue)', () => {
    const facts = {
      today,
      openObligations: [{ id: 'v1', kind: 'visit', dueDate: '2026-11-26' }],
      plan: { actions: [action(1)], reviewDate: '2027-02-01' },
    };
    expect(unmetStandards(facts)).toEqual([]);
  });

  it('lists an overdue visit, other overdue obligations and every gap in the plan', () => {
    const unmet = unmetStandards({
      today,
      openObligations: [
        { id: 'v1', kind: 'visit', dueDate: '2026-11-25' },
        { id: 'r1', kind: 'cp-review', dueDate: '2026-10-01' },
      ],
      plan: { actions: [action(1, { ownerId: null }), action(2, { dueDate: null, measurableOutcome: null })], reviewDate: '2027-02-01' },
    });
    expect(unmet.map((u) => u.code)).toEqual([
      'visit-overdue',
      'obligation-overdue',
      'action-without-owner',
      'action-without-due-date',
      'action-without-measurable-outcome',
    ]);
    expect(unmet[0].detail).toContain('2026-11-25');
    expect(unmet[2].detail).toContain('action 1');
  });

  it('a plan without actions cannot be signed off as meeting standards', () => {
    expect(unmetStandards({ today, openObligations: [], plan: { actions: [], reviewDate: '2027-01-01' } }).map((u) => u.code)).toEqual([
      'plan-without-actions',
    ]);
  });

  it('a review must have been held, and held by its due date', () => {
    const review = (status: 'scheduled' | 'held' | 'cancelled', heldOn: string | null) =>
      unmetStandards({ today, openObligations: [], review: { kind: 'icpc', status, dueDate: '2026-11-10', heldOn } });
    expect(review('scheduled', null).map((u) => u.code)).toEqual(['review-not-held']);
    expect(review('held', '2026-11-12').map((u) => u.code)).toEqual(['review-held-late']);
    expect(review('held', '2026-11-10')).toEqual([]);
    expect(review('cancelled', null).map((u) => u.code)).toEqual(['review-cancelled']);
  });
});
