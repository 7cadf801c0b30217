import { EventEnvelope, EventTypes, Topics } from '@plo/contracts';
import { TokenClaims } from '@plo/platform';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { rebuildAlerting } from './alerting-support';
import { newCase, request } from './api';

type Obligation = { id: string; kind: string; ruleId: string; dueDate: string; status: string; satisfiedOn?: string | null };

/**
 * Supervision on the record, over HTTP and the broker: a session with SMART actions, what is refused,
 * the case's supervision obligation at the council's cadence (met on time, rescheduled when a child
 * goes onto a protection plan, overridden by the council), its drift alerted to the team manager
 * first, a sign-off naming the supervision that agreed it, and the KPI. Both services' clocks are
 * fixed at 26 Nov 2026.
 */
describe('cases service: supervision', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let alerting: ServiceProcess;
  const council = `s${stack.id}`;
  const admin: TokenClaims = { subject: 'admin.jo', councilId: council, roles: ['administrator'], teamIds: ['north-1'] };
  const manager: TokenClaims = { subject: 'tm.sam', councilId: council, roles: ['team-manager'], teamIds: ['north-1'] };

  beforeAll(async () => {
    cases = stack.service('cases', { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' });
    alerting = stack.service('alerting', { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' });
    await Promise.all([cases.start(), alerting.start()]);
    for (const service of [cases, alerting]) {
      const clock = await request('PUT', `${service.url}/test/clock`, { at: '2026-11-26T12:00:00.000Z' }, await stack.as(admin));
      expect(clock.status).toBe(200);
    }
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const call = async (method: string, path: string, body?: unknown, as = admin, headers: Record<string, string> = {}) =>
    request(method, `${cases.url}${path}`, body, { ...(await stack.as(as)), ...headers });
  const post = (path: string, body: unknown, as = admin, headers: Record<string, string> = {}) => call('POST', path, body, as, headers);
  const open = async (overrides: Record<string, unknown> = {}) => {
    const opened = await post('/cases', newCase({ councilId: council, ...overrides }));
    expect(opened.status).toBe(201);
    return opened.body as { id: string; children: { id: string }[]; obligations: Obligation[] };
  };
  const supervisions = async (caseId: string) =>
    ((await call('GET', `/cases/${caseId}`)).body.obligations as Obligation[]).filter((o) => o.kind === 'supervision');
  const openSupervision = async (caseId: string) =>
    (await supervisions(caseId)).filter((o) => o.status === 'open').map((o) => [o.ruleId, o.dueDate]);
  const smartAction = {
    description: 'Book the family group conference',
    ownerId: 'sw.alex',
    dueDate: '2026-12-11',
    measurableOutcome: 'Conference held and a safety plan agreed with the wider family',
  };
  const session = (childIds: string[], overrides: Record<string, unknown> = {}) => ({
    heldOn: '2026-11-20',
    supervisorId: 'tm.sam',
    childIds,
    decisions: ['Stay on the plan: the risk from the father is unchanged', 'Ask health for the missed appointments'],
    actions: [smartAction],
    ...overrides,
  });
  const caseEvents = async (caseId: string) =>
    (await stack.readTopic(Topics.caseEvents, 0, 5_000))
      .filter((m) => m.key === caseId)
      .map((m) => JSON.parse(m.value) as EventEnvelope<Record<string, any>>);

  it('records a session with SMART actions: it meets the obligation on time and schedules the next one cadence later', async () => {
    const opened = await open({ openedOn: '2026-11-02' });
    const [child] = opened.children.map((c) => c.id);
    // A child on a protection plan: the council's 4-weekly cadence, from the day the case opened.
    expect(await openSupervision(opened.id)).toEqual([['supervision-cp', '2026-11-30']]);

    const recorded = await post(`/cases/${opened.id}/supervisions`, session([child]), manager);
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      caseId: opened.id,
      heldOn: '2026-11-20',
      supervisorId: 'tm.sam',
      workerId: 'sw.alex',
      childIds: [child],
      decisions: ['Stay on the plan: the risk from the father is unchanged', 'Ask health for the missed appointments'],
      actions: [{ position: 1, ...smartAction, doneOn: null }],
      recordedBy: 'tm.sam',
    });
    const supervisionId = recorded.body.id;
    const all = await supervisions(opened.id);
    expect(all.map((o) => [o.ruleId, o.dueDate, o.status, o.satisfiedOn ?? null])).toEqual([
      ['supervision-cp', '2026-11-30', 'satisfied', '2026-11-20'],
      ['supervision-cp', '2026-12-18', 'open', null],
    ]);

    expect((await call('GET', `/cases/${opened.id}/supervisions`, undefined, manager)).body.map((s: { id: string }) => s.id)).toEqual([
      supervisionId,
    ]);
    expect((await call('GET', `/cases/${opened.id}/supervisions/${supervisionId}`)).body).toEqual(recorded.body);

    const chronology = await call('GET', `/cases/${opened.id}/children/${child}/chronology`);
    expect(chronology.body.entries.filter((e: { recordType: string }) => e.recordType === 'supervision')).toEqual([
      {
        date: '2026-11-20',
        event: 'Supervision with tm.sam: Stay on the plan: the risk from the father is unchanged; Ask health for the missed appointments',
        source: 'cases',
        significance: 'significant',
        recordType: 'supervision',
        recordId: supervisionId,
      },
    ]);

    const actionId = recorded.body.actions[0].id;
    const done = await post(`/cases/${opened.id}/supervisions/${supervisionId}/actions/${actionId}/done`, { doneOn: '2026-11-25' });
    expect(done.status).toBe(200);
    expect(done.body.actions[0]).toMatchObject({ id: actionId, doneOn: '2026-11-25' });

    const events = await eventually(
      () => caseEvents(opened.id),
      (list) => list.some((e) => e.type === EventTypes.supervisionActionDone),
      10_000,
      'the supervision events',
    );
    expect(events.find((e) => e.type === EventTypes.supervisionRecorded)?.data).toEqual({
      caseId: opened.id,
      supervisionId,
      heldOn: '2026-11-20',
      supervisorId: 'tm.sam',
      workerId: 'sw.alex',
      childIds: [child],
      decisionCount: 2,
      actionIds: [actionId],
    });
    expect(events.find((e) => e.type === EventTypes.supervisionActionDone)?.data).toEqual({
      caseId: opened.id,
      supervisionId,
      actionId,
      doneOn: '2026-11-25',
      recordedBy: 'admin.jo',
    });

    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call('GET', `/cases/${opened.id}/supervisions/${unknown}`)).status).toBe(404);
    expect((await post(`/cases/${opened.id}/supervisions/${supervisionId}/actions/${unknown}/done`, { doneOn: '2026-11-25' })).status).toBe(
      404,
    );
    expect((await post(`/cases/${unknown}/supervisions`, session([child]))).status).toBe(404);
  }, 60_000);

  it('refuses an action that is not SMART, a child not on the case and a future date, naming the field; nothing is written', async () => {
    const opened = await open();
    const [child] = opened.children.map((c) => c.id);
    const notSmart = await post(
      `/cases/${opened.id}/supervisions`,
      session([child], { actions: [smartAction, { description: 'Improve home conditions', ownerId: 'sw.alex', dueDate: '2026-12-31' }] }),
    );
    expect(notSmart.status).toBe(422);
    expect(notSmart.body.fields.map((f: { field: string }) => f.field)).toEqual(['actions.1.measurableOutcome']);

    const stranger = await post(`/cases/${opened.id}/supervisions`, session([child, '00000000-0000-4000-8000-000000000001']));
    expect(stranger.status).toBe(400);
    expect(stranger.body.fields.map((f: { field: string }) => f.field)).toEqual(['childIds.1']);

    const future = await post(`/cases/${opened.id}/supervisions`, session([child], { heldOn: '2026-11-27' }));
    expect(future.status).toBe(400);
    expect(future.body.fields.map((f: { field: string }) => f.field)).toEqual(['heldOn']);

    expect((await call('GET', `/cases/${opened.id}/supervisions`)).body).toEqual([]);
    expect(await openSupervision(opened.id)).toEqual([['supervision-cp', '2026-11-30']]);
  }, 60_000);

  it('a case not supervised within its cadence is drift to the team manager first, through re-allocation and a rebuild (the visit drift goes to the worker)', async () => {
    const opened = await open({ openedOn: '2026-10-01' });
    const [obligation] = (await supervisions(opened.id)).filter((o) => o.status === 'open');
    expect([obligation.ruleId, obligation.dueDate]).toEqual(['supervision-cp', '2026-10-29']);

    const alerts = await eventually(
      () =>
        stack.sql<{ kind: string; level: string; recipient_id: string; escalation_step: number }>(
          'alerting',
          `SELECT kind, level, recipient_id, escalation_step FROM alerts WHERE case_id = $1 AND level = 'drift' ORDER BY kind`,
          [opened.id],
        ),
      (rows) => rows.length === 2,
      30_000,
      'drift of the supervision and of the visit',
    );
    expect(alerts).toEqual([
      { kind: 'supervision', level: 'drift', recipient_id: 'tm.sam', escalation_step: 1 },
      { kind: 'visit', level: 'drift', recipient_id: 'sw.alex', escalation_step: 0 },
    ]);
    const raised = (await stack.readTopic(Topics.alertEvents, 0, 5_000))
      .map((m) => JSON.parse(m.value) as EventEnvelope<Record<string, any>>)
      .find((e) => e.type === EventTypes.alertRaised && e.data.caseId === opened.id && e.data.kind === 'supervision');
    expect(raised?.data).toMatchObject({ obligationId: obligation.id, level: 'drift', recipientId: 'tm.sam', workerId: 'sw.alex' });

    // Re-allocated to a new worker and team manager: the alert follows the case and stays with its team manager.
    const moved = await post(
      `/cases/${opened.id}/allocations`,
      { teamId: 'north-1', allocatedWorkerId: 'sw.bo', teamManagerId: 'tm.max', allocatedOn: '2026-11-25' },
      admin,
      { 'if-match': '"1"' },
    );
    expect(moved.status).toBe(201);
    const recipients = () =>
      stack.sql<{ kind: string; recipient_id: string; worker_id: string; escalation_step: number }>(
        'alerting',
        `SELECT kind, recipient_id, worker_id, escalation_step FROM alerts WHERE case_id = $1 AND level = 'drift' ORDER BY kind`,
        [opened.id],
      );
    const reallocated = [
      { kind: 'supervision', recipient_id: 'tm.max', worker_id: 'sw.bo', escalation_step: 1 },
      { kind: 'visit', recipient_id: 'sw.bo', worker_id: 'sw.bo', escalation_step: 0 },
    ];
    await eventually(recipients, (rows) => JSON.stringify(rows) === JSON.stringify(reallocated), 30_000, 'the alerts to follow the case');

    // Rebuilt from the topics, alerting names the same recipients.
    await alerting.kill('SIGTERM');
    await rebuildAlerting(stack);
    expect(await recipients()).toEqual(reallocated);
    await alerting.start();
    const clock = await request('PUT', `${alerting.url}/test/clock`, { at: '2026-11-26T12:00:00.000Z' }, await stack.as(admin));
    expect(clock.status).toBe(200);

    // A supervision held late meets it: the alert resolves, met late.
    const [child] = opened.children.map((c) => c.id);
    expect((await post(`/cases/${opened.id}/supervisions`, session([child]), manager)).status).toBe(201);
    await eventually(
      () =>
        stack.sql<{ state: string; resolution: string }>(
          'alerting',
          `SELECT state, resolution FROM alerts WHERE obligation_id = $1 AND level = 'drift'`,
          [obligation.id],
        ),
      (rows) => rows.length === 1 && rows[0].state === 'resolved',
      30_000,
      'the supervision drift to resolve',
    ).then((rows) => expect(rows[0].resolution).toBe('met-late'));
  }, 90_000);

  it('a child going onto a protection plan brings the next supervision forward; with no status left, none is owed', async () => {
    const opened = await open({ legalStatus: 'child-in-need', openedOn: '2026-11-02' });
    const [child] = opened.children.map((c) => c.id);
    expect(await openSupervision(opened.id)).toEqual([['supervision-cin', '2026-12-14']]);

    const plan = await post(`/cases/${opened.id}/children/${child}/statuses`, { status: 'child-protection-plan', startDate: '2026-11-03' });
    expect(plan.status).toBe(201);
    expect(await openSupervision(opened.id)).toEqual([['supervision-cp', '2026-12-01']]);
    // By due date: the new one first; the 6-weekly one is cancelled, not met.
    expect((await supervisions(opened.id)).map((o) => [o.ruleId, o.dueDate, o.status])).toEqual([
      ['supervision-cp', '2026-12-01', 'open'],
      ['supervision-cin', '2026-12-14', 'cancelled'],
    ]);

    // Both statuses ended: no child is under a cadence, so the case owes no supervision.
    for (const status of plan.body.children[0].statuses as { id: string }[]) {
      const ended = await post(`/cases/${opened.id}/children/${child}/statuses/${status.id}/end`, {
        endDate: '2026-11-25',
        reason: 'stepped down to early help',
      });
      expect(ended.status).toBe(201);
    }
    expect(await openSupervision(opened.id)).toEqual([]);
  }, 60_000);

  it('a supervision already overdue stays owed when a child steps down to a longer cadence, until one is held', async () => {
    const opened = await open({ legalStatus: 'child-protection-plan', openedOn: '2026-09-01' });
    const [child] = opened.children.map((c) => c.id);
    expect(await openSupervision(opened.id)).toEqual([['supervision-cp', '2026-09-29']]);

    const [plan] = (await call('GET', `/cases/${opened.id}`)).body.children[0].statuses as { id: string }[];
    const ended = await post(`/cases/${opened.id}/children/${child}/statuses/${plan.id}/end`, {
      endDate: '2026-11-10',
      reason: 'plan ended',
    });
    expect(ended.status).toBe(201);
    const stepDown = await post(`/cases/${opened.id}/children/${child}/statuses`, { status: 'child-in-need', startDate: '2026-11-10' });
    expect(stepDown.status).toBe(201);
    // The 6-weekly cadence from the step-down would be due on 22 Dec; the missed 29 Sep one is not excused by it.
    expect(await openSupervision(opened.id)).toEqual([['supervision-cp', '2026-09-29']]);

    expect((await post(`/cases/${opened.id}/supervisions`, session([child]), manager)).status).toBe(201);
    expect((await supervisions(opened.id)).map((o) => [o.ruleId, o.dueDate, o.status, o.satisfiedOn ?? null])).toEqual([
      ['supervision-cp', '2026-09-29', 'satisfied', '2026-11-20'],
      ['supervision-cin', '2027-01-01', 'open', null],
    ]);
  }, 60_000);

  it("a council's own cadence moves the open supervision and sets the next", async () => {
    const opened = await open({ openedOn: '2026-11-02' });
    expect(await openSupervision(opened.id)).toEqual([['supervision-cp', '2026-11-30']]);
    const override = await call('PUT', `/councils/${council}/rules/supervision-cp`, {
      offset: 2,
      unit: 'weeks',
      reason: 'Cabinet decision: fortnightly supervision of protection cases',
    });
    expect(override.status).toBe(200);
    expect(await openSupervision(opened.id)).toEqual([['supervision-cp', '2026-11-16']]);

    const [child] = opened.children.map((c) => c.id);
    expect((await post(`/cases/${opened.id}/supervisions`, session([child]))).status).toBe(201);
    expect(await openSupervision(opened.id)).toEqual([['supervision-cp', '2026-12-04']]);
  }, 60_000);

  it("a manager's sign-off names the supervision of the case that agreed it; one of another case is refused", async () => {
    const opened = await open();
    const other = await open();
    const [child] = opened.children.map((c) => c.id);
    const supervision = (await post(`/cases/${opened.id}/supervisions`, session([child]), manager)).body;
    const elsewhere = (await post(`/cases/${other.id}/supervisions`, session([other.children[0].id]), manager)).body;
    const plan = await post(`/cases/${opened.id}/plans`, {
      kind: 'child-protection',
      agreedOn: '2026-11-20',
      reviewDate: '2027-02-12',
      actions: [smartAction],
    });
    expect(plan.status).toBe(201);
    const signOffs = `/cases/${opened.id}/plans/${plan.body.id}/sign-offs`;
    const exception = { exceptionReason: 'Visit booked for tomorrow' };

    const wrong = await post(signOffs, { ...exception, supervisionId: elsewhere.id }, manager, { 'if-match': '"1"' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.fields.map((f: { field: string }) => f.field)).toEqual(['supervisionId']);

    const signed = await post(signOffs, { ...exception, supervisionId: supervision.id }, manager, { 'if-match': '"1"' });
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ managerId: 'tm.sam', supervisionId: supervision.id });
    expect((await call('GET', `/cases/${opened.id}/sign-offs`)).body.map((s: { supervisionId: string }) => s.supervisionId)).toEqual([
      supervision.id,
    ]);
    const events = await eventually(
      () => caseEvents(opened.id),
      (list) => list.some((e) => e.type === EventTypes.signedOff),
      10_000,
      'the sign-off event',
    );
    expect(events.find((e) => e.type === EventTypes.signedOff)?.data).toMatchObject({ supervisionId: supervision.id });
  }, 60_000);

  it('KPI: supervisions due in the period held within cadence, per team and per worker', async () => {
    const kpiCouncil = `k${stack.id}`;
    const kpiAdmin: TokenClaims = { subject: 'admin.jo', councilId: kpiCouncil, roles: ['administrator'], teamIds: ['north-1', 'east-3'] };
    const openIn = async (teamId: string, allocatedWorkerId: string) => {
      const opened = await request(
        'POST',
        `${cases.url}/cases`,
        newCase({ councilId: kpiCouncil, teamId, allocatedWorkerId, openedOn: '2026-10-01' }),
        await stack.as(kpiAdmin),
      );
      expect(opened.status).toBe(201);
      return opened.body as { id: string; children: { id: string }[] };
    };
    // Both due 29 Oct; Alex's case supervised in time on 20 Oct, then due again 17 Nov and not held; Ola's never.
    const alex = await openIn('north-1', 'sw.alex');
    await openIn('east-3', 'sw.ola');
    const held = await request(
      'POST',
      `${cases.url}/cases/${alex.id}/supervisions`,
      session([alex.children[0].id], { heldOn: '2026-10-20' }),
      await stack.as(kpiAdmin),
    );
    expect(held.status).toBe(201);

    const kpis = await request(
      'GET',
      `${cases.url}/kpis?councilId=${kpiCouncil}&from=2026-10-01&to=2026-11-26`,
      undefined,
      await stack.as(kpiAdmin),
    );
    expect(kpis.status).toBe(200);
    expect(kpis.body.supervisionWithinCadence).toEqual({
      numerator: 1,
      denominator: 3,
      percent: 33.3,
      definition: expect.stringContaining("under the council's cadence"),
      byTeam: [
        { teamId: 'east-3', numerator: 0, denominator: 1, percent: 0 },
        { teamId: 'north-1', numerator: 1, denominator: 2, percent: 50 },
      ],
      byWorker: [
        { workerId: 'sw.alex', numerator: 1, denominator: 2, percent: 50 },
        { workerId: 'sw.ola', numerator: 0, denominator: 1, percent: 0 },
      ],
    });
  }, 60_000);
});
