import { randomUUID } from 'node:crypto';
import { councilSubject, createEnvelope, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, auditRows, eventsOf, issueProceedings, PersonaName, PERSONAS, setClock, signIn } from './plo-support';

/**
 * The PLO service on its own (cases are announced on the case topic): stages, per-child clocks and
 * extensions, hearings and the deadlines counted from them, projected drift and pre-proceedings,
 * checked over HTTP and on the topics the events go to.
 */
describe('PLO proceedings', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;
  let as: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true', PLO_DRIFT_SWEEP_INTERVAL_MS: '300' });
    [as] = await Promise.all([signIn(stack), plo.start()]);
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  /** Legal staff run the PLO, so they act unless a test says who else. */
  const api = (method: string, path: string, body?: unknown, who: PersonaName = 'legal') =>
    request(method, `${plo.url}${path}`, body, as[who]);
  const view = async (id: string) => (await api('GET', `/proceedings/${id}`)).body;
  const ofKind = (events: any[], type: string) => events.filter((e) => e.type === type).map((e) => e.data);

  it('issue starts a clock per child and the PD12A windows; stages follow the PLO, and an impossible one is a 409', async () => {
    await setClock(stack, plo, '2025-01-06T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const children = [randomUUID(), randomUUID()];
    const issued = await issueProceedings(plo, as.legal, caseId, children);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ caseCompletionDate: '2025-07-06', stage: 'issued' });
    expect(issued.body.children.map((c: any) => [c.completionDate, c.hmctsDisplayDate])).toEqual([
      ['2025-07-06', '2025-07-07'],
      ['2025-07-06', '2025-07-07'],
    ]);
    const id = issued.body.proceedingsId;

    const skipped = await api('POST', `/proceedings/${id}/stage`, { stage: 'case-management-hearing', enteredOn: '2025-01-07' });
    expect(skipped.status).toBe(409);
    expect(skipped.body).toMatchObject({ currentStage: 'issued', nextStages: ['gatekeeping', 'withdrawn'] });
    expect(skipped.body.message).toContain("stage 'issued'");

    expect((await api('POST', `/proceedings/${id}/stage`, { stage: 'gatekeeping', enteredOn: '2025-01-07' })).status).toBe(200);
    const cmh = await api('POST', `/proceedings/${id}/stage`, { stage: 'case-management-hearing', enteredOn: '2025-01-20' });
    expect(cmh.body).toMatchObject({ stage: 'case-management-hearing', previousStage: 'gatekeeping' });
    expect((await api('POST', `/proceedings/${id}/stage`, { stage: 'gatekeeping', enteredOn: '2025-01-21' })).status).toBe(409);
    expect(
      (await api('POST', `/proceedings/${id}/stage`, { stage: 'teleported', enteredOn: '2025-13-01' })).body.fields.map(
        (f: any) => f.field,
      ),
    ).toEqual(['stage', 'enteredOn']);

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
    expect(events.find((e) => e.type === EventTypes.stageEntered && e.data.stage === 'case-management-hearing').actor).toEqual({
      kind: 'user',
      id: 'legal.kim',
    });

    const timetable = await eventsOf(stack, Topics.courtTimetable, caseId, 3);
    expect(timetable.map((e) => [e.type, e.data.version, e.data.stage])).toEqual([
      [EventTypes.timetableChanged, 1, 'issued'],
      [EventTypes.timetableChanged, 2, 'gatekeeping'],
      [EventTypes.timetableChanged, 3, 'case-management-hearing'],
    ]);
    expect(timetable[0].data.milestones.filter((m: any) => m.kind === 'child-completion').map((m: any) => m.date)).toEqual([
      '2025-07-06',
      '2025-07-06',
    ]);
  }, 90_000);

  it("extensions: '8 weeks' runs to the s.32(8) limit, a later date is refused with the latest allowed, and the child's obligation moves", async () => {
    await setClock(stack, plo, '2025-07-01T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const [first, second] = [randomUUID(), randomUUID()];
    const id = (await issueProceedings(plo, as.legal, caseId, [first, second])).body.proceedingsId;
    const extend = (childId: string, body: object) => api('POST', `/proceedings/${id}/children/${childId}/extensions`, body);

    const approvingHearing = await api('POST', `/proceedings/${id}/hearings`, {
      hearingType: 'other',
      startsAt: '2025-06-30T09:30:00+01:00',
      listingStatus: 'fixed',
    });
    expect(approvingHearing.status).toBe(201);
    const granted = await extend(first, {
      grantedOn: '2025-07-01',
      hearingId: approvingHearing.body.id,
      extendBy: '8 weeks',
      reason: 'timetable-for-child',
    });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      previousEndDate: '2025-07-06',
      newEndDate: '2025-08-31',
      latestAllowedEndDate: '2025-08-31',
      caseCompletionDate: '2025-08-31',
      recordedBy: 'legal.kim',
    });

    const tooLate = await extend(second, { grantedOn: '2025-07-01', newEndDate: '2025-09-01', reason: 'international-aspect' });
    expect(tooLate.status).toBe(422);
    expect(tooLate.body).toMatchObject({ latestAllowedEndDate: '2025-08-31', currentEndDate: '2025-07-06' });
    expect(tooLate.body.message).toContain('the latest allowed end date is Sun 31 Aug 2025');

    const both = await extend(second, { grantedOn: '2025-07-01', newEndDate: '2025-08-01', extendBy: '8 weeks', reason: 'made-up' });
    expect(both.status).toBe(400);
    expect(both.body.fields.map((f: any) => f.field).sort()).toEqual(['reason']);
    const neither = await extend(second, { grantedOn: '2025-07-01', reason: 'timetable-for-child' });
    expect(neither.body.fields.map((f: any) => f.field)).toEqual(['newEndDate', 'extendBy']);
    expect(
      (await extend(second, { grantedOn: '2025-07-01', newEndDate: '2025-08-01', extendBy: '8 weeks', reason: 'timetable-for-child' }))
        .status,
    ).toBe(400);

    const record = await view(id);
    expect(record.caseCompletionDate).toBe('2025-08-31');
    const child = record.children.find((c: any) => c.childId === first);
    // HMCTS counts "8 weeks" from the approving hearing (Mon 30 Jun → Mon 25 Aug 2025), not from the s.32(8) base.
    expect(child).toMatchObject({ completionDate: '2025-08-31', originalCompletionDate: '2025-07-06', hmctsDisplayDate: '2025-08-25' });
    expect(child.extensions).toEqual([
      expect.objectContaining({
        grantedOn: '2025-07-01',
        newEndDate: '2025-08-31',
        requestedAs: 'eight-weeks',
        reason: 'timetable-for-child',
        recordedBy: 'legal.kim',
      }),
    ]);

    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 8);
    const moves = ofKind(events, EventTypes.obligationScheduled).filter((o) => o.obligationId === child.obligationId);
    expect(moves.map((o) => o.dueDate)).toEqual(['2025-07-06', '2025-08-31']);
    expect(ofKind(events, EventTypes.extensionGranted)).toEqual([
      expect.objectContaining({ childId: first, newEndDate: '2025-08-31', hmctsDisplayDate: '2025-08-25', requestedAs: 'eight-weeks' }),
    ]);

    const explicit = await extend(second, { grantedOn: '2025-07-01', newEndDate: '2025-08-15', reason: 'international-aspect' });
    expect(explicit.body).toMatchObject({ newEndDate: '2025-08-15', hmctsDisplayDate: '2025-08-15' });
    expect((await view(id)).children.find((c: any) => c.childId === second).hmctsDisplayDate).toBe('2025-08-15');
  }, 60_000);

  it('deadlines counted back from a hearing move with it and are cancelled when it is vacated', async () => {
    await setClock(stack, plo, '2025-01-08T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const id = (await issueProceedings(plo, as.legal, caseId, [randomUUID()])).body.proceedingsId;
    const listed = await api('POST', `/proceedings/${id}/hearings`, {
      hearingType: 'case-management',
      startsAt: '2025-01-20T10:00:00Z',
      endsAt: '2025-01-20T12:00:00Z',
      venue: 'Court 3',
      judge: 'HHJ Example',
      listingStatus: 'fixed',
    });
    expect(listed.status).toBe(201);
    const hearingId = listed.body.id;
    const deadlines = async () =>
      (await view(id)).obligations.filter((o: any) => o.hearingId === hearingId).map((o: any) => [o.kind, o.dueDate, o.status]);
    expect(await deadlines()).toEqual([
      ['cmh-advocates-meeting', '2025-01-16', 'open'],
      ['hearing-bundle', '2025-01-16', 'open'],
      ['hearing-case-summary', '2025-01-17', 'open'],
    ]);
    const before = (await view(id)).obligations.filter((o: any) => o.hearingId === hearingId).map((o: any) => o.id);

    const moved = await api('POST', `/proceedings/${id}/hearings/${hearingId}/move`, { startsAt: '2025-01-22T10:00:00Z' });
    expect(moved.body).toMatchObject({ hearingDate: '2025-01-22', status: 'listed', endsAt: null });
    expect(await deadlines()).toEqual([
      ['cmh-advocates-meeting', '2025-01-20', 'open'],
      ['hearing-bundle', '2025-01-20', 'open'],
      ['hearing-case-summary', '2025-01-21', 'open'],
    ]);
    expect(
      (await view(id)).obligations
        .filter((o: any) => o.hearingId === hearingId)
        .map((o: any) => o.id)
        .sort(),
    ).toEqual([...before].sort());

    expect((await api('POST', `/proceedings/${id}/hearings/${hearingId}/vacate`)).body.status).toBe('vacated');
    expect((await deadlines()).map(([, , status]: string[]) => status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const again = await api('POST', `/proceedings/${id}/hearings/${hearingId}/vacate`);
    expect(again).toMatchObject({ status: 409, body: { currentStatus: 'vacated' } });
    const relisted = await api('POST', `/proceedings/${id}/hearings/${hearingId}/move`, { startsAt: '2025-01-23T10:00:00Z' });
    expect(relisted.body.status).toBe('vacated-and-relisted');

    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    expect(
      events.filter((e) => e.type.includes('.hearing-')).map((e) => [e.type.split('.')[4], e.data.hearingDate, e.data.status]),
    ).toEqual([
      ['hearing-listed', '2025-01-20', 'listed'],
      ['hearing-moved', '2025-01-22', 'listed'],
      ['hearing-vacated', '2025-01-22', 'vacated'],
      ['hearing-moved', '2025-01-23', 'vacated-and-relisted'],
    ]);
    const bundleMoves = ofKind(events, EventTypes.obligationScheduled).filter((o) => o.kind === 'hearing-bundle');
    expect(bundleMoves.map((o) => o.dueDate)).toEqual(['2025-01-16', '2025-01-20', '2025-01-21']);
    // Directions with a time of day fall due at that instant in London (FPL: bundle 16:00, case summary 12:00).
    expect(bundleMoves.map((o) => o.dueAt)).toEqual([
      '2025-01-16T16:00:00+00:00',
      '2025-01-20T16:00:00+00:00',
      '2025-01-21T16:00:00+00:00',
    ]);
    const summaries = ofKind(events, EventTypes.obligationScheduled).filter((o) => o.kind === 'hearing-case-summary');
    expect(summaries.map((o) => [o.dueAt, o.authority])).toEqual([
      ['2025-01-17T12:00:00+00:00', 'guidance'],
      ['2025-01-21T12:00:00+00:00', 'guidance'],
      ['2025-01-22T12:00:00+00:00', 'guidance'],
    ]);
    const meeting = ofKind(events, EventTypes.obligationScheduled).find((o) => o.kind === 'cmh-advocates-meeting');
    expect(meeting).not.toHaveProperty('dueAt');
    expect(new Set(bundleMoves.map((o) => o.obligationId)).size).toBe(2);
    expect(ofKind(events, EventTypes.obligationCancelled).map((o) => o.reason)).toEqual(Array(3).fill('hearing on 2025-01-22 vacated'));
  }, 60_000);

  it('projects drift at once when the final hearing is after a completion date, clears it, and sweeps for no final hearing by week 20', async () => {
    await setClock(stack, plo, '2025-02-01T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const children = [randomUUID(), randomUUID()];
    const id = (await issueProceedings(plo, as.legal, caseId, children)).body.proceedingsId;
    const final = await api('POST', `/proceedings/${id}/hearings`, {
      hearingType: 'final',
      startsAt: '2025-07-10T09:30:00Z',
      listingStatus: 'provisional',
    });
    expect((await view(id)).projectedDrift.map((d: any) => [d.reason, d.finalHearingDate])).toEqual([
      ['final-hearing-after-completion', '2025-07-10'],
      ['final-hearing-after-completion', '2025-07-10'],
    ]);
    await api('POST', `/proceedings/${id}/hearings/${final.body.id}/move`, { startsAt: '2025-07-01T09:30:00Z' });
    expect((await view(id)).projectedDrift).toEqual([]);
    await api('POST', `/proceedings/${id}/hearings/${final.body.id}/vacate`);
    expect((await view(id)).projectedDrift).toEqual([]);

    await setClock(stack, plo, '2025-05-26T08:00:00Z');
    const swept = await eventually(
      () => view(id),
      (v) => v.projectedDrift.length === 2,
      20_000,
      'the sweep to project drift',
    );
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
    await api('POST', `/proceedings/${id}/stage`, { stage: 'withdrawn', enteredOn: '2025-05-27' });
    expect((await view(id)).projectedDrift).toEqual([]);
    expect(
      (await api('POST', `/proceedings/${id}/hearings`, { hearingType: 'final', startsAt: '2025-07-10T09:30:00Z', listingStatus: 'fixed' }))
        .body,
    ).toMatchObject({ currentStage: 'withdrawn' });
  }, 60_000);

  it('pre-proceedings: the 16 weeks run from the letter, each meeting sets the next review, and the outcome closes both', async () => {
    await setClock(stack, plo, '2025-01-06T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    expect((await api('POST', `/pre-proceedings`, { caseId, decidedOn: '2025-01-02', decision: 'issue-now' })).body.fields).toEqual([
      { field: 'shortNoticeReason', messages: ['a decision to issue now is a short-notice issue and needs a reason'] },
    ]);
    const started = await api('POST', `/pre-proceedings`, { caseId, decidedOn: '2025-01-02', decision: 'pre-proceedings' });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect((await api('POST', `/pre-proceedings/${id}/meetings`, { heldOn: '2025-01-13' })).status).toBe(409);
    expect((await api('POST', `/pre-proceedings/${id}/letter`, { sentOn: '2025-01-06' })).body.obligations).toEqual([
      expect.objectContaining({ kind: 'pre-proceedings-limit', dueDate: '2025-04-28', status: 'open' }),
    ]);
    await api('POST', `/pre-proceedings/${id}/meetings`, { heldOn: '2025-01-13' });
    const reviewed = await api('POST', `/pre-proceedings/${id}/meetings`, { heldOn: '2025-02-20' });
    expect(reviewed.body.meetingsHeld).toBe(2);
    expect(
      reviewed.body.obligations.filter((o: any) => o.kind === 'pre-proceedings-review').map((o: any) => [o.dueDate, o.status]),
    ).toEqual([
      ['2025-02-24', 'satisfied'],
      ['2025-04-03', 'open'],
    ]);
    expect(
      (await api('POST', `/pre-proceedings/${id}/outcome`, { outcome: 'step-down', decidedOn: '2025-03-01' })).body.fields.map(
        (f: any) => f.field,
      ),
    ).toEqual(['reason']);
    const ended = await api('POST', `/pre-proceedings/${id}/outcome`, {
      outcome: 'step-down',
      decidedOn: '2025-03-01',
      reason: 'parents engaged; risks reduced',
    });
    expect(ended.body).toMatchObject({ status: 'stepped-down', outcomeReason: 'parents engaged; risks reduced' });
    expect(ended.body.obligations.map((o: any) => [o.kind, o.status])).toEqual([
      ['pre-proceedings-review', 'satisfied'],
      ['pre-proceedings-review', 'cancelled'],
      ['pre-proceedings-limit', 'satisfied'],
    ]);
    expect((await api('POST', `/pre-proceedings/${id}/meetings`, { heldOn: '2025-03-05' })).body).toMatchObject({
      currentStatus: 'stepped-down',
    });
    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    expect(events.filter((e) => e.type.includes('pre-proceedings')).map((e) => e.data.step ?? e.type.split('.')[4])).toEqual([
      'pre-proceedings-started',
      'letter-before-proceedings',
      'pre-proceedings-meeting',
      'review-meeting',
      'pre-proceedings-concluded',
    ]);
  }, 60_000);

  it('work due before a hearing is marked done (and stays done when the hearing moves); a held hearing owes a draft order within 5 days', async () => {
    await setClock(stack, plo, '2025-01-15T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const id = (await issueProceedings(plo, as.legal, caseId, [randomUUID()])).body.proceedingsId;
    const hearingId = (
      await api('POST', `/proceedings/${id}/hearings`, {
        hearingType: 'case-management',
        startsAt: '2025-01-20T10:00:00Z',
        listingStatus: 'fixed',
      })
    ).body.id;
    const obligations = async () => (await view(id)).obligations as any[];
    const task = (list: any[], kind: string) => list.find((o) => o.hearingId === hearingId && o.kind === kind);
    const meeting = task(await obligations(), 'cmh-advocates-meeting');
    const done = (obligationId: string, body: object, who: PersonaName = 'legal') =>
      api('POST', `/proceedings/${id}/tasks/${obligationId}/done`, body, who);

    expect((await done(meeting.id, { doneOn: '2025-01-16' }, 'worker')).status).toBe(403);
    expect((await done(meeting.id, { doneOn: '2025-01-16' }, 'otherCouncilLegal')).status).toBe(404);
    expect((await done(meeting.id, { doneOn: '2025-01-16', colour: 'blue' })).body.fields.map((f: any) => f.field)).toEqual(['colour']);
    expect((await done(meeting.id, { doneOn: '2025-01-17' })).body.fields).toEqual([
      { field: 'doneOn', messages: ['doneOn must not be in the future (today is 2025-01-15)'] },
    ]);
    const gatekeeping = (await obligations()).find((o) => o.kind === 'gatekeeping');
    expect((await done(gatekeeping.id, { doneOn: '2025-01-07' })).body.fields[0].messages[0]).toContain('is not a task to mark done');
    expect((await done(randomUUID(), { doneOn: '2025-01-14' })).status).toBe(404);

    const marked = await done(meeting.id, { doneOn: '2025-01-14' });
    expect(marked).toMatchObject({
      status: 200,
      body: { kind: 'cmh-advocates-meeting', status: 'satisfied', satisfiedOn: '2025-01-14', satisfiedBy: 'legal.kim' },
    });
    expect((await done(meeting.id, { doneOn: '2025-01-14' })).body).toMatchObject({ currentStatus: 'satisfied' });
    await api('POST', `/proceedings/${id}/hearings/${hearingId}/move`, { startsAt: '2025-01-22T10:00:00Z' });
    const afterMove = await obligations();
    expect(afterMove.filter((o) => o.hearingId === hearingId).map((o) => [o.kind, o.dueDate, o.status, o.satisfiedOn])).toEqual([
      ['cmh-advocates-meeting', '2025-01-16', 'satisfied', '2025-01-14'],
      ['hearing-bundle', '2025-01-20', 'open', null],
      ['hearing-case-summary', '2025-01-21', 'open', null],
    ]);

    expect((await api('POST', `/proceedings/${id}/hearings/${hearingId}/draft-order`, { uploadedOn: '2025-01-15' })).body).toMatchObject({
      currentStatus: 'listed',
    });
    await setClock(stack, plo, '2025-01-23T09:00:00Z');
    await api('POST', `/proceedings/${id}/hearings/${hearingId}/held`, { outcome: 'Directions given' });
    const draft = task(await obligations(), 'draft-order-after-hearing');
    expect(draft).toMatchObject({ dueDate: '2025-01-27', status: 'open' });
    expect((await done(draft.id, { doneOn: '2025-01-23' })).body.fields[0].messages[0]).toContain('/draft-order');
    expect(
      (await api('POST', `/proceedings/${id}/hearings/${hearingId}/draft-order`, { uploadedOn: '2025-01-21' })).body.fields[0].field,
    ).toBe('uploadedOn');
    const uploaded = await api('POST', `/proceedings/${id}/hearings/${hearingId}/draft-order`, { uploadedOn: '2025-01-23' });
    expect(uploaded).toMatchObject({ status: 200, body: { status: 'held', draftOrderUploadedOn: '2025-01-23' } });
    expect(task(await obligations(), 'draft-order-after-hearing')).toMatchObject({ status: 'satisfied', satisfiedOn: '2025-01-23' });
    expect((await api('POST', `/proceedings/${id}/hearings/${hearingId}/draft-order`, { uploadedOn: '2025-01-23' })).body).toMatchObject({
      currentStatus: 'draft-order-uploaded',
    });

    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    const scheduled = ofKind(events, EventTypes.obligationScheduled);
    expect(scheduled.filter((o) => o.kind === 'draft-order-after-hearing').map((o) => [o.dueDate, o.explanation])).toEqual([
      ['2025-01-27', expect.stringContaining('5')],
    ]);
    expect(ofKind(events, EventTypes.obligationSatisfied).map((o) => [o.obligationId, o.satisfiedOn])).toEqual([
      [meeting.id, '2025-01-14'],
      [draft.id, '2025-01-23'],
    ]);
    const timetable = await eventsOf(stack, Topics.courtTimetable, caseId, 1);
    expect(timetable.at(-1).data.milestones.find((m: any) => m.milestoneId === draft.id)).toMatchObject({
      status: 'satisfied',
      date: '2025-01-27',
    });
  }, 60_000);

  it("access: another council sees nothing, a case's social worker reads but cannot extend, another team's worker sees nothing, no token is 401; every request is audited", async () => {
    await setClock(stack, plo, '2025-02-03T09:00:00Z');
    const { caseId } = await announceCase(stack, plo);
    const child = randomUUID();
    expect((await issueProceedings(plo, as.otherCouncilLegal, caseId, [child])).status).toBe(404);
    expect((await issueProceedings(plo, as.worker, caseId, [child])).status).toBe(403);
    const id = (await issueProceedings(plo, as.legal, caseId, [child])).body.proceedingsId;

    const other = await api('GET', `/proceedings/${id}`, undefined, 'otherCouncilLegal');
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(caseId);
    expect((await api('GET', `/proceedings?caseId=${caseId}`, undefined, 'otherCouncilLegal')).body).toEqual([]);
    expect((await api('GET', `/proceedings/${id}/timetable`, undefined, 'otherCouncilLegal')).status).toBe(404);
    expect(
      (await api('POST', `/proceedings/${id}/stage`, { stage: 'gatekeeping', enteredOn: '2025-01-07' }, 'otherCouncilLegal')).status,
    ).toBe(404);
    expect((await api('GET', `/proceedings/${id}`, undefined, 'otherTeamWorker')).status).toBe(404);
    expect((await api('GET', `/proceedings?caseId=${caseId}`, undefined, 'otherTeamWorker')).body).toEqual([]);

    expect((await api('GET', `/proceedings/${id}`, undefined, 'worker')).body).toMatchObject({ id, caseId });
    expect((await api('GET', `/proceedings?caseId=${caseId}`, undefined, 'manager')).body.map((p: any) => p.id)).toEqual([id]);
    const extension = await api(
      'POST',
      `/proceedings/${id}/children/${child}/extensions`,
      { grantedOn: '2025-02-03', extendBy: '8 weeks', reason: 'timetable-for-child' },
      'worker',
    );
    expect(extension.status).toBe(403);

    expect((await request('GET', `${plo.url}/proceedings/${id}`)).status).toBe(401);
    expect((await request('GET', `${plo.url}/proceedings/${id}`, undefined, { authorization: 'Bearer not.a.token' })).status).toBe(401);
    const expired = await stack.token(
      { subject: 'legal.kim', councilId: 'test-council', roles: ['legal'] },
      { issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresInSeconds: 60 },
    );
    expect((await request('GET', `${plo.url}/proceedings/${id}`, undefined, { authorization: `Bearer ${expired}` })).status).toBe(401);

    // One audit row per request that reaches case data, refusals included; no child data in the route.
    const before = await auditRows(stack);
    const calls: [string, string, unknown?, PersonaName?][] = [
      ['GET', `/proceedings/${id}`],
      ['GET', `/proceedings?caseId=${caseId}`, undefined, 'worker'],
      ['GET', `/proceedings/${id}/timetable`, undefined, 'courtTimetable'],
      ['POST', `/proceedings/${id}/stage`, { stage: 'gatekeeping', enteredOn: '2025-01-07' }],
      ['GET', `/proceedings/${id}`, undefined, 'otherCouncilLegal'],
    ];
    for (const [method, path, body, who] of calls) await api(method, path, body, who);
    expect(await auditRows(stack)).toBe(before + calls.length);
    const rows = await stack.sql<any>(
      'plo',
      'SELECT subject, council_id, action, resource_type, resource_id, route, status FROM audit_log ORDER BY id DESC LIMIT 5',
    );
    expect(rows.reverse().map((r) => [r.subject, r.action, r.resource_id, r.route, r.status])).toEqual([
      ['legal.kim', 'consultation', id, 'GET /proceedings/:id', 200],
      ['sw.alex', 'consultation', null, 'GET /proceedings', 200],
      ['hmcts-timetable', 'disclosure', id, 'GET /proceedings/:id/timetable', 200],
      ['legal.kim', 'alteration', id, 'POST /proceedings/:id/stage', 200],
      ['legal.lee', 'consultation', id, 'GET /proceedings/:id', 404],
    ]);
    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    expect(events.map((e) => e.actor)).toContainEqual({ kind: 'user', id: 'legal.kim' });
  }, 60_000);

  it("council rules: a council's own review cadence and warning week, announced by the cases service, set its deadlines and no one else's; an older announcement changes nothing", async () => {
    await setClock(stack, plo, '2025-01-06T09:00:00Z');
    const councilId = `rules-${stack.id}`;
    const legal = await stack.as({ ...PERSONAS.legal, councilId });
    const announce = (version: number, ruleId: string, change: 'overridden' | 'reset', offset: number, previous: number) =>
      createEnvelope(
        'urn:plo:cases',
        EventTypes.councilRulesChanged,
        councilSubject(councilId),
        {
          councilId,
          ruleId,
          change,
          version,
          period: { offset, unit: 'weeks', counting: 'simple' },
          previousPeriod: { offset: previous, unit: 'weeks', counting: 'simple' },
        },
        { correlationId: randomUUID(), actor: { kind: 'user', id: 'hos.pat' } },
      );
    const rulesVersion = () =>
      eventually(
        () => stack.sql<{ version: number }>('plo', 'SELECT version FROM council_rule_sets WHERE council_id = $1', [councilId]),
        (rows) => rows.length === 1,
        30_000,
        'PLO to apply the council rule change',
      );
    const produce = async (...events: ReturnType<typeof announce>[]) =>
      stack.produce(
        Topics.caseEvents,
        events.map((event) => ({ key: event.subject, value: JSON.stringify(event) })),
      );
    // Version 2 then version 1 again, as a replay would bring it: the later setting stands.
    await produce(
      announce(1, 'pre-proceedings-review', 'overridden', 8, 6),
      announce(2, 'pre-proceedings-review', 'overridden', 4, 8),
      announce(3, 'proceedings-warning-week-20', 'overridden', 18, 20),
    );
    const stale = announce(1, 'pre-proceedings-review', 'overridden', 8, 6);
    await produce(stale);
    await eventually(
      () => stack.sql('plo', 'SELECT 1 FROM processed_events WHERE message_id = $1', [stale.id]),
      (rows) => rows.length === 1,
      30_000,
      'the replayed change',
    );
    expect((await rulesVersion())[0].version).toBe(3);

    const nextReviewAfterMeeting = async (caseId: string, who: Record<string, string>) => {
      const id = (
        await request('POST', `${plo.url}/pre-proceedings`, { caseId, decidedOn: '2025-01-02', decision: 'pre-proceedings' }, who)
      ).body.id;
      await request('POST', `${plo.url}/pre-proceedings/${id}/letter`, { sentOn: '2025-01-06' }, who);
      const met = await request('POST', `${plo.url}/pre-proceedings/${id}/meetings`, { heldOn: '2025-01-13' }, who);
      return met.body.obligations.find((o: any) => o.kind === 'pre-proceedings-review').dueDate;
    };
    const ours = await announceCase(stack, plo, { councilId });
    const theirs = await announceCase(stack, plo);
    expect(await nextReviewAfterMeeting(ours.caseId, legal)).toBe('2025-02-10');
    expect(await nextReviewAfterMeeting(theirs.caseId, as.legal)).toBe('2025-02-24');

    const issued = await issueProceedings(plo, legal, ours.caseId, [randomUUID()]);
    expect(issued.body.noFinalHearingWarningOn).toBe('2025-05-12');
    const [{ warning_week }] = await stack.sql<{ warning_week: number }>(
      'plo',
      'SELECT no_final_hearing_warning_week AS warning_week FROM proceedings WHERE id = $1',
      [issued.body.proceedingsId],
    );
    expect(warning_week).toBe(18);

    await produce(announce(4, 'pre-proceedings-review', 'reset', 6, 4));
    await eventually(rulesVersion, (rows) => rows[0].version === 4, 30_000, 'the reset');
    const again = await announceCase(stack, plo, { councilId });
    expect(await nextReviewAfterMeeting(again.caseId, legal)).toBe('2025-02-24');
  }, 90_000);
});
