import { createEnvelope, EventEnvelope, EventTypes } from '@plo/contracts';
import { obligationOutcomesOnly } from './obligation-history';

const caseId = '6f1f7c0e-3a43-4a8e-9d7e-1f2a3b4c5d6e';
const actor = { kind: 'user' as const, id: 'sw.alex' };
let clock = 0;

function event(type: string, data: object): EventEnvelope {
  clock += 1;
  return createEnvelope('urn:plo:cases', type, caseId, data, { correlationId: 'c', actor }, new Date(Date.UTC(2026, 0, 1, 0, 0, clock)));
}

const scheduled = (obligationId: string, dueDate: string) =>
  event(EventTypes.obligationScheduled, {
    obligationId,
    caseId,
    councilId: 'bury',
    kind: 'visit',
    ruleId: 'cin-visit',
    dueDate,
    explanation: 'x',
    responsible: { teamId: 'north-1', workerId: 'sw.alex' },
  });
const satisfied = (obligationId: string, satisfiedOn: string) =>
  event(EventTypes.obligationSatisfied, { obligationId, caseId, satisfiedOn });
const cancelled = (obligationId: string) => event(EventTypes.obligationCancelled, { obligationId, caseId, reason: 'status ended' });
const visit = () => event(EventTypes.visitRecorded, { caseId, visitId: 'v' });

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

describe('obligationOutcomesOnly: a replayed history tells consumers its outcome, not its steps', () => {
  it('keeps an obligation still open at the end as one live obligation-scheduled, with its last due date', () => {
    const first = scheduled(A, '2026-01-10');
    const moved = scheduled(A, '2026-02-10');
    const kept = obligationOutcomesOnly([first, visit(), moved]);
    expect(kept.map((e) => e.type)).toEqual([EventTypes.visitRecorded, EventTypes.obligationScheduled]);
    expect(kept[1]).toBe(moved);
    expect((kept[1].data as { historical?: boolean }).historical).toBeUndefined();
  });

  it('marks an obligation met in the history as historical, on both its last scheduling and its satisfaction', () => {
    const events = [scheduled(A, '2026-01-10'), scheduled(A, '2026-01-12'), satisfied(A, '2026-01-20'), scheduled(B, '2026-03-01')];
    const kept = obligationOutcomesOnly(events);
    expect(
      kept.map((e) => [e.type, (e.data as { obligationId: string }).obligationId, (e.data as { historical?: boolean }).historical]),
    ).toEqual([
      [EventTypes.obligationScheduled, A, true],
      [EventTypes.obligationSatisfied, A, true],
      [EventTypes.obligationScheduled, B, undefined],
    ]);
    expect((kept[0].data as { dueDate: string }).dueDate).toBe('2026-01-12');
    expect(kept[0].id).toBe(events[1].id);
  });

  it('keeps the cancellation of an obligation it cannot know was new, after its historical scheduling', () => {
    const kept = obligationOutcomesOnly([scheduled(C, '2026-01-10'), cancelled(C)]);
    expect(kept.map((e) => [e.type, (e.data as { historical?: boolean }).historical])).toEqual([
      [EventTypes.obligationScheduled, true],
      [EventTypes.obligationCancelled, undefined],
    ]);
  });

  it('leaves the satisfaction of an obligation scheduled before the change as it was: a live alert resolves as usual', () => {
    const met = satisfied(A, '2026-01-20');
    expect(obligationOutcomesOnly([met])).toEqual([met]);
  });
});
