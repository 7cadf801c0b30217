import { randomUUID } from 'node:crypto';
import { EventEnvelope, EventTypes } from '@plo/contracts';
import { CaseRecord, ProjectionBatch } from './obligation-projection';

const caseId = randomUUID();
const obligationId = randomUUID();
const event = (type: string, data: object): EventEnvelope => ({ id: randomUUID(), type, subject: caseId, data }) as EventEnvelope;
const scheduled = (dueDate: string) =>
  event(EventTypes.obligationScheduled, {
    obligationId,
    caseId,
    councilId: 'c1',
    kind: 'visit',
    ruleId: 'cp-visit',
    dueDate,
    explanation: 'every 10 WD',
    responsible: { teamId: 'north-1', workerId: 'sw.alex' },
  });
const knownCase: CaseRecord = {
  caseId,
  councilId: 'c1',
  caseReference: 'R1',
  teamId: 'north-1',
  workerId: 'sw.alex',
  teamManagerId: 'tm.sam',
  legalStatus: 'child-in-need',
  legalInvolvedSince: null,
  closedOn: null,
};
const fresh = (cases: CaseRecord[] = [knownCase]) =>
  new ProjectionBatch(new Map(), new Map(cases.map((c) => [c.caseId, { ...c }])), new Map());

describe('obligation projection', () => {
  it('opens an obligation and schedules its alerts', () => {
    const batch = fresh();
    batch.apply(scheduled('2026-11-16'));
    expect(batch.obligations.get(obligationId)).toMatchObject({ status: 'open', dueDate: '2026-11-16', workerId: 'sw.alex' });
    expect([...batch.scheduled]).toEqual([obligationId]);
  });

  it('a later schedule moves the due date and unsettles its alerts; the same date changes nothing to resolve', () => {
    const batch = fresh();
    batch.apply(scheduled('2026-11-16'));
    batch.settled.clear();
    batch.apply(scheduled('2026-11-16'));
    expect(batch.settled.size).toBe(0);
    batch.apply(scheduled('2026-11-30'));
    expect(batch.obligations.get(obligationId)?.dueDate).toBe('2026-11-30');
    expect([...batch.settled]).toEqual([obligationId]);
  });

  it('remembers a satisfaction that arrives before the schedule (out of order) and applies it when the schedule comes', () => {
    const batch = fresh();
    batch.apply(event(EventTypes.obligationSatisfied, { obligationId, caseId, satisfiedOn: '2026-11-20' }));
    expect(batch.obligations.has(obligationId)).toBe(false);
    batch.apply(scheduled('2026-11-16'));
    expect(batch.obligations.get(obligationId)).toMatchObject({ status: 'satisfied', satisfiedOn: '2026-11-20' });
    expect(batch.scheduled.size).toBe(0);
    expect(batch.early.get(obligationId)).toBeNull();
  });

  it('ignores a second satisfaction and a re-schedule of a met obligation', () => {
    const batch = fresh();
    batch.apply(scheduled('2026-11-16'));
    batch.apply(event(EventTypes.obligationSatisfied, { obligationId, caseId, satisfiedOn: '2026-11-20' }));
    batch.apply(event(EventTypes.obligationSatisfied, { obligationId, caseId, satisfiedOn: '2026-11-25' }));
    batch.apply(scheduled('2026-12-01'));
    expect(batch.obligations.get(obligationId)).toMatchObject({ status: 'satisfied', satisfiedOn: '2026-11-20', dueDate: '2026-11-16' });
  });

  it('takes the team and worker from its copy of the case, never the stamp; an unknown case is retried', () => {
    const batch = fresh();
    batch.apply(
      event(EventTypes.obligationScheduled, { ...scheduled('2026-11-16').data, responsible: { teamId: 'old-9', workerId: 'sw.old' } }),
    );
    expect(batch.obligations.get(obligationId)).toMatchObject({ teamId: 'north-1', workerId: 'sw.alex' });
    expect(() => fresh([]).apply(scheduled('2026-11-16'))).toThrow(/not known to alerting yet/);
  });

  it('keeps a historical obligation unscheduled, notes its drift when met late, and makes it live on a later live schedule', () => {
    const batch = fresh();
    batch.apply(event(EventTypes.obligationScheduled, { ...scheduled('2026-11-16').data, historical: true }));
    expect(batch.obligations.get(obligationId)).toMatchObject({ historical: true, status: 'open' });
    expect(batch.scheduled.size).toBe(0);
    batch.apply(event(EventTypes.obligationScheduled, { ...scheduled('2026-11-16').data, historical: false }));
    expect(batch.obligations.get(obligationId)).toMatchObject({ historical: false });
    expect([...batch.scheduled]).toEqual([obligationId]);
    // History cannot silence an obligation that is live: a later historical schedule moves it like any other.
    batch.scheduled.clear();
    batch.apply(event(EventTypes.obligationScheduled, { ...scheduled('2026-11-23').data, historical: true }));
    expect(batch.obligations.get(obligationId)).toMatchObject({ historical: false, dueDate: '2026-11-23' });
    expect([...batch.scheduled]).toEqual([obligationId]);

    const met = fresh();
    met.apply(event(EventTypes.obligationScheduled, { ...scheduled('2026-11-16').data, historical: true }));
    met.apply(event(EventTypes.obligationSatisfied, { obligationId, caseId, satisfiedOn: '2026-11-16', historical: true }));
    expect(met.historicalDrifts.size).toBe(0);
    const late = fresh();
    late.apply(event(EventTypes.obligationScheduled, { ...scheduled('2026-11-16').data, historical: true }));
    late.apply(event(EventTypes.obligationSatisfied, { obligationId, caseId, satisfiedOn: '2026-11-20', historical: true }));
    expect([...late.historicalDrifts]).toEqual([obligationId]);
  });

  it('stores the time of day it becomes overdue, and a new time of day moves it', () => {
    const batch = fresh();
    batch.apply(event(EventTypes.obligationScheduled, { ...scheduled('2026-11-16').data, dueAt: '2026-11-16T16:00:00Z' }));
    expect(batch.obligations.get(obligationId)?.dueAt).toBe('2026-11-16T16:00:00.000Z');
    batch.settled.clear();
    batch.apply(event(EventTypes.obligationScheduled, { ...scheduled('2026-11-16').data, dueAt: '2026-11-16T12:00:00Z' }));
    expect([...batch.settled]).toEqual([obligationId]);
  });

  it('lets legal see the case from the first legal involvement of any child, and keeps the earliest day', () => {
    const batch = fresh();
    const involvement = (startDate: string) =>
      event(EventTypes.legalInvolvementStarted, {
        caseId,
        childId: randomUUID(),
        involvement: 'pre-proceedings',
        involvementId: randomUUID(),
        startDate,
      });
    batch.apply(involvement('2026-11-20'));
    batch.apply(involvement('2026-11-10'));
    batch.apply(involvement('2026-12-01'));
    expect(batch.cases.get(caseId)?.legalInvolvedSince).toBe('2026-11-10');
    expect(() => fresh([]).apply(involvement('2026-11-20'))).toThrow(/not known to alerting yet/);
  });

  it('re-allocation moves open obligations; closure ends them and any scheduled later', () => {
    const batch = fresh([]);
    batch.apply(
      event(EventTypes.caseOpened, {
        caseId,
        councilId: 'c1',
        caseReference: 'R1',
        teamId: 'north-1',
        allocatedWorkerId: 'sw.alex',
        teamManagerId: 'tm.sam',
        legalStatus: 'child-in-need',
        openedOn: '2026-11-01',
      }),
    );
    batch.apply(scheduled('2026-11-16'));
    batch.apply(event(EventTypes.caseAllocated, { caseId, teamId: 'south-2', allocatedWorkerId: 'sw.bo', allocatedOn: '2026-11-03' }));
    expect(batch.obligations.get(obligationId)).toMatchObject({ teamId: 'south-2', workerId: 'sw.bo' });
    expect(batch.cases.get(caseId)).toMatchObject({ teamId: 'south-2', workerId: 'sw.bo', teamManagerId: 'tm.sam' });
    batch.apply(event(EventTypes.caseClosed, { caseId, closedOn: '2026-11-10', reason: 'stepped down' }));
    expect(batch.obligations.get(obligationId)).toMatchObject({ status: 'cancelled', endedReason: 'case closed' });
    const late = randomUUID();
    batch.apply(event(EventTypes.obligationScheduled, { ...scheduled('2026-12-01').data, obligationId: late }));
    expect(batch.obligations.get(late)).toMatchObject({ status: 'cancelled', endedReason: 'case closed' });
  });
});
