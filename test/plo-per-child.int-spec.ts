import { randomUUID } from 'node:crypto';
import { EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, announceChild, issueProceedings, PersonaName, setClock, signIn } from './plo-support';

/**
 * One truth per child (issue 15) in the PLO service: each child's legal involvement announced on
 * the proceedings topic, a child joining proceedings with their own clock, one child's proceedings
 * ending while a sibling's go on, orders per child, the pre-proceedings period extended for a
 * reason (records from before this release: plo-upgrade.int-spec.ts).
 */
describe('PLO per child', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;
  let alerting: ServiceProcess;
  let as: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true', PLO_DRIFT_SWEEP_INTERVAL_MS: '300' });
    // Alerting follows PLO's projections per child: a sibling's still alerts when one child's ends. It
    // keeps PLO's day, so the 26 weeks have not yet drifted (a drift already raised makes a projection no news).
    alerting = stack.service('alerting', { TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'test' });
    [as] = await Promise.all([signIn(stack), plo.start(), alerting.start()]);
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const api = (method: string, path: string, body?: unknown, who: PersonaName = 'legal') =>
    request(method, `${plo.url}${path}`, body, as[who]);
  const view = async (id: string) => (await api('GET', `/proceedings/${id}`)).body;
  const ofType = (events: any[], type: string) => events.filter((e) => e.type === type).map((e) => e.data);
  const fieldsOf = (body: any) => body.fields.map((f: any) => f.field);
  /** Waits until the case's events on the proceedings topic include `count` of `type`. */
  const eventsWith = (caseId: string, type: string, count: number) =>
    eventually(
      async () => (await stack.readTopic(Topics.proceedingsEvents)).filter((m) => m.key === caseId).map((m) => JSON.parse(m.value)),
      (events) => ofType(events, type).length >= count,
      30_000,
      `${count} ${type} of case ${caseId}`,
    );

  it('a baby joins proceedings with their own issue date, 26 weeks and completion obligation; joining is refused for a child already in them, not of the case, or on a wrong date', async () => {
    await setClock(stack, plo, '2025-03-10T09:00:00Z');
    const [first, second] = [randomUUID(), randomUUID()];
    const { caseId } = await announceCase(stack, plo, { childIds: [first, second] });
    const id = (await issueProceedings(plo, as.legal, caseId, [first, second])).body.proceedingsId;
    const baby = await announceChild(stack, caseId);
    const join = (body: object) => api('POST', `/proceedings/${id}/children`, body);

    const joined = await join({ childId: baby, issuedOn: '2025-03-03' });
    expect(joined.status).toBe(201);
    // 26 weeks beginning with Mon 3 Mar 2025: the last day is Sun 31 Aug 2025; the siblings' stay Sun 6 Jul.
    expect(joined.body).toMatchObject({
      childId: baby,
      issuedOn: '2025-03-03',
      completionDate: '2025-08-31',
      caseCompletionDate: '2025-08-31',
    });
    expect(joined.body.explanation).toContain('Mon 3 Mar 2025');

    const again = await join({ childId: baby, issuedOn: '2025-03-03' });
    expect([again.status, fieldsOf(again.body)]).toEqual([409, ['childId']]);
    const stranger = await join({ childId: randomUUID(), issuedOn: '2025-03-03' });
    expect([stranger.status, fieldsOf(stranger.body)]).toEqual([422, ['childId']]);
    const other = await announceChild(stack, caseId);
    const early = await join({ childId: other, issuedOn: '2025-01-05' });
    expect([early.status, fieldsOf(early.body)]).toEqual([400, ['issuedOn']]);
    const future = await join({ childId: other, issuedOn: '2025-03-11' });
    expect([future.status, fieldsOf(future.body)]).toEqual([400, ['issuedOn']]);

    const record = await view(id);
    expect(record.caseCompletionDate).toBe('2025-08-31');
    expect(record.children.map((c: any) => [c.childId, c.issuedOn, c.completionDate, c.status])).toEqual(
      [
        [first, '2025-01-06', '2025-07-06', 'open'],
        [second, '2025-01-06', '2025-07-06', 'open'],
        [baby, '2025-03-03', '2025-08-31', 'open'],
      ].sort((a, b) => a[0].localeCompare(b[0])),
    );
    const babyObligation = record.obligations.find((o: any) => o.kind === 'proceedings-completion' && o.childId === baby);
    expect(babyObligation).toMatchObject({ dueDate: '2025-08-31', status: 'open' });

    const events = await eventsWith(caseId, EventTypes.legalInvolvementStarted, 3);
    expect(ofType(events, EventTypes.childJoinedProceedings)).toEqual([
      {
        caseId,
        proceedingsId: id,
        childId: baby,
        issuedOn: '2025-03-03',
        completionDate: '2025-08-31',
        hmctsDisplayDate: '2025-09-01',
        caseCompletionDate: '2025-08-31',
      },
    ]);
    expect(ofType(events, EventTypes.legalInvolvementStarted).map((e) => [e.childId, e.involvement, e.involvementId, e.startDate])).toEqual(
      [
        [first, 'care-proceedings', id, '2025-01-06'],
        [second, 'care-proceedings', id, '2025-01-06'],
        [baby, 'care-proceedings', id, '2025-03-03'],
      ],
    );
    // The 26 weeks are statute: said so on every child's completion obligation.
    const completions = ofType(events, EventTypes.obligationScheduled).filter((o) => o.kind === 'proceedings-completion');
    expect(completions.map((o) => [o.childId, o.dueDate, o.authority])).toEqual([
      [first, '2025-07-06', 'statute'],
      [second, '2025-07-06', 'statute'],
      [baby, '2025-08-31', 'statute'],
    ]);
  }, 90_000);

  it("orders per child; one child's final order ends their proceedings and projection while a sibling's go on; the last child's ends the proceedings", async () => {
    await setClock(stack, plo, '2025-03-10T09:00:00Z');
    await setClock(stack, alerting, '2025-03-10T09:00:00Z');
    const [first, second] = [randomUUID(), randomUUID()];
    const { caseId } = await announceCase(stack, plo, { childIds: [first, second] });
    const id = (await issueProceedings(plo, as.legal, caseId, [first, second])).body.proceedingsId;
    const order = (body: object) => api('POST', `/proceedings/${id}/orders`, body);

    const ico = await order({ childId: first, order: 'interim-care-order', madeOn: '2025-01-07' });
    expect(ico.status).toBe(201);
    expect(ico.body).toMatchObject({ caseId, proceedingsId: id, childId: first, order: 'interim-care-order', madeOn: '2025-01-07' });
    expect((await order({ childId: second, order: 'interim-supervision-order', madeOn: '2025-01-07', endsOn: '2025-02-04' })).status).toBe(
      201,
    );
    const outsider = await order({ childId: randomUUID(), order: 'interim-care-order', madeOn: '2025-01-07' });
    expect([outsider.status, fieldsOf(outsider.body)]).toEqual([422, ['childId']]);
    const beforeIssue = await order({ childId: first, order: 'interim-care-order', madeOn: '2025-01-05' });
    expect([beforeIssue.status, fieldsOf(beforeIssue.body)]).toEqual([400, ['madeOn']]);
    const backwards = await order({ childId: first, order: 'interim-care-order', madeOn: '2025-02-01', endsOn: '2025-01-31' });
    expect([backwards.status, fieldsOf(backwards.body)]).toEqual([400, ['endsOn']]);
    expect(fieldsOf((await order({ childId: first, order: 'residence-order', madeOn: '2025-01-07' })).body)).toEqual(['order']);

    // A final hearing after both completion dates: both children are projected to overrun.
    const hearing = await api('POST', `/proceedings/${id}/hearings`, {
      hearingType: 'final',
      startsAt: '2025-07-21T09:30:00Z',
      listingStatus: 'fixed',
    });
    expect(hearing.status).toBe(201);
    expect((await view(id)).projectedDrift.map((d: any) => d.childId).sort()).toEqual([first, second].sort());

    const concluded = await api('POST', `/proceedings/${id}/children/${first}/conclusion`, {
      outcome: 'final-order',
      concludedOn: '2025-03-07',
      finalOrder: 'care-order',
    });
    expect(concluded.status).toBe(200);
    expect(concluded.body).toMatchObject({
      childId: first,
      outcome: 'final-order',
      concludedOn: '2025-03-07',
      completionDate: '2025-07-06',
      withinTimescale: true,
      stage: 'issued',
      finalOrder: { order: 'care-order', madeOn: '2025-03-07' },
    });
    const twice = await api('POST', `/proceedings/${id}/children/${first}/conclusion`, { outcome: 'withdrawn', concludedOn: '2025-03-08' });
    expect([twice.status, twice.body.currentStatus]).toEqual([409, 'concluded']);
    const interimAfterFinal = await order({ childId: first, order: 'interim-care-order', madeOn: '2025-03-08' });
    expect([interimAfterFinal.status, fieldsOf(interimAfterFinal.body), interimAfterFinal.body.currentStatus]).toEqual([
      409,
      ['order'],
      'final-order',
    ]);
    const withdrawnWithOrder = await api('POST', `/proceedings/${id}/children/${second}/conclusion`, {
      outcome: 'withdrawn',
      concludedOn: '2025-03-08',
      finalOrder: 'care-order',
    });
    expect([withdrawnWithOrder.status, fieldsOf(withdrawnWithOrder.body)]).toEqual([400, ['finalOrder']]);

    const during = await view(id);
    expect(during.stage).toBe('issued');
    expect(during.projectedDrift.map((d: any) => d.childId)).toEqual([second]);
    const child = (childId: string) => during.children.find((c: any) => c.childId === childId);
    expect(child(first)).toMatchObject({ status: 'concluded', outcome: 'final-order', concludedOn: '2025-03-07' });
    expect(child(first).orders.map((o: any) => [o.order, o.madeOn])).toEqual([
      ['interim-care-order', '2025-01-07'],
      ['care-order', '2025-03-07'],
    ]);
    expect(child(second)).toMatchObject({ status: 'open', outcome: null, concludedOn: null });
    expect(child(second).orders.map((o: any) => [o.order, o.madeOn, o.endsOn])).toEqual([
      ['interim-supervision-order', '2025-01-07', '2025-02-04'],
    ]);
    expect(during.obligations.filter((o: any) => o.kind === 'proceedings-completion').map((o: any) => [o.childId, o.status])).toEqual(
      expect.arrayContaining([
        [first, 'satisfied'],
        [second, 'open'],
      ]),
    );

    const projectedDriftAlerts = async () => {
      const items: any[] = [];
      for (const state of ['active', 'resolved']) {
        const listed = await request('GET', `${alerting.url}/alerts?level=projected-drift&state=${state}`, undefined, as.manager);
        expect(listed.status).toBe(200);
        items.push(...listed.body.items);
      }
      return items.filter((alert) => alert.caseId === caseId);
    };
    const alerts = await eventually(
      projectedDriftAlerts,
      (items) => items.length === 2 && items.some((alert) => alert.childId === first && alert.state === 'resolved'),
      30_000,
      "alerting to follow each child's projection",
    );
    // The final order met the first child's 26 weeks (obligation-satisfied comes before the projection
    // is cleared), so alerting resolves that child's projected drift as met; the sibling's stays open.
    expect(alerts.map((alert) => [alert.childId, alert.state, alert.resolution]).sort()).toEqual(
      [
        [first, 'resolved', 'met'],
        [second, 'open', null],
      ].sort(),
    );

    const last = await api('POST', `/proceedings/${id}/children/${second}/conclusion`, { outcome: 'withdrawn', concludedOn: '2025-03-10' });
    expect(last.body).toMatchObject({ outcome: 'withdrawn', stage: 'final-order' });
    const after = await view(id);
    expect([after.stage, after.concludedOn, after.projectedDrift, after.obligations.filter((o: any) => o.status === 'open')]).toEqual([
      'final-order',
      '2025-03-10',
      [],
      [],
    ]);

    const events = await eventsWith(caseId, EventTypes.proceedingsConcluded, 1);
    expect(ofType(events, EventTypes.orderMade).map((o) => [o.childId, o.order])).toEqual([
      [first, 'interim-care-order'],
      [second, 'interim-supervision-order'],
      [first, 'care-order'],
    ]);
    expect(
      ofType(events, EventTypes.childProceedingsConcluded).map((c) => [c.childId, c.outcome, c.concludedOn, c.withinTimescale]),
    ).toEqual([
      [first, 'final-order', '2025-03-07', true],
      [second, 'withdrawn', '2025-03-10', true],
    ]);
    expect(ofType(events, EventTypes.legalInvolvementEnded).map((e) => [e.childId, e.involvement, e.endDate, e.reason])).toEqual([
      [first, 'care-proceedings', '2025-03-07', 'care proceedings concluded: final-order'],
      [second, 'care-proceedings', '2025-03-10', 'care proceedings concluded: withdrawn'],
    ]);
    // The first child's projection cleared when their proceedings ended; the sibling's only with theirs.
    expect(ofType(events, EventTypes.driftProjectionCleared).map((c) => c.childId)).toEqual([first, second]);
    expect(ofType(events, EventTypes.proceedingsConcluded)).toEqual([
      expect.objectContaining({
        outcome: 'final-order',
        concludedOn: '2025-03-10',
        children: expect.arrayContaining([
          { childId: first, completionDate: '2025-07-06', withinTimescale: true },
          { childId: second, completionDate: '2025-07-06', withinTimescale: true },
        ]),
      }),
    ]);
  }, 90_000);

  it('concluding the whole proceedings concludes each child still in them, with the per-child events', async () => {
    await setClock(stack, plo, '2025-03-10T09:00:00Z');
    const [first, second] = [randomUUID(), randomUUID()];
    const { caseId } = await announceCase(stack, plo, { childIds: [first, second] });
    const id = (await issueProceedings(plo, as.legal, caseId, [first, second])).body.proceedingsId;
    expect((await api('POST', `/proceedings/${id}/stage`, { stage: 'withdrawn', enteredOn: '2025-01-20' })).status).toBe(200);

    const record = await view(id);
    expect(record.children.map((c: any) => [c.status, c.outcome, c.concludedOn])).toEqual([
      ['concluded', 'withdrawn', '2025-01-20'],
      ['concluded', 'withdrawn', '2025-01-20'],
    ]);
    const joinLate = await api('POST', `/proceedings/${id}/children`, {
      childId: await announceChild(stack, caseId),
      issuedOn: '2025-02-01',
    });
    expect([joinLate.status, joinLate.body.currentStage]).toEqual([409, 'withdrawn']);

    const events = await eventsWith(caseId, EventTypes.proceedingsConcluded, 1);
    expect(
      ofType(events, EventTypes.childProceedingsConcluded)
        .map((c) => [c.childId, c.outcome])
        .sort(),
    ).toEqual(
      [
        [first, 'withdrawn'],
        [second, 'withdrawn'],
      ].sort(),
    );
    expect(
      ofType(events, EventTypes.legalInvolvementEnded)
        .map((e) => e.childId)
        .sort(),
    ).toEqual([first, second].sort());
    expect(ofType(events, EventTypes.proceedingsConcluded)).toHaveLength(1);
  }, 60_000);

  it('pre-proceedings: each child of the case (and a baby added during them) is in legal involvement; the 16 weeks (guidance) extend for a recorded reason', async () => {
    await setClock(stack, plo, '2025-03-10T09:00:00Z');
    const [first, second] = [randomUUID(), randomUUID()];
    const { caseId } = await announceCase(stack, plo, { childIds: [first, second] });
    const id = (await api('POST', '/pre-proceedings', { caseId, decidedOn: '2025-01-02', decision: 'pre-proceedings' })).body.id;
    const extend = (body: object) => api('POST', `/pre-proceedings/${id}/extension`, body);

    const tooSoon = await extend({ newEndDate: '2025-06-30', reason: 'The baby is due in May', decidedOn: '2025-01-03' });
    expect([tooSoon.status, tooSoon.body.currentStatus]).toEqual([409, 'decided']);
    await api('POST', `/pre-proceedings/${id}/letter`, { sentOn: '2025-01-06' });
    const baby = await announceChild(stack, caseId, randomUUID(), new Date('2025-02-10T11:00:00Z'));

    const notLater = await extend({ newEndDate: '2025-04-28', reason: 'The baby is due in May', decidedOn: '2025-02-03' });
    expect([notLater.status, fieldsOf(notLater.body)]).toEqual([400, ['newEndDate']]);
    expect(fieldsOf((await extend({ newEndDate: '2025-06-30', reason: '', decidedOn: '2025-02-03' })).body)).toEqual(['reason']);
    expect(fieldsOf((await extend({ newEndDate: '2025-06-30', reason: 'The baby is due in May', decidedOn: '2025-03-11' })).body)).toEqual([
      'decidedOn',
    ]);
    const extended = await extend({
      newEndDate: '2025-06-30',
      reason: 'The baby is due in May; assess after the birth',
      decidedOn: '2025-02-03',
    });
    expect(extended.status).toBe(200);
    expect(extended.body.obligations.find((o: any) => o.kind === 'pre-proceedings-limit')).toMatchObject({
      dueDate: '2025-06-30',
      status: 'open',
    });
    expect(extended.body.extensions).toEqual([
      expect.objectContaining({
        decidedOn: '2025-02-03',
        previousEndDate: '2025-04-28',
        newEndDate: '2025-06-30',
        reason: 'The baby is due in May; assess after the birth',
        recordedBy: 'legal.kim',
      }),
    ]);

    // The decision to issue is recorded as of 7 Feb, before the baby was added (10 Feb).
    expect((await api('POST', `/pre-proceedings/${id}/outcome`, { outcome: 'issue', decidedOn: '2025-02-07' })).status).toBe(200);

    const events = await eventsWith(caseId, EventTypes.legalInvolvementEnded, 3);
    // The family's children from the gateway decision; the baby from the day the cases service added them.
    expect(ofType(events, EventTypes.legalInvolvementStarted).map((e) => [e.childId, e.involvement, e.involvementId, e.startDate])).toEqual(
      [
        ...[first, second].sort().map((childId) => [childId, 'pre-proceedings', id, '2025-01-02']),
        [baby, 'pre-proceedings', id, '2025-02-10'],
      ],
    );
    expect(ofType(events, EventTypes.legalInvolvementEnded).map((e) => [e.childId, e.endDate, e.reason])).toEqual(
      [first, second, baby]
        .sort()
        // Nobody's involvement ends before it started: the baby's ends the day it began.
        .map((childId) => [childId, childId === baby ? '2025-02-10' : '2025-02-07', 'pre-proceedings ended: proceedings to be issued']),
    );
    expect(ofType(events, EventTypes.preProceedingsExtended)).toEqual([
      {
        caseId,
        preProceedingsId: id,
        previousEndDate: '2025-04-28',
        newEndDate: '2025-06-30',
        reason: 'The baby is due in May; assess after the birth',
        decidedOn: '2025-02-03',
      },
    ]);
    // The 16 weeks are guidance, the review cadence the council's: said so when scheduled and when moved.
    const limits = ofType(events, EventTypes.obligationScheduled).filter((o) => o.kind === 'pre-proceedings-limit');
    expect(limits.map((o) => [o.dueDate, o.authority])).toEqual([
      ['2025-04-28', 'guidance'],
      ['2025-06-30', 'guidance'],
    ]);
    expect(limits[1].explanation).toContain('The baby is due in May');
  }, 90_000);
});
