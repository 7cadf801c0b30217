import { EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { metric, newCase, request } from './api';

/**
 * The backbone end to end: a write over HTTP in one service becomes events on Kafka that the other
 * services apply exactly once in effect, even when Kafka delivers them again.
 */
describe('event flow between services', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let plo: ServiceProcess;
  let alerting: ServiceProcess;
  /** The case's social worker, their team manager, and the council's legal team. */
  let worker: Record<string, string>;
  let manager: Record<string, string>;
  let legal: Record<string, string>;

  beforeAll(async () => {
    cases = stack.service('cases');
    plo = stack.service('plo');
    alerting = stack.service('alerting');
    [worker, manager, legal] = await Promise.all([
      stack.as({ subject: 'sw.alex', councilId: 'test-council', roles: ['social-worker'], teamIds: ['north-1'] }),
      stack.as({ subject: 'tm.sam', councilId: 'test-council', roles: ['team-manager'], teamIds: ['north-1'] }),
      stack.as({ subject: 'legal.kim', councilId: 'test-council', roles: ['legal'], teamIds: ['legal-1'] }),
      cases.start(),
      plo.start(),
      alerting.start(),
    ]);
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const alertingObligations = (caseId: string) =>
    request<any[]>('GET', `${alerting.url}/obligations?caseId=${caseId}`, undefined, manager).then((r) => r.body);

  it('opening a case reaches alerting and PLO once, keyed by case id, with the caller’s correlation id', async () => {
    const correlationId = '6f1c1e0e-5a44-4a51-9d63-1d1f3c1b2a10';
    const opened = await request('POST', `${cases.url}/cases`, newCase(), { 'x-correlation-id': correlationId, ...worker });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('x-correlation-id')).toBe(correlationId);
    const caseId = opened.body.id;
    const [visit, supervision] = opened.body.obligations;
    expect(visit).toMatchObject({ kind: 'visit', ruleId: 'cp-visit', dueDate: '2026-11-16', status: 'open' });
    expect(supervision).toMatchObject({ kind: 'supervision', ruleId: 'supervision-cp', dueDate: '2026-11-30', status: 'open' });

    const seen = await eventually(
      () => alertingObligations(caseId),
      (list) => list.length === 2,
      30_000,
      'alerting to hold the visit and the supervision',
    );
    expect(seen.find((o) => o.id === visit.id)).toMatchObject({
      id: visit.id,
      dueDate: '2026-11-16',
      status: 'open',
      responsibleWorkerId: 'sw.alex',
      overdueAt: '2026-11-17T00:00:00.000Z',
    });
    await eventually(
      () => stack.sql('plo', 'SELECT case_id FROM known_cases WHERE case_id = $1', [caseId]),
      (rows) => rows.length === 1,
      30_000,
      'PLO to know the case',
    );

    const onTopic = (await stack.readTopic(Topics.caseEvents)).filter((m) => m.key === caseId).map((m) => JSON.parse(m.value));
    expect(onTopic.map((event) => event.type)).toEqual([
      EventTypes.caseOpened,
      EventTypes.childStatusStarted,
      EventTypes.obligationScheduled,
      EventTypes.obligationScheduled,
    ]);
    for (const event of onTopic) {
      expect(event).toMatchObject({
        specversion: '1.0',
        source: 'urn:plo:cases',
        subject: caseId,
        correlationid: correlationId,
        actor: { kind: 'user', id: 'sw.alex' },
      });
    }
    const applied = await stack.sql(
      'alerting',
      `SELECT message_id FROM processed_events WHERE message_id = ANY($1) AND outcome = 'applied'`,
      [onTopic.filter((e) => e.type !== EventTypes.childStatusStarted).map((e) => e.id)],
    );
    expect(applied).toHaveLength(3);
  }, 60_000);

  it('a duplicate delivery of the same events has no second effect', async () => {
    const opened = await request('POST', `${cases.url}/cases`, newCase(), worker);
    const caseId = opened.body.id;
    await eventually(
      () => alertingObligations(caseId),
      (list) => list.length === 2,
      30_000,
      'the first delivery',
    );
    const before = await stack.sql('alerting', 'SELECT count(*)::int AS n FROM processed_events');
    const duplicatesBefore = metric(
      await (await fetch(`${alerting.url}/metrics`)).text(),
      'consumer_handler_seconds_count',
      'outcome="duplicate"',
    );

    const original = (await stack.readTopic(Topics.caseEvents)).filter((m) => m.key === caseId);
    await stack.produce(
      Topics.caseEvents,
      [...original, ...original].map((m) => ({ key: m.key!, value: m.value })),
    );

    await eventually(
      async () => metric(await (await fetch(`${alerting.url}/metrics`)).text(), 'consumer_handler_seconds_count', 'outcome="duplicate"'),
      (count) => count >= duplicatesBefore + 4,
      30_000,
      'the duplicates to be consumed',
    );
    expect(await stack.sql('alerting', 'SELECT count(*)::int AS n FROM processed_events')).toEqual(before);
    expect(await alertingObligations(caseId)).toHaveLength(2);
    expect(await stack.sql('alerting', 'SELECT count(*)::int AS n FROM case_directory WHERE case_id = $1', [caseId])).toEqual([{ n: 1 }]);
  }, 60_000);

  it('a visit recorded late meets the visit in alerting and schedules the next from the visit date', async () => {
    const caseId = (await request('POST', `${cases.url}/cases`, newCase({ openedOn: '2026-10-01' }), worker)).body.id;
    const visit = await request(
      'POST',
      `${cases.url}/cases/${caseId}/visits`,
      {
        visitedOn: '2026-10-20',
        visitType: 'statutory',
        visitorId: 'sw.alex',
        childSeen: true,
        seenAlone: true,
        bedroomSeen: true,
        purpose: 'child-protection-plan-review',
      },
      worker,
    );
    expect(visit.status).toBe(201);
    const list = await eventually(
      () => alertingObligations(caseId),
      (l) => l.length === 3 && l.some((o) => o.status === 'satisfied'),
      30_000,
      'the visit to be met',
    );
    expect(list.filter((o) => o.kind === 'visit').map((o) => [o.dueDate, o.status, o.satisfiedOn])).toEqual([
      ['2026-10-15', 'satisfied', '2026-10-20'],
      ['2026-11-03', 'open', null],
    ]);
  }, 60_000);

  it('closing a case ends its open obligations everywhere', async () => {
    const caseId = (await request('POST', `${cases.url}/cases`, newCase(), worker)).body.id;
    await eventually(
      () => alertingObligations(caseId),
      (l) => l.length === 2,
      30_000,
      'the visit and the supervision',
    );
    const closed = await request(
      'POST',
      `${cases.url}/cases/${caseId}/closure`,
      { closedOn: '2026-11-20', reason: 'stepped down to universal services' },
      manager,
    );
    expect(closed.status).toBe(201);
    const ended = await eventually(
      () => alertingObligations(caseId),
      (l) => l.every((o) => o.status === 'cancelled'),
      30_000,
      'the visit and the supervision to end',
    );
    expect(ended.map((o) => [o.kind, o.endedReason]).sort()).toEqual([
      ['supervision', 'case closed'],
      ['visit', 'case closed'],
    ]);
  }, 60_000);

  it('issuing proceedings starts a 26-week clock per child that alerting receives', async () => {
    const opened = await request(
      'POST',
      `${cases.url}/cases`,
      newCase({
        children: [
          { firstName: 'Synthetic', lastName: 'One', dateOfBirth: '2017-01-01', sex: 'male' },
          { firstName: 'Synthetic', lastName: 'Two', dateOfBirth: '2020-01-01', sex: 'female' },
        ],
      }),
      worker,
    );
    const caseId = opened.body.id;
    await eventually(
      () => stack.sql('plo', 'SELECT 1 FROM known_cases WHERE case_id = $1', [caseId]),
      (r) => r.length === 1,
      30_000,
      'PLO to know the case',
    );
    const issued = await request(
      'POST',
      `${plo.url}/proceedings`,
      {
        caseId,
        court: 'Test Family Court',
        courtCaseNumber: `TC${caseId.slice(0, 8)}`,
        issuedOn: '2025-01-06',
        submittedOn: '2025-01-06',
        childIds: opened.body.children.map((c: { id: string }) => c.id),
      },
      legal,
    );
    expect(issued.status).toBe(201);
    expect(issued.body.caseCompletionDate).toBe('2025-07-06');
    expect(issued.body.children.map((c: { hmctsDisplayDate: string }) => c.hmctsDisplayDate)).toEqual(['2025-07-07', '2025-07-07']);
    const clocks = await eventually(
      () => alertingObligations(caseId).then((l) => l.filter((o) => o.kind === 'proceedings-completion')),
      (l) => l.length === 2,
      30_000,
      'both children’s clocks',
    );
    expect(clocks.map((o) => o.dueDate)).toEqual(['2025-07-06', '2025-07-06']);
  }, 60_000);

  it("a council's rule change moves open obligations in cases, PLO and alerting, and the preview's count is what it moves", async () => {
    const councilId = `rules-${stack.id}`;
    const [admin, sw, tm, lawyer] = await Promise.all([
      stack.as({ subject: 'ops.lee', councilId, roles: ['administrator'] }),
      stack.as({ subject: 'sw.alex', councilId, roles: ['social-worker'], teamIds: ['north-1'] }),
      stack.as({ subject: 'tm.sam', councilId, roles: ['team-manager'], teamIds: ['north-1'] }),
      stack.as({ subject: 'legal.kim', councilId, roles: ['legal'], teamIds: ['legal-1'] }),
    ]);
    const rule = (ruleId: string, suffix = '') => `${cases.url}/councils/${councilId}/rules/${ruleId}${suffix}`;
    const visitsInAlerting = (caseIds: string[], dueDate: string) =>
      eventually(
        async () =>
          (await Promise.all(caseIds.map((caseId) => request<any[]>('GET', `${alerting.url}/obligations?caseId=${caseId}`, undefined, tm))))
            .map((r) => r.body)
            .flat()
            .filter((o) => o.kind === 'visit'),
        (list) => list.length === caseIds.length && list.every((o) => o.dueDate === dueDate),
        30_000,
        `alerting to hold the visits due ${dueDate}`,
      );
    const opened = await Promise.all([1, 2].map(() => request('POST', `${cases.url}/cases`, newCase({ councilId }), sw)));
    const caseIds = opened.map((o) => o.body.id as string);
    const visitIds = opened.map((o) => o.body.obligations[0].id as string);
    await visitsInAlerting(caseIds, '2026-11-16');

    // The preview lists every open visit that would move, from and to which date, and writes nothing.
    const preview = await request('POST', rule('cp-visit', '/preview'), { offset: 20 }, admin);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      change: 'overridden',
      period: { offset: 20 },
      previousPeriod: { offset: 10 },
      obligationsMoved: 2,
    });
    expect(preview.body.obligations.map((o: any) => [o.caseId, o.childId, o.kind, o.dueDate, o.newDueDate]).sort()).toEqual(
      opened.map((o) => [o.body.id, o.body.children[0].id, 'visit', '2026-11-16', '2026-11-30']).sort(),
    );
    expect((await request('GET', `${cases.url}/councils/${councilId}/rules`, undefined, admin)).headers.get('etag')).toBe('"0"');
    expect((await request('GET', `${cases.url}/cases/${caseIds[0]}`, undefined, sw)).body.obligations[0].dueDate).toBe('2026-11-16');

    const changed = await request('PUT', rule('cp-visit'), { offset: 20, reason: 'policy 2026-14' }, admin);
    expect(changed.status).toBe(200);
    expect(changed.body.obligationsMoved).toBe(preview.body.obligationsMoved);
    for (const [i, caseId] of caseIds.entries()) {
      // The supervision falls due the same day, 30 Nov: the visit is found by its kind.
      const visit = (await request('GET', `${cases.url}/cases/${caseId}`, undefined, sw)).body.obligations.find(
        (o: { kind: string }) => o.kind === 'visit',
      );
      expect(visit).toMatchObject({ id: visitIds[i], dueDate: '2026-11-30', explanation: expect.stringContaining('20 working days') });
    }
    const inAlerting = await visitsInAlerting(caseIds, '2026-11-30');
    expect(inAlerting.map((o) => o.id).sort()).toEqual([...visitIds].sort());
    const history = await request('GET', `${cases.url}/councils/${councilId}/rules/history`, undefined, admin);
    expect(history.body.map((h: any) => [h.ruleId, h.obligationsMoved])).toEqual([['cp-visit', 2]]);

    // A local rule PLO's obligations follow: the pre-proceedings review cadence.
    const started = await request(
      'POST',
      `${plo.url}/pre-proceedings`,
      { caseId: caseIds[0], decidedOn: '2026-11-03', decision: 'pre-proceedings' },
      lawyer,
    );
    expect(started.status).toBe(201);
    const pre = started.body.id;
    await request('POST', `${plo.url}/pre-proceedings/${pre}/letter`, { sentOn: '2026-11-04' }, lawyer);
    const met = await request('POST', `${plo.url}/pre-proceedings/${pre}/meetings`, { heldOn: '2026-11-20' }, lawyer);
    const review = met.body.obligations.find((o: any) => o.kind === 'pre-proceedings-review');
    expect(review).toMatchObject({ dueDate: '2027-01-01', status: 'open' });
    const reviewInAlerting = (dueDate: string) =>
      eventually(
        async () => (await request<any[]>('GET', `${alerting.url}/obligations?caseId=${caseIds[0]}`, undefined, tm)).body,
        (list) => list.some((o) => o.id === review.id && o.dueDate === dueDate),
        30_000,
        `alerting to hold the review due ${dueDate}`,
      );
    await reviewInAlerting('2027-01-01');
    const fourWeeks = await request('PUT', rule('pre-proceedings-review'), { offset: 4 }, admin);
    expect(fourWeeks.body).toMatchObject({ obligationsMoved: 0, rule: { offset: 4, unit: 'weeks' } });
    const moved = await eventually(
      async () => (await request('GET', `${plo.url}/pre-proceedings/${pre}`, undefined, lawyer)).body.obligations,
      (list) => list.some((o: any) => o.id === review.id && o.dueDate === '2026-12-18'),
      30_000,
      'PLO to move its open review',
    );
    expect(moved.filter((o: any) => o.kind === 'pre-proceedings-review')).toEqual([
      expect.objectContaining({ id: review.id, status: 'open' }),
    ]);
    await reviewInAlerting('2026-12-18');
  }, 120_000);

  it('refuses bad input with a 400 naming every field, and writes nothing', async () => {
    const outboxBefore = await stack.sql('cases', 'SELECT count(*)::int AS n FROM outbox');
    const response = await request(
      'POST',
      `${cases.url}/cases`,
      newCase({ openedOn: '2026-02-30', legalStatus: 'unknown', children: [], nickname: 'x' }),
      worker,
    );
    expect(response.status).toBe(400);
    const fields = response.body.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['openedOn', 'legalStatus', 'children', 'nickname']));
    expect(await stack.sql('cases', 'SELECT count(*)::int AS n FROM outbox')).toEqual(outboxBefore);

    expect((await request('GET', `${cases.url}/cases/00000000-0000-4000-8000-000000000000`, undefined, worker)).status).toBe(404);
    expect((await request('GET', `${cases.url}/cases/not-a-uuid`, undefined, worker)).status).toBe(400);
    expect((await request('POST', `${cases.url}/cases`, '{"broken json', worker)).status).toBe(400);
  }, 30_000);

  it('reports health and Prometheus metrics for the backbone', async () => {
    const health = await request('GET', `${alerting.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body.checks).toMatchObject({ database: { status: 'up' }, kafka: { status: 'up' } });
    const metrics = await (await fetch(`${alerting.url}/metrics`)).text();
    for (const name of ['outbox_backlog', 'dead_letters_open', 'consumer_lag', 'consumer_handler_seconds_bucket'])
      expect(metrics).toContain(name);
    expect(await (await fetch(`${cases.url}/metrics`)).text()).toContain('outbox_published_total');
  }, 30_000);
});
