import { Change } from '@plo/messaging';
import { ploObligations, reschedule } from './plo-obligations';

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
