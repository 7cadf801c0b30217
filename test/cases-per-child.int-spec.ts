import { randomUUID } from 'node:crypto';
import { createEnvelope, EventEnvelope, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { newCase, request, SIBLINGS } from './api';

type Obligation = {
  id: string;
  kind: string;
  ruleId: string;
  dueDate: string;
  status: string;
  childId: string | null;
  subjectId: string | null;
};
type Status = {
  id: string;
  status: string;
  basis: string | null;
  startDate: string;
  endDate: string | null;
  source: string;
  endReason: string | null;
};
type Child = { id: string; firstName: string; statuses: Status[]; statusHistory: Status[] };

/**
 * One truth per child (docs/per-child.md), over HTTP and the broker: siblings with different
 * statuses owe different visits and reviews; a looked-after child's change of basis keeps the reg 33
 * series and reg 28 visits; PLO's events (legal involvement, orders) become the child's statuses; the
 * same visit entered twice is one; a child's next visit does not depend on the order facts arrived in.
 * The service's clock is fixed at 26 Nov 2026.
 */
describe('cases service: statuses, visits and reviews per child', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  const council = `c${stack.id}`;
  const admin = { subject: 'sw.alex', councilId: council, roles: ['administrator' as const], teamIds: ['north-1'] };

  beforeAll(async () => {
    cases = await stack
      .service('cases', { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true', CONSUMER_MAX_ATTEMPTS: '2', CONSUMER_RETRY_BACKOFF_MS: '50' })
      .start();
    const clock = await request('PUT', `${cases.url}/test/clock`, { at: '2026-11-26T12:00:00.000Z' }, await stack.as(admin));
    expect(clock.status).toBe(200);
  }, 90_000);

  afterAll(() => stack.stop(), 60_000);

  const call = async (method: string, path: string, body?: unknown) => request(method, `${cases.url}${path}`, body, await stack.as(admin));
  const post = (path: string, body: unknown) => call('POST', path, body);
  const record = async (caseId: string) => (await call('GET', `/cases/${caseId}`)).body;
  const open = async (overrides: Record<string, unknown> = {}) => {
    const opened = await post('/cases', newCase({ councilId: council, openedOn: '2026-11-02', ...overrides }));
    expect(opened.status).toBe(201);
    return opened.body;
  };
  const openVisits = (body: { obligations: Obligation[] }, childId: string) =>
    body.obligations.filter((o) => o.kind === 'visit' && o.status === 'open' && o.childId === childId).map((o) => [o.ruleId, o.dueDate]);
  const openReviews = (body: { obligations: Obligation[] }) =>
    body.obligations.filter((o) => o.kind.endsWith('review') && o.status === 'open').map((o) => [o.kind, o.childId]);
  const childNamed = (body: { children: Child[] }, firstName: string) => body.children.find((c) => c.firstName === firstName)!;
  const visit = (caseId: string, visitedOn: string, childrenSeen: string[], visitType = 'home') =>
    post(`/cases/${caseId}/visits`, {
      visitedOn,
      visitType,
      visitorId: 'sw.alex',
      childSeen: true,
      childrenSeen,
      seenAlone: true,
      bedroomSeen: false,
      purpose: 'statutory-visit',
    });
  const caseEvents = async (caseId: string) =>
    (await stack.readTopic(Topics.caseEvents, 0, 5_000))
      .filter((m) => m.key === caseId)
      .map((m) => JSON.parse(m.value) as EventEnvelope<Record<string, any>>);

  /** An event as the PLO service publishes it, on its topic. */
  const fromPlo = async (type: string, caseId: string, data: Record<string, unknown>) => {
    const event = createEnvelope(
      'urn:plo:proceedings',
      type,
      caseId,
      { caseId, ...data },
      {
        correlationId: randomUUID(),
        actor: { kind: 'user', id: 'law.kim' },
      },
    );
    await stack.produce(Topics.proceedingsEvents, [{ key: caseId, value: JSON.stringify(event) }]);
    return event;
  };
  const processed = (messageId: string) =>
    eventually(
      () => stack.sql<{ outcome: string }>('cases', 'SELECT outcome FROM processed_events WHERE message_id = $1', [messageId]),
      (rows) => rows.length === 1,
      30_000,
      `cases to process ${messageId}`,
    ).then((rows) => rows[0].outcome);

  it('siblings hold different statuses: each owes visits at their own cadence and has their own review series', async () => {
    const opened = await open({ legalStatus: 'child-in-need', children: SIBLINGS });
    const [ana, ben] = [childNamed(opened, 'Ana').id, childNamed(opened, 'Ben').id];
    expect(childNamed(opened, 'Ana').statuses.map((s) => [s.status, s.startDate, s.source])).toEqual([
      ['child-in-need', '2026-11-02', 'recorded'],
    ]);

    // Ana comes into care under an interim care order; Ben stays a child in need.
    const ico = await post(`/cases/${opened.id}/children/${ana}/statuses`, {
      status: 'looked-after',
      basis: 'interim-care-order',
      startDate: '2026-11-10',
      placement: { startedOn: '2026-11-10', intendedToLastUntil18: false },
    });
    expect(ico.status).toBe(201);
    expect(childNamed(ico.body, 'Ana').statuses.map((s) => [s.status, s.basis])).toEqual([
      ['child-in-need', null],
      ['looked-after', 'interim-care-order'],
    ]);
    expect(openVisits(ico.body, ana)).toEqual([['lac-visit-placement-start', '2026-11-17']]);
    expect(openVisits(ico.body, ben)).toEqual([['cin-visit', '2026-12-14']]);
    expect(openReviews(ico.body)).toEqual([['lac-review', ana]]);
    const anaSeries = ico.body.obligations.find((o: Obligation) => o.kind === 'lac-review');
    expect(anaSeries).toMatchObject({ ruleId: 'lac-review-first', dueDate: '2026-12-08' });

    // Ben coming into care too starts Ben's own series: a sibling's series is not "already scheduled".
    const s20 = await post(`/cases/${opened.id}/children/${ben}/statuses`, {
      status: 'looked-after',
      basis: 'section-20',
      startDate: '2026-11-20',
    });
    expect(s20.status).toBe(201);
    expect(openReviews(s20.body)).toEqual([
      ['lac-review', ana],
      ['lac-review', ben],
    ]);
    expect(s20.body.obligations.find((o: Obligation) => o.id === anaSeries.id)).toMatchObject({ status: 'open', dueDate: '2026-12-08' });

    // Ending Ben's looked-after status ends Ben's series only; Ben is visited as a child in need again.
    const bensStatus = childNamed(s20.body, 'Ben').statuses.find((s) => s.status === 'looked-after')!;
    const ended = await post(`/cases/${opened.id}/children/${ben}/statuses/${bensStatus.id}/end`, {
      endDate: '2026-11-24',
      reason: 'returned home',
    });
    expect(ended.status).toBe(201);
    expect(openReviews(ended.body)).toEqual([['lac-review', ana]]);
    expect(openVisits(ended.body, ben)).toEqual([['cin-visit', '2026-12-14']]);
    expect(childNamed(ended.body, 'Ben').statusHistory.map((s) => [s.status, s.startDate, s.endDate, s.endReason])).toEqual([
      ['child-in-need', '2026-11-02', null, null],
      ['looked-after', '2026-11-20', '2026-11-24', 'returned home'],
    ]);
    const reviews = (await call('GET', `/cases/${opened.id}/reviews`)).body as { childId: string; status: string }[];
    expect(reviews.map((r) => [r.childId, r.status])).toEqual([
      [ana, 'scheduled'],
      [ben, 'cancelled'],
    ]);

    // Ana's interim care order becomes a care order: the same looked-after period, the same review series.
    const careOrder = await post(`/cases/${opened.id}/children/${ana}/statuses`, {
      status: 'looked-after',
      basis: 'care-order',
      startDate: '2026-11-25',
    });
    expect(careOrder.status).toBe(201);
    expect(
      childNamed(careOrder.body, 'Ana')
        .statusHistory.filter((s) => s.status === 'looked-after')
        .map((s) => [s.basis, s.startDate, s.endDate]),
    ).toEqual([
      ['interim-care-order', '2026-11-10', '2026-11-25'],
      ['care-order', '2026-11-25', null],
    ]);
    expect(careOrder.body.obligations.find((o: Obligation) => o.id === anaSeries.id)).toMatchObject({
      status: 'open',
      dueDate: '2026-12-08',
    });
    expect(openVisits(careOrder.body, ana)).toEqual(openVisits(ended.body, ana));
    const sameBasis = { status: 'looked-after', basis: 'care-order', startDate: '2026-11-25' };
    expect((await post(`/cases/${opened.id}/children/${ana}/statuses`, sameBasis)).status).toBe(409);

    // The events say whose status it was, and whose review.
    const events = await eventually(
      () => caseEvents(opened.id),
      (es) => es.filter((e) => e.type === EventTypes.childStatusEnded).length >= 2,
      30_000,
      'the status events',
    );
    expect(
      events.filter((e) => e.type === EventTypes.childStatusStarted).map((e) => [e.data.childId, e.data.status, e.data.basis]),
    ).toEqual([
      [ana, 'child-in-need', undefined],
      [ben, 'child-in-need', undefined],
      [ana, 'looked-after', 'interim-care-order'],
      [ben, 'looked-after', 'section-20'],
      [ana, 'looked-after', 'care-order'],
    ]);
    expect(events.filter((e) => e.type === EventTypes.reviewScheduled).map((e) => e.data.childId)).toEqual([ana, ben]);
    expect(events.find((e) => e.type === EventTypes.reviewCancelled)!.data).toMatchObject({ childId: ben, reason: 'returned home' });
  }, 60_000);

  it('refuses contradictions naming the field, and `plo` on the v1 endpoint', async () => {
    const opened = await open({ legalStatus: 'child-in-need' });
    const child = opened.children[0].id;
    const statuses = `/cases/${opened.id}/children/${child}/statuses`;
    const fieldsOf = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field);

    const noBasis = await post(statuses, { status: 'looked-after', startDate: '2026-11-10' });
    expect([noBasis.status, fieldsOf(noBasis.body)]).toEqual([422, ['basis']]);
    const basisRefused = await post(statuses, { status: 'child-protection-plan', basis: 'section-20', startDate: '2026-11-10' });
    expect([basisRefused.status, fieldsOf(basisRefused.body)]).toEqual([422, ['basis']]);
    const future = await post(statuses, { status: 'child-protection-plan', startDate: '2026-12-10' });
    expect([future.status, fieldsOf(future.body)]).toEqual([422, ['startDate']]);
    expect((await post(statuses, { status: 'child-in-need', startDate: '2026-11-10' })).status).toBe(409);
    expect((await post(statuses, { status: 'pre-proceedings', startDate: '2026-11-10' })).status).toBe(400);

    const cin = opened.children[0].statuses[0].id;
    const early = await post(`${statuses}/${cin}/end`, { endDate: '2026-10-01', reason: 'x' });
    expect([early.status, fieldsOf(early.body)]).toEqual([422, ['endDate']]);
    expect((await post(`${statuses}/${cin}/end`, { endDate: '2026-11-20', reason: 'plan ended' })).status).toBe(201);
    expect((await post(`${statuses}/${cin}/end`, { endDate: '2026-11-21', reason: 'again' })).status).toBe(409);
    expect(
      (await post(`/cases/${opened.id}/children/${randomUUID()}/statuses`, { status: 'child-in-need', startDate: '2026-11-10' })).status,
    ).toBe(404);

    const read = await call('GET', `/cases/${opened.id}`);
    const plo = await request(
      'POST',
      `${cases.url}/cases/${opened.id}/legal-status`,
      { legalStatus: 'plo', startDate: '2026-11-20' },
      { ...(await stack.as(admin)), 'if-match': read.headers.get('etag')! },
    );
    expect(plo.status).toBe(422);
    expect(plo.body.fields[0].field).toBe('legalStatus');
    expect(plo.body.message).toContain('PLO service');
    expect((await post('/cases', newCase({ councilId: council, legalStatus: 'plo' }))).status).toBe(422);
  }, 60_000);

  it("PLO's events: proceedings and an ICO make the child looked after; a care order changes the basis without restarting the series", async () => {
    const opened = await open({ legalStatus: 'child-protection-plan', openedOn: '2026-11-02' });
    const child = opened.children[0].id;
    const proceedingsId = randomUUID();
    await fromPlo(EventTypes.legalInvolvementStarted, opened.id, {
      childId: child,
      involvement: 'care-proceedings',
      involvementId: proceedingsId,
      startDate: '2026-11-05',
    });
    const ico = await fromPlo(EventTypes.orderMade, opened.id, {
      proceedingsId,
      childId: child,
      orderId: randomUUID(),
      order: 'interim-care-order',
      madeOn: '2026-11-05',
    });
    expect(await processed(ico.id)).toBe('applied');
    const underIco = await record(opened.id);
    expect(underIco.legalInvolvedSince).toBe('2026-11-05');
    expect(underIco.legalStatus).toBe('plo');
    expect(underIco.children[0].statuses.map((s: Status) => [s.status, s.basis, s.source])).toEqual([
      ['child-protection-plan', null, 'recorded'],
      ['care-proceedings', null, 'legal-involvement'],
      ['looked-after', 'interim-care-order', 'court-order'],
    ]);
    const series = underIco.obligations.filter((o: Obligation) => o.kind === 'lac-review');
    expect(series).toHaveLength(1);
    const visitsUnderIco = openVisits(underIco, child);

    const careOrder = await fromPlo(EventTypes.orderMade, opened.id, {
      proceedingsId,
      childId: child,
      orderId: randomUUID(),
      order: 'care-order',
      madeOn: '2026-11-20',
    });
    expect(await processed(careOrder.id)).toBe('applied');
    const underCareOrder = await record(opened.id);
    expect(
      underCareOrder.children[0].statusHistory
        .filter((s: Status) => s.status === 'looked-after')
        .map((s: Status) => [s.basis, s.startDate, s.endDate]),
    ).toEqual([
      ['interim-care-order', '2026-11-05', '2026-11-20'],
      ['care-order', '2026-11-20', null],
    ]);
    // The reg 33 series and the visit carry on: same review, same obligation, same due date.
    expect(underCareOrder.obligations.filter((o: Obligation) => o.kind === 'lac-review')).toEqual(series);
    expect(openVisits(underCareOrder, child)).toEqual(visitsUnderIco);

    // The same event again is deduplicated by the inbox; the same order under another id changes nothing.
    await stack.produce(Topics.proceedingsEvents, [{ key: opened.id, value: JSON.stringify(careOrder) }]);
    const again = await fromPlo(EventTypes.orderMade, opened.id, {
      proceedingsId,
      childId: child,
      orderId: randomUUID(),
      order: 'care-order',
      madeOn: '2026-11-20',
    });
    expect(await processed(again.id)).toBe('ignored');
    const after = await record(opened.id);
    expect(after.children[0].statusHistory).toEqual(underCareOrder.children[0].statusHistory);
    expect(after.obligations).toEqual(underCareOrder.obligations);
    expect(after.version).toBe(underCareOrder.version);
    expect(
      (await stack.sql<{ n: number }>('cases', 'SELECT count(*)::int AS n FROM processed_events WHERE message_id = $1', [careOrder.id]))[0]
        .n,
    ).toBe(1);
  }, 60_000);

  it('withdrawn proceedings end an ICO; a supervision order sends a looked-after child home; an unknown child is dead-lettered', async () => {
    const opened = await open({ legalStatus: 'child-in-need', children: SIBLINGS });
    const [ana, ben] = [childNamed(opened, 'Ana').id, childNamed(opened, 'Ben').id];
    const proceedingsId = randomUUID();
    for (const childId of [ana, ben])
      await fromPlo(EventTypes.orderMade, opened.id, {
        proceedingsId,
        childId,
        orderId: randomUUID(),
        order: 'interim-care-order',
        madeOn: '2026-11-05',
      });
    const withdrawn = await fromPlo(EventTypes.childProceedingsConcluded, opened.id, {
      proceedingsId,
      childId: ana,
      outcome: 'withdrawn',
      concludedOn: '2026-11-18',
      completionDate: '2027-05-05',
      withinTimescale: true,
    });
    const supervision = await fromPlo(EventTypes.orderMade, opened.id, {
      proceedingsId,
      childId: ben,
      orderId: randomUUID(),
      order: 'supervision-order',
      madeOn: '2026-11-19',
    });
    expect([await processed(withdrawn.id), await processed(supervision.id)]).toEqual(['applied', 'applied']);
    const body = await record(opened.id);
    for (const name of ['Ana', 'Ben']) expect(childNamed(body, name).statuses.map((s) => s.status)).toEqual(['child-in-need']);
    expect(openReviews(body)).toEqual([]);
    expect(body.obligations.filter((o: Obligation) => o.kind === 'lac-review').map((o: Obligation) => o.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);

    const stranger = await fromPlo(EventTypes.orderMade, opened.id, {
      proceedingsId,
      childId: randomUUID(),
      orderId: randomUUID(),
      order: 'care-order',
      madeOn: '2026-11-20',
    });
    expect(await processed(stranger.id)).toBe('dead-lettered');
    const [deadLetter] = await stack.sql<{ error: string; council_id: string }>(
      'cases',
      'SELECT error, council_id FROM dead_letters WHERE message_id = $1',
      [stranger.id],
    );
    expect(deadLetter.error).toContain('has no child');
    expect(deadLetter.council_id).toBe(council);
  }, 90_000);

  it('the same visit entered twice is one visit: the second answers 200 with it and changes nothing', async () => {
    const opened = await open({ children: SIBLINGS });
    const [ana, ben] = [childNamed(opened, 'Ana').id, childNamed(opened, 'Ben').id];
    const first = await visit(opened.id, '2026-11-12', [ana, ben]);
    expect(first.status).toBe(201);
    const second = await visit(opened.id, '2026-11-12', [ben, ana]);
    expect(second.status).toBe(200);
    expect(second.body.visitId).toBe(first.body.visitId);
    expect(second.body.version).toBe(first.body.version);
    expect(second.body.obligations).toEqual(first.body.obligations);
    expect((await call('GET', `/cases/${opened.id}/visits`)).body).toHaveLength(1);
    // Another type the same day is another visit.
    expect((await visit(opened.id, '2026-11-12', [ana, ben], 'school')).status).toBe(201);

    const events = await eventually(
      () => caseEvents(opened.id),
      (es) => es.filter((e) => e.type === EventTypes.visitRecorded).length >= 2,
      30_000,
      'the visits',
    );
    expect(events.filter((e) => e.type === EventTypes.visitRecorded).map((e) => e.data.visitType)).toEqual(['home', 'school']);
    // One change of each child's obligation: the first visit met it and scheduled the next.
    expect(events.filter((e) => e.type === EventTypes.obligationSatisfied)).toHaveLength(2);
  }, 60_000);

  it("a child's next visit is computed from the child's facts, whatever order they were entered in", async () => {
    const visitFirst = await open({ legalStatus: 'child-in-need' });
    const statusFirst = await open({ legalStatus: 'child-in-need' });
    const cp = { status: 'child-protection-plan', startDate: '2026-11-15' };

    expect((await visit(visitFirst.id, '2026-11-10', [visitFirst.children[0].id])).status).toBe(201);
    const a = await post(`/cases/${visitFirst.id}/children/${visitFirst.children[0].id}/statuses`, cp);
    expect(a.status).toBe(201);

    expect((await post(`/cases/${statusFirst.id}/children/${statusFirst.children[0].id}/statuses`, cp)).status).toBe(201);
    const b = await visit(statusFirst.id, '2026-11-10', [statusFirst.children[0].id]);
    expect(b.status).toBe(201);

    const due = (body: { obligations: Obligation[]; children: { id: string }[] }) => openVisits(body, body.children[0].id);
    expect(due(a.body)).toEqual([['cp-visit', '2026-11-27']]);
    expect(due(b.body)).toEqual(due(a.body));
  }, 60_000);

  it('legal sees the case record once PLO published legal involvement (drives the real PLO service: needs its per-child events)', async () => {
    const plo = await stack.service('plo').start();
    const opened = await open({ legalStatus: 'child-protection-plan' });
    const legal = await stack.as({ subject: 'law.kim', councilId: council, roles: ['legal'], teamIds: [] });
    expect((await request('GET', `${cases.url}/cases/${opened.id}`, undefined, legal)).status).toBe(404);
    const issued = await eventually(
      () =>
        request(
          'POST',
          `${plo.url}/proceedings`,
          {
            caseId: opened.id,
            court: 'Test Family Court',
            courtCaseNumber: `TC${opened.id.slice(0, 8).toUpperCase()}`,
            issuedOn: '2026-11-16',
            submittedOn: '2026-11-16',
            childIds: [opened.children[0].id],
          },
          legal,
        ),
      (r) => r.status !== 404,
      30_000,
      'PLO to learn of the case',
    );
    expect(issued.status).toBe(201);
    const seen = await eventually(
      () => request('GET', `${cases.url}/cases/${opened.id}`, undefined, legal),
      (r) => r.status === 200,
      30_000,
      'legal to see the case in cases',
    );
    expect(seen.body.legalInvolvedSince).toBe('2026-11-16');
    expect(seen.body.children[0].statuses.map((s: Status) => [s.status, s.source])).toContainEqual([
      'care-proceedings',
      'legal-involvement',
    ]);
  }, 90_000);
});
