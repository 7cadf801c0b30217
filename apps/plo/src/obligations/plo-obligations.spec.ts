import { Change } from '@plo/messaging';
import { authorityOf, ploObligations, reschedule } from './plo-obligations';

describe('rescheduling a PLO obligation', () => {
  const responsible = { caseId: 'c', councilId: 'k', teamId: 't', workerId: 'w' };
  const obligation = {
    id: 'o',
    kind: 'hearing-bundle',
    childId: null,
    ruleId: 'bundle',
    dueDate: '2025-01-17',
    explanation: 'before',
    anchorDate: null,
    references: {},
  };
  const change = {} as Change;

  afterEach(() => jest.restoreAllMocks());

  it('writes and announces nothing when the due date stays the same, even under another rule', async () => {
    const move = jest.spyOn(ploObligations, 'move').mockResolvedValue(true);
    await reschedule(change, responsible, obligation, { ruleId: 'other-rule', dueDate: '2025-01-17', explanation: 'after' });
    expect(move).not.toHaveBeenCalled();
  });

  it('moves it when the date changes', async () => {
    const move = jest.spyOn(ploObligations, 'move').mockResolvedValue(true);
    const due = { ruleId: 'bundle', dueDate: '2025-01-20', explanation: 'after' };
    await reschedule(change, responsible, obligation, due);
    expect(move).toHaveBeenCalledWith(change, responsible, obligation, due);
  });
});

describe('the authority PLO gives its obligations', () => {
  const due = (ruleId: string, kind?: string) => ({ ruleId, dueDate: '2025-01-17', explanation: 'x', ...(kind ? { kind } : {}) });

  it('guidance for the 16-week pre-proceedings period and the 5-day draft order, statute for the 26 weeks and the PD12A windows', () => {
    expect(authorityOf(due('pre-proceedings-limit', 'statutory'))).toBe('guidance');
    expect(authorityOf(due('draft-order-after-hearing', 'statutory'))).toBe('guidance');
    expect(authorityOf(due('proceedings-26-week-limit', 'statutory'))).toBe('statute');
    expect(authorityOf(due('pd12a-gatekeeping', 'statutory'))).toBe('statute');
  });

  it("the council's own rules are local, and an authority the rule declares wins", () => {
    expect(authorityOf(due('pre-proceedings-review', 'local'))).toBe('local');
    expect(authorityOf({ ...due('pre-proceedings-limit'), authority: 'local' })).toBe('local');
  });
});
