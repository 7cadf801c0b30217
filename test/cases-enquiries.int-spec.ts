import { EventEnvelope, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { alertsOf, setClock } from './alerting-support';
import { newCase, request } from './api';

type Obligation = {
  id: string;
  kind: string;
  ruleId: string;
  dueDate: string;
  status: string;
  childId: string | null;
  subjectId: string | null;
};
type Review = { id: string; kind: string; sequence: number; childId: string; dueDate: string; status: string; heldLate: boolean | null };

/**
 * Child protection enquiries over HTTP, the broker and alerting: a strategy discussion deciding a
 * s.47 enquiry makes each child's ICPC due 15 WD after it, a later discussion moves it, an enquiry
 * ending without a conference cancels it; an ICPC that makes a plan starts the child's core groups.
 * Late ones raise drift in alerting like any obligation. Both services' clocks read 1 Dec 2026.
 */
describe('cases service: strategy discussions, s.47 enquiries, ICPCs and core groups', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let alerting: ServiceProcess;
  const council = `c${stack.id}`;
  const admin = { subject: 'sw.alex', councilId: council, roles: ['administrator' as const], teamIds: ['north-1'] };
  const agencies = [
    { agency: 'council', name: 'Alex Social Worker', role: 'social worker' },
    { agency: 'police', name: 'DC Sam Patel' },
    { agency: 'health', role: 'named nurse' },
  ];

  beforeAll(async () => {
    cases = stack.service('cases', { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' });
    alerting = stack.service('alerting', { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' });
    await Promise.all([cases.start(), alerting.start()]);
    await setClock(stack, [cases.url, alerting.url], '2026-12-01T12:00:00.000Z');
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const call = async (method: string, path: string, body?: unknown) => request(method, `${cases.url}${path}`, body, await stack.as(admin));
  const post = (path: string, body: unknown) => call('POST', path, body);
  const open = async (children: { firstName: string }[]) => {
    const opened = await post(
      '/cases',
      newCase({
        councilId: council,
        legalStatus: 'child-in-need',
        openedOn: '2026-10-01',
        children: children.map((c, i) => ({ ...c, lastName: 'Sibling', dateOfBirth: `201${i}-03-01`, sex: 'female' })),
      }),
    );
    expect(opened.status).toBe(201);
    const ids = (opened.body.children as { id: string; firstName: string }[]).map((c) => c.id);
    return { caseId: opened.body.id as string, ids };
  };
  const discuss = (caseId: string, body: Record<string, unknown>) =>
    post(`/cases/${caseId}/strategy-discussions`, { participants: agencies, decision: 'section-47', ...body });
  const obligations = async (caseId: string, kind: string): Promise<Obligation[]> =>
    ((await call('GET', `/cases/${caseId}`)).body.obligations as Obligation[]).filter((o) => o.kind === kind);
  const reviews = async (caseId: string, kind: string): Promise<Review[]> =>
    ((await call('GET', `/cases/${caseId}/reviews`)).body as Review[]).filter((r) => r.kind === kind);
  const hold = async (caseId: string, review: Review, heldOn: string, outcome: string) => {
    const current = await call('GET', `/cases/${caseId}/reviews/${review.id}`);
    return request(
      'POST',
      `${cases.url}/cases/${caseId}/reviews/${review.id}/held`,
      { heldOn, outcome },
      {
        ...(await stack.as(admin)),
        'if-match': current.headers.get('etag')!,
      },
    );
  };
  const alertsSettle = (obligationId: string, done: (alerts: Awaited<ReturnType<typeof alertsOf>>) => boolean, what: string) =>
    eventually(() => alertsOf(stack, obligationId), done, 30_000, what);
  const caseEvents = async (caseId: string) =>
    (await stack.readTopic(Topics.caseEvents, 0, 5_000))
      .filter((m) => m.key === caseId)
      .map((m) => JSON.parse(m.value) as EventEnvelope<Record<string, any>>);

  it('refuses a discussion without the police, health and the council, about a child not on the case, or in the future', async () => {
    const { caseId } = await open([{ firstName: 'Ana' }]);
    const refused = await post(`/cases/${caseId}/strategy-discussions`, {
      heldOn: '2026-12-02',
      childIds: ['6b1f0c1e-0000-4000-8000-000000000000'],
      participants: [{ agency: 'council' }],
      decision: 'section-47',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['heldOn', 'participants']);
    const stranger = await discuss(caseId, { heldOn: '2026-11-20', childIds: ['6b1f0c1e-0000-4000-8000-000000000000'] });
    expect(stranger.status).toBe(400);
    expect(stranger.body.fields.map((f: { field: string }) => f.field)).toEqual(['childIds.0']);
    const badAgency = await discuss(caseId, { heldOn: '2026-11-20', participants: [...agencies, { agency: 'astrology' }] });
    expect(badAgency.status).toBe(400);
    expect(await call('GET', `/cases/${caseId}/strategy-discussions`).then((r) => r.body)).toEqual([]);
    expect(await obligations(caseId, 'icpc')).toEqual([]);
  });

  it("schedules each sibling's ICPC from the last discussion about that child, raises drift when late, and cancels it when the enquiry ends without one", async () => {
    const { caseId, ids } = await open([{ firstName: 'Ana' }, { firstName: 'Ben' }]);
    const [ana, ben] = ids;

    // Mon 2 Nov: 15 working days later is Mon 23 Nov, already past on 1 Dec.
    const first = await discuss(caseId, { heldOn: '2026-11-02' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ childIds: [ana, ben], decision: 'section-47', participants: agencies });
    expect(first.body.icpcs.map((i: { childId: string; dueDate: string; moved: boolean }) => [i.childId, i.dueDate, i.moved])).toEqual([
      [ana, '2026-11-23', false],
      [ben, '2026-11-23', false],
    ]);
    const [anaIcpc, benIcpc] = [ana, ben].map((child) => first.body.icpcs.find((i: { childId: string }) => i.childId === child));
    const icpcObligations = await obligations(caseId, 'icpc');
    expect(icpcObligations.map((o) => [o.childId, o.ruleId, o.dueDate, o.status, o.subjectId])).toEqual([
      [ana, 'icpc', '2026-11-23', 'open', anaIcpc.reviewId],
      [ben, 'icpc', '2026-11-23', 'open', benIcpc.reviewId],
    ]);
    const [anaObligation, benObligation] = icpcObligations.map((o) => o.id);
    await alertsSettle(anaObligation, (a) => a.some((x) => x.level === 'drift' && x.state !== 'resolved'), "drift on Ana's ICPC");
    await alertsSettle(benObligation, (a) => a.some((x) => x.level === 'drift' && x.state !== 'resolved'), "drift on Ben's ICPC");

    // A later discussion about Ben alone (Fri 20 Nov) moves Ben's ICPC to 15 WD after it; Ana's stands.
    const later = await discuss(caseId, { heldOn: '2026-11-20', childIds: [ben] });
    expect(later.status).toBe(201);
    expect(later.body.icpcs).toEqual([{ childId: ben, reviewId: benIcpc.reviewId, dueDate: '2026-12-11', moved: true }]);
    expect((await obligations(caseId, 'icpc')).map((o) => [o.id, o.dueDate])).toEqual([
      [anaObligation, '2026-11-23'],
      [benObligation, '2026-12-11'],
    ]);
    expect((await reviews(caseId, 'icpc')).map((r) => [r.id, r.dueDate, r.status])).toEqual([
      [anaIcpc.reviewId, '2026-11-23', 'scheduled'],
      [benIcpc.reviewId, '2026-12-11', 'scheduled'],
    ]);
    await alertsSettle(benObligation, (a) => a.every((x) => x.state === 'resolved'), "Ben's drift to end once his ICPC is not yet due");
    // An earlier discussion recorded late does not move the ICPC back.
    const backfilled = await discuss(caseId, { heldOn: '2026-11-10', childIds: [ben] });
    expect(backfilled.body.icpcs).toEqual([{ childId: ben, reviewId: benIcpc.reviewId, dueDate: '2026-12-11', moved: false }]);

    // Each child's s.47 enquiry, from the first discussion; a second open one for the same child is refused.
    const started = await post(`/cases/${caseId}/section-47-enquiries`, { strategyDiscussionId: first.body.id, startedOn: '2026-11-03' });
    expect(started.status).toBe(201);
    expect(started.body.map((e: { childId: string; outcome: string | null }) => [e.childId, e.outcome])).toEqual([
      [ana, null],
      [ben, null],
    ]);
    expect(
      (await post(`/cases/${caseId}/section-47-enquiries`, { strategyDiscussionId: later.body.id, startedOn: '2026-11-20' })).status,
    ).toBe(409);
    const [anaEnquiry, benEnquiry] = [ana, ben].map((child) => started.body.find((e: { childId: string }) => e.childId === child).id);

    // Ana's enquiry leads to her ICPC, held late on 26 Nov: met late; Ben's ends with no further action: his ICPC is cancelled.
    const anaConcluded = await post(`/cases/${caseId}/section-47-enquiries/${anaEnquiry}/conclusion`, {
      concludedOn: '2026-11-24',
      outcome: 'icpc',
    });
    expect(anaConcluded.status).toBe(201);
    const benConcluded = await post(`/cases/${caseId}/section-47-enquiries/${benEnquiry}/conclusion`, {
      concludedOn: '2026-11-27',
      outcome: 'no-further-action',
    });
    expect(benConcluded.body).toMatchObject({ childId: ben, concludedOn: '2026-11-27', outcome: 'no-further-action' });
    expect(
      (await post(`/cases/${caseId}/section-47-enquiries/${benEnquiry}/conclusion`, { concludedOn: '2026-11-27', outcome: 'icpc' })).status,
    ).toBe(409);
    const [anaReview] = (await reviews(caseId, 'icpc')).filter((r) => r.childId === ana);
    expect((await hold(caseId, anaReview, '2026-11-26', 'plan')).body).toMatchObject({ status: 'held', heldLate: true });
    expect((await reviews(caseId, 'icpc')).map((r) => [r.childId, r.status])).toEqual([
      [ana, 'held'],
      [ben, 'cancelled'],
    ]);
    expect((await obligations(caseId, 'icpc')).map((o) => [o.childId, o.status])).toEqual([
      [ana, 'satisfied'],
      [ben, 'cancelled'],
    ]);
    await alertsSettle(anaObligation, (a) => a.some((x) => x.level === 'drift' && x.resolution === 'met-late'), "Ana's drift met late");

    // Ana's plan starts her core groups (first 10 WD after the ICPC: Thu 10 Dec); Ben has none.
    expect((await obligations(caseId, 'core-group')).map((o) => [o.childId, o.ruleId, o.dueDate, o.status])).toEqual([
      [ana, 'first-core-group', '2026-12-10', 'open'],
    ]);

    const events = await eventually(
      () => caseEvents(caseId),
      (es) => es.some((e) => e.type === EventTypes.reviewHeld),
      30_000,
      'the enquiry events',
    );
    expect(
      events.filter((e) => e.type === EventTypes.strategyDiscussionHeld).map((e) => [e.data.heldOn, e.data.childIds, e.data.agencies]),
    ).toEqual([
      ['2026-11-02', [ana, ben], ['council', 'police', 'health']],
      ['2026-11-20', [ben], ['council', 'police', 'health']],
      ['2026-11-10', [ben], ['council', 'police', 'health']],
    ]);
    expect(events.filter((e) => e.type === EventTypes.section47Started).map((e) => e.data.childId)).toEqual([ana, ben]);
    expect(events.filter((e) => e.type === EventTypes.section47Concluded).map((e) => [e.data.childId, e.data.outcome])).toEqual([
      [ana, 'icpc'],
      [ben, 'no-further-action'],
    ]);
    expect(
      events.filter((e) => e.type === EventTypes.reviewScheduled && e.data.kind === 'icpc').map((e) => [e.data.childId, e.data.dueDate]),
    ).toEqual([
      [ana, '2026-11-23'],
      [ben, '2026-11-23'],
      [ben, '2026-12-11'],
    ]);

    // The chronology of each child tells its own story.
    const chronology = async (child: string) =>
      ((await call('GET', `/cases/${caseId}/children/${child}/chronology`)).body.entries as { date: string; event: string }[])
        .filter((e) => /Strategy|S\.47|Icpc|Core group/.test(e.event))
        .map((e) => [e.date, e.event]);
    expect(await chronology(ana)).toEqual([
      ['2026-11-02', 'Strategy discussion (council, health, police): s.47 enquiry'],
      ['2026-11-03', 'S.47 enquiry started'],
      ['2026-11-24', 'S.47 enquiry concluded: ICPC'],
      ['2026-11-26', 'Icpc held: plan'],
    ]);
    expect(await chronology(ben)).toEqual([
      ['2026-11-02', 'Strategy discussion (council, health, police): s.47 enquiry'],
      ['2026-11-03', 'S.47 enquiry started'],
      ['2026-11-10', 'Strategy discussion (council, health, police): s.47 enquiry'],
      ['2026-11-20', 'Strategy discussion (council, health, police): s.47 enquiry'],
      ['2026-11-27', 'S.47 enquiry concluded: no further action'],
    ]);
  }, 90_000);

  it('an enquiry ending with no further action cancels an overdue ICPC: its drift ends, not met', async () => {
    const { caseId, ids } = await open([{ firstName: 'Cara' }]);
    const discussed = await discuss(caseId, { heldOn: '2026-11-02' });
    const [obligation] = await obligations(caseId, 'icpc');
    await alertsSettle(obligation.id, (a) => a.some((x) => x.level === 'drift'), 'drift on the ICPC');
    const [enquiry] = (
      await post(`/cases/${caseId}/section-47-enquiries`, { strategyDiscussionId: discussed.body.id, startedOn: '2026-11-02' })
    ).body;
    expect(enquiry.childId).toBe(ids[0]);
    await post(`/cases/${caseId}/section-47-enquiries/${enquiry.id}/conclusion`, {
      concludedOn: '2026-11-30',
      outcome: 'no-further-action',
    });
    expect((await obligations(caseId, 'icpc')).map((o) => o.status)).toEqual(['cancelled']);
    const alerts = await alertsSettle(obligation.id, (a) => a.every((x) => x.state === 'resolved'), 'the drift to end');
    expect(alerts.filter((a) => a.level === 'drift').map((a) => a.resolution)).toEqual(['ended']);
  }, 60_000);

  it('an ICPC recorded directly still works, and core groups follow each other: the first from the ICPC, the next from the last', async () => {
    const { caseId, ids } = await open([{ firstName: 'Dan' }]);
    const scheduled = await post(`/cases/${caseId}/reviews`, { kind: 'icpc', anchorDate: '2026-11-02', childId: ids[0] });
    expect(scheduled.body).toMatchObject({ kind: 'icpc', dueDate: '2026-11-23' });
    // Held Thu 12 Nov, within its 15 working days.
    expect((await hold(caseId, scheduled.body, '2026-11-12', 'plan')).body).toMatchObject({ heldLate: false });
    // First core group 10 WD after Thu 12 Nov: Thu 26 Nov — past on 1 Dec, so drift.
    const [firstGroup] = await reviews(caseId, 'core-group');
    expect(firstGroup).toMatchObject({ sequence: 1, dueDate: '2026-11-26', status: 'scheduled' });
    const [firstObligation] = await obligations(caseId, 'core-group');
    expect(firstObligation).toMatchObject({ ruleId: 'first-core-group', childId: ids[0], subjectId: firstGroup.id });
    await alertsSettle(firstObligation.id, (a) => a.some((x) => x.level === 'drift'), 'drift on the first core group');
    expect((await hold(caseId, firstGroup, '2026-11-27', 'plan-continues')).body).toMatchObject({ heldLate: true });
    await alertsSettle(firstObligation.id, (a) => a.some((x) => x.resolution === 'met-late'), 'the core group met late');
    // The next at the council's cadence (a month, local rule) from the one held.
    const next = (await reviews(caseId, 'core-group')).find((r) => r.status === 'scheduled')!;
    expect(next).toMatchObject({ sequence: 2, dueDate: '2026-12-27' });
    expect((await obligations(caseId, 'core-group')).filter((o) => o.status === 'open').map((o) => o.ruleId)).toEqual([
      'core-group-interval',
    ]);
    // Held on time: met, no alert.
    expect((await hold(caseId, next, '2026-12-01', 'plan-ended')).body).toMatchObject({ heldLate: false });
    expect((await obligations(caseId, 'core-group')).filter((o) => o.status === 'open')).toEqual([]);
    const [, secondObligation] = await obligations(caseId, 'core-group');
    expect(await alertsOf(stack, secondObligation.id)).toEqual([]);
  }, 60_000);

  it('counts s.47 enquiries leading to an ICPC and ICPCs within 15 working days of the last strategy discussion, per child', async () => {
    const kpis = await call('GET', `/kpis?councilId=${council}&from=2026-11-01&to=2026-12-01`);
    expect(kpis.status).toBe(200);
    // Concluded: Ana (icpc), Ben and Cara (no further action). ICPCs held: Ana (late), Dan (on time).
    expect(kpis.body.section47sLeadingToIcpc).toEqual({ numerator: 1, denominator: 3, percent: 33.3 });
    expect(kpis.body.icpcsWithin15WorkingDaysOfStrategyDiscussion).toEqual({ numerator: 1, denominator: 2, percent: 50 });
    expect(kpis.body.icpcsResultingInPlan).toEqual({ numerator: 2, denominator: 2, percent: 100 });
  });

  it("ending a child's protection plan ends that child's core groups with the review conferences", async () => {
    const opened = await post('/cases', newCase({ councilId: council, openedOn: '2026-10-01' }));
    const child = opened.body.children[0];
    const icpc = await post(`/cases/${opened.body.id}/reviews`, { kind: 'icpc', anchorDate: '2026-11-20', childId: child.id });
    await hold(opened.body.id, icpc.body, '2026-11-27', 'plan');
    expect((await obligations(opened.body.id, 'core-group')).map((o) => o.status)).toEqual(['open']);
    const plan = child.statuses.find((s: { status: string }) => s.status === 'child-protection-plan');
    const ended = await post(`/cases/${opened.body.id}/children/${child.id}/statuses/${plan.id}/end`, {
      endDate: '2026-11-30',
      reason: 'plan no longer needed',
    });
    expect(ended.status).toBe(201);
    expect((await obligations(opened.body.id, 'core-group')).map((o) => o.status)).toEqual(['cancelled']);
    expect((await reviews(opened.body.id, 'core-group')).map((r) => r.status)).toEqual(['cancelled']);
  });
});
