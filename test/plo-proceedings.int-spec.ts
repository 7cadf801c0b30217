import { randomUUID } from 'node:crypto';
import { EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, eventsOf, issueProceedings, setClock } from './plo-support';

/**
 * The PLO service on its own (cases are announced on the case topic): stages, per-child clocks and
 * extensions, hearings and the deadlines counted from them, projected drift and pre-proceedings,
 * checked over HTTP and on the topics the events go to.
 */
describe('PLO proceedings', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true', PLO_DRIFT_SWEEP_INTERVAL_MS: '300' });
    await plo.start();
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const view = async (id: string) => (await request('GET', `${plo.url}/proceedings/${id}`)).body;
  const ofKind = (events: any[], type: string) => events.filter((e) => e.type === type).map((e) => e.data);

  it('issue starts a clock per child and the PD12A windows; stages follow the PLO, and an impossible one is a 409', async () => {
    await setClock(plo, '2025-01-06T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const children = [randomUUID(), randomUUID()];
    const issued = await issueProceedings(plo, caseId, children);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ caseCompletionDate: '2025-07-06', stage: 'issued' });
    expect(issued.body.children.map((c: any) => [c.completionDate, c.hmctsDisplayDate])).toEqual([
      ['2025-07-06', '2025-07-07'],
      ['2025-07-06', '2025-07-07'],
    ]);
    const id = issued.body.proceedingsId;

    const skipped = await request('POST', `${plo.url}/proceedings/${id}/stage`, { stage: 'case-management-hearing', enteredOn: '2025-01-07' });
    expect(skipped.status).toBe(409);
    expect(skipped.body).toMatchObject({ currentStage: 'issued', nextStages: ['gatekeeping', 'withdrawn'] });
    expect(skipped.body.message).toContain("stage 'issued'");

    expect((await request('POST', `${plo.url}/proceedings/${id}/stage`, { stage: 'gatekeeping', enteredOn: '2025-01-07' })).status).toBe(200);
    const cmh = await request('POST', `${plo.url}/proceedings/${id}/stage`, { stage: 'case-management-hearing', enteredOn: '2025-01-20' }, { 'x-user-id': 'legal.kim' });
    expect(cmh.body).toMatchObject({ stage: 'case-management-hearing', previousStage: 'gatekeeping' });
    expect((await request('POST', `${plo.url}/proceedings/${id}/stage`, { stage: 'gatekeeping', enteredOn: '2025-01-21' })).status).toBe(409);
    expect((await request('POST', `${plo.url}/proceedings/${id}/stage`, { stage: 'teleported', enteredOn: '2025-13-01' })).body.fields.map((f: any) => f.field)).toEqual(['stage', 'enteredOn']);

    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 9);
    expect(events[0].type).toBe(EventTypes.proceedingsIssued);
    const scheduled = ofKind(events, EventTypes.obligationScheduled);
    expect(scheduled.map((o) => [o.kind, o.dueDate])).toEqual([
      ['proceedings-completion', '2025-07-06'],
      ['proceedings-completion', '2025-07-06'],
      ['gatekeeping', '2025-01-07'],
      ['case-management-hearing', '2025-01-23'],
    ]);
    expect(scheduled[3].explanation).toContain('not before Fri 17 Jan 2025');
    expect(ofKind(events, EventTypes.stageEntered).map((s) => [s.previousStage, s.stage, s.enteredOn])).toEqual([
      ['issued', 'gatekeeping', '2025-01-07'],
      ['gatekeeping', 'case-management-hearing', '2025-01-20'],
    ]);
    expect(ofKind(events, EventTypes.obligationSatisfied).map((s) => [s.obligationId, s.satisfiedOn])).toEqual([
      [scheduled[2].obligationId, '2025-01-07'],
      [scheduled[3].obligationId, '2025-01-20'],
    ]);
    expect(events.find((e) => e.type === EventTypes.stageEntered && e.data.stage === 'case-management-hearing').actor).toEqual({ kind: 'user', id: 'legal.kim' });

    const timetable = await eventsOf(stack, Topics.courtTimetable, caseId, 3);
    expect(timetable.map((e) => [e.type, e.data.version, e.data.stage])).toEqual([
      [EventTypes.timetableChanged, 1, 'issued'],
      [EventTypes.timetableChanged, 2, 'gatekeeping'],
      [EventTypes.timetableChanged, 3, 'case-management-hearing'],
    ]);
    expect(timetable[0].data.milestones.filter((m: any) => m.kind === 'child-completion').map((m: any) => m.date)).toEqual(['2025-07-06', '2025-07-06']);
  }, 90_000);

  it("extensions: '8 weeks' runs to the s.32(8) limit, a later date is refused with the latest allowed, and the child's obligation moves", async () => {
    await setClock(plo, '2025-07-01T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const [first, second] = [randomUUID(), randomUUID()];
    const id = (await issueProceedings(plo, caseId, [first, second])).body.proceedingsId;
    const extend = (childId: string, body: object) => request('POST', `${plo.url}/proceedings/${id}/children/${childId}/extensions`, body, { 'x-user-id': 'legal.kim' });

    const granted = await extend(first, { grantedOn: '2025-07-01', extendBy: '8 weeks', reason: 'timetable-for-child' });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({ previousEndDate: '2025-07-06', newEndDate: '2025-08-31', latestAllowedEndDate: '2025-08-31', caseCompletionDate: '2025-08-31', recordedBy: 'legal.kim' });

    const tooLate = await extend(second, { grantedOn: '2025-07-01', newEndDate: '2025-09-01', reason: 'international-aspect' });
    expect(tooLate.status).toBe(422);
    expect(tooLate.body).toMatchObject({ latestAllowedEndDate: '2025-08-31', currentEndDate: '2025-07-06' });
    expect(tooLate.body.message).toContain('the latest allowed end date is Sun 31 Aug 2025');

    const both = await extend(second, { grantedOn: '2025-07-01', newEndDate: '2025-08-01', extendBy: '8 weeks', reason: 'made-up' });
    expect(both.status).toBe(400);
    expect(both.body.fields.map((f: any) => f.field).sort()).toEqual(['reason']);
    const neither = await extend(second, { grantedOn: '2025-07-01', reason: 'timetable-for-child' });
    expect(neither.body.fields.map((f: any) => f.field)).toEqual(['newEndDate', 'extendBy']);
    expect((await extend(second, { grantedOn: '2025-07-01', newEndDate: '2025-08-01', extendBy: '8 weeks', reason: 'timetable-for-child' })).status).toBe(400);

    const record = await view(id);
    expect(record.caseCompletionDate).toBe('2025-08-31');
    const child = record.children.find((c: any) => c.childId === first);
    expect(child).toMatchObject({ completionDate: '2025-08-31', originalCompletionDate: '2025-07-06' });
    expect(child.extensions).toEqual([expect.objectContaining({ grantedOn: '2025-07-01', newEndDate: '2025-08-31', requestedAs: 'eight-weeks', reason: 'timetable-for-child', recordedBy: 'legal.kim' })]);

    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 8);
    const moves = ofKind(events, EventTypes.obligationScheduled).filter((o) => o.obligationId === child.obligationId);
    expect(moves.map((o) => o.dueDate)).toEqual(['2025-07-06', '2025-08-31']);
    expect(ofKind(events, EventTypes.extensionGranted)).toEqual([expect.objectContaining({ childId: first, newEndDate: '2025-08-31', requestedAs: 'eight-weeks' })]);
  }, 60_000);

  it('deadlines counted back from a hearing move with it and are cancelled when it is vacated', async () => {
    await setClock(plo, '2025-01-08T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const id = (await issueProceedings(plo, caseId, [randomUUID()])).body.proceedingsId;
    const listed = await request('POST', `${plo.url}/proceedings/${id}/hearings`, {
      hearingType: 'case-management',
      startsAt: '2025-01-20T10:00:00Z',
      endsAt: '2025-01-20T12:00:00Z',
      venue: 'Court 3',
      judge: 'HHJ Example',
      listingStatus: 'fixed',
    });
    expect(listed.status).toBe(201);
    const hearingId = listed.body.id;
    const deadlines = async () => (await view(id)).obligations.filter((o: any) => o.hearingId === hearingId).map((o: any) => [o.kind, o.dueDate, o.status]);
    expect(await deadlines()).toEqual([
      ['cmh-advocates-meeting', '2025-01-16', 'open'],
      ['hearing-bundle', '2025-01-16', 'open'],
      ['hearing-case-summary', '2025-01-17', 'open'],
    ]);
    const before = (await view(id)).obligations.filter((o: any) => o.hearingId === hearingId).map((o: any) => o.id);

    const moved = await request('POST', `${plo.url}/proceedings/${id}/hearings/${hearingId}/move`, { startsAt: '2025-01-22T10:00:00Z' });
    expect(moved.body).toMatchObject({ hearingDate: '2025-01-22', status: 'listed', endsAt: null });
    expect(await deadlines()).toEqual([
      ['cmh-advocates-meeting', '2025-01-20', 'open'],
      ['hearing-bundle', '2025-01-20', 'open'],
      ['hearing-case-summary', '2025-01-21', 'open'],
    ]);
    expect((await view(id)).obligations.filter((o: any) => o.hearingId === hearingId).map((o: any) => o.id).sort()).toEqual([...before].sort());

    expect((await request('POST', `${plo.url}/proceedings/${id}/hearings/${hearingId}/vacate`)).body.status).toBe('vacated');
    expect((await deadlines()).map(([, , status]: string[]) => status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const again = await request('POST', `${plo.url}/proceedings/${id}/hearings/${hearingId}/vacate`);
    expect(again).toMatchObject({ status: 409, body: { currentStatus: 'vacated' } });
    const relisted = await request('POST', `${plo.url}/proceedings/${id}/hearings/${hearingId}/move`, { startsAt: '2025-01-23T10:00:00Z' });
    expect(relisted.body.status).toBe('vacated-and-relisted');

    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    expect(events.filter((e) => e.type.includes('.hearing-')).map((e) => [e.type.split('.')[4], e.data.hearingDate, e.data.status])).toEqual([
      ['hearing-listed', '2025-01-20', 'listed'],
      ['hearing-moved', '2025-01-22', 'listed'],
      ['hearing-vacated', '2025-01-22', 'vacated'],
      ['hearing-moved', '2025-01-23', 'vacated-and-relisted'],
    ]);
    const bundleMoves = ofKind(events, EventTypes.obligationScheduled).filter((o) => o.kind === 'hearing-bundle');
    expect(bundleMoves.map((o) => o.dueDate)).toEqual(['2025-01-16', '2025-01-20', '2025-01-21']);
    expect(new Set(bundleMoves.map((o) => o.obligationId)).size).toBe(2);
    expect(ofKind(events, EventTypes.obligationCancelled).map((o) => o.reason)).toEqual(Array(3).fill('hearing on 2025-01-22 vacated'));
  }, 60_000);

  it('projects drift at once when the final hearing is after a completion date, clears it, and sweeps for no final hearing by week 20', async () => {
    await setClock(plo, '2025-02-01T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const children = [randomUUID(), randomUUID()];
    const id = (await issueProceedings(plo, caseId, children)).body.proceedingsId;
    const final = await request('POST', `${plo.url}/proceedings/${id}/hearings`, { hearingType: 'final', startsAt: '2025-07-10T09:30:00Z', listingStatus: 'provisional' });
    expect((await view(id)).projectedDrift.map((d: any) => [d.reason, d.finalHearingDate])).toEqual([
      ['final-hearing-after-completion', '2025-07-10'],
      ['final-hearing-after-completion', '2025-07-10'],
    ]);
    await request('POST', `${plo.url}/proceedings/${id}/hearings/${final.body.id}/move`, { startsAt: '2025-07-01T09:30:00Z' });
    expect((await view(id)).projectedDrift).toEqual([]);
    await request('POST', `${plo.url}/proceedings/${id}/hearings/${final.body.id}/vacate`);
    expect((await view(id)).projectedDrift).toEqual([]);

    await setClock(plo, '2025-05-26T08:00:00Z');
    const swept = await eventually(() => view(id), (v) => v.projectedDrift.length === 2, 20_000, 'the sweep to project drift');
    expect(swept.projectedDrift.map((d: any) => [d.reason, d.detectedOn])).toEqual([
      ['no-final-hearing-listed', '2025-05-26'],
      ['no-final-hearing-listed', '2025-05-26'],
    ]);

    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    const drift = events.filter((e) => e.type === EventTypes.driftProjected || e.type === EventTypes.driftProjectionCleared);
    expect(drift.map((e) => [e.type.split('.')[4], e.data.reason])).toEqual([
      ['drift-projected', 'final-hearing-after-completion'],
      ['drift-projected', 'final-hearing-after-completion'],
      ['drift-projection-cleared', 'final hearing moved to 2025-07-01'],
      ['drift-projection-cleared', 'final hearing moved to 2025-07-01'],
      ['drift-projected', 'no-final-hearing-listed'],
      ['drift-projected', 'no-final-hearing-listed'],
    ]);
    expect(drift[0].data).toMatchObject({ completionDate: '2025-07-06', finalHearingDate: '2025-07-10', detectedOn: '2025-02-01' });
    expect(drift[4].data.explanation).toContain('No final hearing is listed by week 20');
    expect(drift[4].actor).toEqual({ kind: 'system', id: 'plo-drift-sweep' });

    // A final order ends the clocks (met late or not) and any projection.
    await request('POST', `${plo.url}/proceedings/${id}/stage`, { stage: 'withdrawn', enteredOn: '2025-05-27' });
    expect((await view(id)).projectedDrift).toEqual([]);
    expect((await request('POST', `${plo.url}/proceedings/${id}/hearings`, { hearingType: 'final', startsAt: '2025-07-10T09:30:00Z', listingStatus: 'fixed' })).body).toMatchObject({ currentStage: 'withdrawn' });
  }, 60_000);

  it('pre-proceedings: the 16 weeks run from the letter, each meeting sets the next review, and the outcome closes both', async () => {
    await setClock(plo, '2025-01-06T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    expect((await request('POST', `${plo.url}/pre-proceedings`, { caseId, decidedOn: '2025-01-02', decision: 'issue-now' })).body.fields).toEqual([
      { field: 'shortNoticeReason', messages: ['a decision to issue now is a short-notice issue and needs a reason'] },
    ]);
    const started = await request('POST', `${plo.url}/pre-proceedings`, { caseId, decidedOn: '2025-01-02', decision: 'pre-proceedings' });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect((await request('POST', `${plo.url}/pre-proceedings/${id}/meetings`, { heldOn: '2025-01-13' })).status).toBe(409);
    expect((await request('POST', `${plo.url}/pre-proceedings/${id}/letter`, { sentOn: '2025-01-06' })).body.obligations).toEqual([
      expect.objectContaining({ kind: 'pre-proceedings-limit', dueDate: '2025-04-28', status: 'open' }),
    ]);
    await request('POST', `${plo.url}/pre-proceedings/${id}/meetings`, { heldOn: '2025-01-13' });
    const reviewed = await request('POST', `${plo.url}/pre-proceedings/${id}/meetings`, { heldOn: '2025-02-20' });
    expect(reviewed.body.meetingsHeld).toBe(2);
    expect(reviewed.body.obligations.filter((o: any) => o.kind === 'pre-proceedings-review').map((o: any) => [o.dueDate, o.status])).toEqual([
      ['2025-02-24', 'satisfied'],
      ['2025-04-03', 'open'],
    ]);
    expect((await request('POST', `${plo.url}/pre-proceedings/${id}/outcome`, { outcome: 'step-down', decidedOn: '2025-03-01' })).body.fields.map((f: any) => f.field)).toEqual(['reason']);
    const ended = await request('POST', `${plo.url}/pre-proceedings/${id}/outcome`, { outcome: 'step-down', decidedOn: '2025-03-01', reason: 'parents engaged; risks reduced' });
    expect(ended.body).toMatchObject({ status: 'stepped-down', outcomeReason: 'parents engaged; risks reduced' });
    expect(ended.body.obligations.map((o: any) => [o.kind, o.status])).toEqual([
      ['pre-proceedings-review', 'satisfied'],
      ['pre-proceedings-review', 'cancelled'],
      ['pre-proceedings-limit', 'satisfied'],
    ]);
    expect((await request('POST', `${plo.url}/pre-proceedings/${id}/meetings`, { heldOn: '2025-03-05' })).body).toMatchObject({ currentStatus: 'stepped-down' });
    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    expect(events.filter((e) => e.type.includes('pre-proceedings')).map((e) => e.data.step ?? e.type.split('.')[4])).toEqual([
      'pre-proceedings-started',
      'letter-before-proceedings',
      'pre-proceedings-meeting',
      'review-meeting',
      'pre-proceedings-concluded',
    ]);
  }, 60_000);
});
