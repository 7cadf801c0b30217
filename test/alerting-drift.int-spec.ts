import { randomUUID } from 'node:crypto';
import { decodeEvent, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { administrator, alertingState, alertsOf, AlertingScenario, as, rebuildAlerting, setClock } from './alerting-support';

/**
 * Drift and warnings raised when the (test) clock crosses a due date, the alert lifecycle and
 * escalation, projected drift from PLO, and what late, duplicate and out-of-order events do.
 * Events are produced straight onto the topics, as the cases and PLO services would.
 */
describe('alerting: drift, warnings, lifecycle', () => {
  const stack = new TestStack();
  const scenario = new AlertingScenario(stack);
  let alerting: ServiceProcess;
  const clock = (at: string) => setClock(stack, [alerting.url], at);
  // Reads as a service manager over every team these tests use.
  const reader = () => as(stack, 'sm.kim', ['service-manager'], ['north-1', 'east-3', 'west-9', 'south-4']);
  const get = async <T = any>(path: string) => request<T>('GET', `${alerting.url}${path}`, undefined, await reader());

  beforeAll(async () => {
    alerting = stack.service('alerting', { TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'test' });
    await alerting.start();
    await clock('2027-06-01T09:00:00Z');
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const obligationKnown = (caseId: string) =>
    eventually(
      () => get<any[]>(`/obligations?caseId=${caseId}`).then((r) => r.body),
      (l) => Array.isArray(l) && l.length > 0,
      30_000,
      'the obligation in alerting',
    );

  it('raises drift the moment a due date ends in London summer time (BST), with a warning 2 working days before', async () => {
    // Due Mon 14 Jun 2027: the warning fires at the start of Thu 10 Jun, drift at 00:00 BST on 15 Jun = 23:00Z on 14 Jun.
    const { caseId, obligationId } = await scenario.caseWithVisit('2027-06-14');
    const [obligation] = await obligationKnown(caseId);
    expect(obligation.overdueAt).toBe('2027-06-14T23:00:00.000Z');
    expect(await alertsOf(stack, obligationId)).toEqual([]);

    await clock('2027-06-10T00:00:05+01:00');
    await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.length === 1,
      5_000,
      'the warning',
    );
    await clock('2027-06-14T23:59:58+01:00');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await alertsOf(stack, obligationId)).map((a) => a.level)).toEqual(['warning-2-working-days']);

    await clock('2027-06-14T23:00:00.500Z');
    const alerts = await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.some((x) => x.level === 'drift'),
      3_000,
      'drift within a second or two',
    );
    expect(alerts.map((a) => [a.level, a.state, a.resolution])).toEqual([
      ['warning-2-working-days', 'resolved', 'superseded'],
      ['drift', 'open', null],
    ]);
    const drift = alerts.find((a) => a.level === 'drift')!;
    expect(new Date(drift.raised_at).getTime() - Date.parse('2027-06-14T23:00:00Z')).toBeLessThan(2_000);

    const events = (await stack.readTopic(Topics.alertEvents)).map((m) => JSON.parse(m.value)).filter((e) => e.subject === caseId);
    expect(events.map((e) => [e.type, e.data.level ?? e.data.resolution])).toEqual([
      [EventTypes.alertRaised, 'warning-2-working-days'],
      [EventTypes.alertRaised, 'drift'],
      [EventTypes.alertResolved, 'superseded'],
    ]);
    // The scheduler writes its events to the outbox as one row per batch: each must still arrive as exactly the envelope every consumer validates.
    const raisedAt = new Date(drift.raised_at).toISOString();
    const [{ source_event_id: scheduledBy }] = await stack.sql<{ source_event_id: string }>(
      'alerting',
      'SELECT source_event_id FROM obligations WHERE id = $1',
      [obligationId],
    );
    expect(events[1]).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: 'urn:plo:alerting',
      type: EventTypes.alertRaised,
      time: raisedAt,
      subject: caseId,
      datacontenttype: 'application/json',
      correlationid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      causationid: scheduledBy,
      actor: { kind: 'system', id: 'alerting' },
      data: {
        alertId: drift.id,
        caseId,
        councilId: 'test-council',
        obligationId,
        kind: 'visit',
        level: 'drift',
        severity: 'critical',
        dueDate: '2027-06-14',
        raisedAt,
        explanation: obligation.explanation,
        teamId: 'north-1',
        workerId: 'sw.alex',
        recipientId: 'sw.alex',
        episode: 1,
      },
    });
    for (const event of events) expect(decodeEvent(JSON.stringify(event))).toMatchObject({ valid: true });
    // Time-ordered like the ids the services make in code: the first 48 bits are the raising instant.
    expect(parseInt(events[1].id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(raisedAt));
    // The alert's own id is made in SQL by uuid_v7(), to the same layout.
    expect(drift.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(drift.id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse(raisedAt));
  }, 60_000);

  it('resolves drift as "met late" when the visit is recorded after its due date, keeping its history', async () => {
    const { caseId, obligationId } = await scenario.caseWithVisit('2027-06-15');
    await obligationKnown(caseId);
    await clock('2027-06-16T08:00:00+01:00');
    const [drift] = await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.some((x) => x.level === 'drift'),
      5_000,
      'drift',
    ).then((a) => a.filter((x) => x.level === 'drift'));

    await scenario.publish(Topics.caseEvents, [scenario.satisfied(caseId, obligationId, '2027-06-16')]);
    await eventually(
      () => get(`/alerts/${drift.id}`).then((r) => r.body),
      (a) => a.state === 'resolved',
      15_000,
      'met late',
    );
    const alert = (await get(`/alerts/${drift.id}`)).body;
    expect(alert).toMatchObject({ state: 'resolved', resolution: 'met-late', level: 'drift', dueDate: '2027-06-15' });
    const history = (await get<any[]>(`/alerts/${drift.id}/history`)).body;
    expect(history.map((h) => [h.transition, h.fromState, h.toState])).toEqual([
      ['raised', null, 'open'],
      ['resolved', 'open', 'resolved'],
    ]);
    expect(history[1].detail).toMatchObject({ resolution: 'met-late', satisfiedOn: '2027-06-16' });
    // The audit trail cannot be rewritten.
    await expect(stack.sql('alerting', 'DELETE FROM alert_history WHERE alert_id = $1', [drift.id])).rejects.toThrow(/append-only/);
  }, 60_000);

  it('applies duplicates once and copes with a satisfaction that arrives before its schedule', async () => {
    const caseId = randomUUID();
    const obligationId = randomUUID();
    const early = randomUUID();
    const opened = scenario.caseOpened(caseId);
    const visit = scenario.visitScheduled(caseId, obligationId, '2027-06-18');
    // The met visit's satisfaction comes first; its schedule afterwards.
    await scenario.publish(Topics.caseEvents, [opened, opened, visit, visit, scenario.satisfied(caseId, early, '2027-06-17')]);
    await scenario.publish(Topics.caseEvents, [scenario.visitScheduled(caseId, early, '2027-06-18'), visit]);
    const list = await eventually(
      () => get<any[]>(`/obligations?caseId=${caseId}`).then((r) => r.body),
      (l) => Array.isArray(l) && l.length === 2,
      30_000,
      'both obligations',
    );
    expect(list.map((o) => [o.id === early ? 'early' : 'visit', o.status, o.satisfiedOn]).sort()).toEqual([
      ['early', 'satisfied', '2027-06-17'],
      ['visit', 'open', null],
    ]);
    await clock('2027-06-19T00:00:01+01:00');
    await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.some((x) => x.level === 'drift'),
      5_000,
      'drift of the open visit',
    );
    expect(await alertsOf(stack, early)).toEqual([]);
    expect((await alertsOf(stack, obligationId)).filter((a) => a.level === 'drift')).toHaveLength(1);
  }, 60_000);

  it('escalates unacknowledged drift to the team manager, then the service manager; acknowledging stops it', async () => {
    expect(
      (await request('PUT', `${alerting.url}/admin/teams/east-3`, { serviceManagerId: 'sm.kim' }, await administrator(stack))).status,
    ).toBe(200);
    const ola = await as(stack, 'sw.ola', ['social-worker'], ['east-3']);
    const kim = await as(stack, 'sm.kim', ['service-manager'], ['east-3']);
    const { caseId, obligationId } = await scenario.caseWithVisit('2027-06-21', {
      teamId: 'east-3',
      allocatedWorkerId: 'sw.ola',
      teamManagerId: 'tm.lee',
    });
    const other = await scenario.caseWithVisit('2027-06-21', { teamId: 'east-3', allocatedWorkerId: 'sw.ola', teamManagerId: 'tm.lee' });
    await obligationKnown(caseId);
    await obligationKnown(other.caseId);
    // Drift at 00:00 BST on Tue 22 Jun; two working days later (Thu 24 Jun) it goes to the team manager.
    await clock('2027-06-22T09:00:00+01:00');
    const [drift] = (
      await eventually(
        () => alertsOf(stack, obligationId),
        (a) => a.some((x) => x.level === 'drift'),
        5_000,
        'drift',
      )
    ).filter((a) => a.level === 'drift');
    const [otherDrift] = (
      await eventually(
        () => alertsOf(stack, other.obligationId),
        (a) => a.some((x) => x.level === 'drift'),
        5_000,
        'drift',
      )
    ).filter((a) => a.level === 'drift');
    expect(drift).toMatchObject({ escalation_step: 0, recipient_id: 'sw.ola' });

    const acknowledged = await request(
      'POST',
      `${alerting.url}/alerts/${otherDrift.id}/acknowledge`,
      { note: 'visit booked for tomorrow' },
      ola,
    );
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({
      state: 'acknowledged',
      acknowledgedBy: 'sw.ola',
      acknowledgementNote: 'visit booked for tomorrow',
      escalatesAt: null,
    });
    const again = await request('POST', `${alerting.url}/alerts/${otherDrift.id}/acknowledge`, {}, ola);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ currentState: 'acknowledged' });

    await clock('2027-06-24T00:00:01+01:00');
    await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.find((x) => x.id === drift.id)?.escalation_step === 1,
      5_000,
      'team manager step',
    );
    expect((await alertsOf(stack, obligationId)).find((a) => a.id === drift.id)).toMatchObject({ recipient_id: 'tm.lee' });
    // Three more working days (Fri 25, Mon 28, Tue 29) → service manager at the start of Tue 29 Jun.
    await clock('2027-06-29T00:00:01+01:00');
    await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.find((x) => x.id === drift.id)?.escalation_step === 2,
      5_000,
      'service manager step',
    );
    expect((await alertsOf(stack, obligationId)).find((a) => a.id === drift.id)).toMatchObject({ recipient_id: 'sm.kim' });
    expect((await alertsOf(stack, other.obligationId)).find((a) => a.id === otherDrift.id)).toMatchObject({
      escalation_step: 0,
      state: 'acknowledged',
    });

    const escalations = (await stack.readTopic(Topics.alertEvents))
      .map((m) => JSON.parse(m.value))
      .filter((e) => e.type === EventTypes.alertEscalated && e.data.alertId === drift.id);
    expect(escalations.map((e) => [e.data.escalationStep, e.data.recipientRole, e.data.recipientId])).toEqual([
      [1, 'team-manager', 'tm.lee'],
      [2, 'service-manager', 'sm.kim'],
    ]);

    // A manager resolves it with a reason; If-Match guards against acting on a stale view.
    const current = await get(`/alerts/${drift.id}`);
    const stale = await request('POST', `${alerting.url}/alerts/${drift.id}/resolve`, { reason: 'x' }, { ...kim, 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const missingReason = await request('POST', `${alerting.url}/alerts/${drift.id}/resolve`, { reasn: 'typo' }, kim);
    expect(missingReason.status).toBe(400);
    expect(missingReason.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['reasn', 'reason']);
    const resolved = await request(
      'POST',
      `${alerting.url}/alerts/${drift.id}/resolve`,
      { reason: 'child moved out of area; case transferring' },
      { ...kim, 'if-match': current.headers.get('etag')! },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      state: 'resolved',
      resolution: 'manager',
      resolvedBy: 'sm.kim',
      resolutionReason: 'child moved out of area; case transferring',
    });
    expect((await request('POST', `${alerting.url}/alerts/${drift.id}/resolve`, { reason: 'again' }, kim)).status).toBe(409);
    const history = (await get<any[]>(`/alerts/${drift.id}/history`)).body;
    expect(history.map((h) => h.transition)).toEqual(['raised', 'escalated', 'escalated', 'resolved']);
    expect(history.at(-1).actor).toBe('user:sm.kim');
  }, 90_000);

  it('gives managers their open alerts, filtered and paginated, with dashboard counts; re-allocation moves alerts', async () => {
    const teamCases = [];
    for (let i = 0; i < 3; i += 1)
      teamCases.push(
        await scenario.caseWithVisit('2027-06-30', {
          teamId: 'west-9',
          allocatedWorkerId: i === 0 ? 'sw.una' : 'sw.ben',
          teamManagerId: 'tm.ria',
        }),
      );
    for (const c of teamCases) await obligationKnown(c.caseId);
    await clock('2027-07-01T10:00:00+01:00');
    await eventually(
      () => stack.sql('alerting', `SELECT count(*)::int AS n FROM alerts WHERE team_id = 'west-9' AND level = 'drift'`),
      (r) => r[0].n === 3,
      5_000,
      'three drift alerts',
    );

    const ria = await as(stack, 'tm.ria', ['team-manager'], ['west-9']);
    const mine = await request('GET', `${alerting.url}/alerts?limit=2&level=drift`, undefined, ria);
    expect(mine.status).toBe(200);
    expect(mine.body.teams).toEqual(['west-9']);
    expect(mine.body.items).toHaveLength(2);
    const next = await request('GET', `${alerting.url}/alerts?limit=2&level=drift&cursor=${mine.body.nextCursor}`, undefined, ria);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.nextCursor).toBeNull();
    await clock('2027-07-01T13:00:00+01:00');
    const una = await request(
      'GET',
      `${alerting.url}/alerts?teamId=west-9&workerId=sw.una&severity=critical&kind=visit&minAgeHours=2`,
      undefined,
      ria,
    );
    expect(una.body.items.map((a: { workerId: string }) => a.workerId)).toEqual(['sw.una']);
    expect((await request('GET', `${alerting.url}/alerts?teamId=west-9&minAgeHours=48`, undefined, ria)).body.items).toEqual([]);
    const bad = await request('GET', `${alerting.url}/alerts?teamId=west-9&severity=urgent&limit=0`, undefined, ria);
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['limit', 'severity']);
    expect((await request('GET', `${alerting.url}/alerts/${randomUUID()}`, undefined, ria)).status).toBe(404);

    const dashboard = (await request('GET', `${alerting.url}/alerts/dashboard?teamId=west-9`, undefined, ria)).body;
    expect(dashboard).toMatchObject({
      active: 3,
      open: 3,
      bySeverity: { critical: 3, high: 0 },
      byKind: { visit: 3 },
      driftByAge: { upTo1Week: 3, upTo4Weeks: 0, upTo12Weeks: 0, over12Weeks: 0 },
    });

    await scenario.publish(Topics.caseEvents, [
      scenario.envelope('cases', EventTypes.caseAllocated, teamCases[0].caseId, {
        caseId: teamCases[0].caseId,
        teamId: 'south-4',
        allocatedWorkerId: 'sw.new',
        teamManagerId: 'tm.new',
        allocatedOn: '2027-07-01',
      }),
    ]);
    const newManager = await as(stack, 'tm.new', ['team-manager'], ['south-4']);
    const [moved] = await eventually(
      () => request<any>('GET', `${alerting.url}/alerts`, undefined, newManager).then((r) => r.body.items),
      (items) => items.length === 1,
      15_000,
      'the alert to follow the case',
    );
    expect(moved).toMatchObject({ teamId: 'south-4', workerId: 'sw.new', recipientId: 'sw.new', state: 'open' });
    expect(
      (await request<any[]>('GET', `${alerting.url}/alerts/${moved.id}/history`, undefined, newManager)).body.map((h) => h.transition),
    ).toEqual(['raised', 'reassigned']);
    // tm.ria no longer sees it: it left her team with the case.
    expect((await request('GET', `${alerting.url}/alerts/${moved.id}`, undefined, ria)).status).toBe(404);
  }, 60_000);

  it('raises an alert for drift PLO projects, and resolves it when the projection is cleared', async () => {
    const caseId = randomUUID();
    const proceedingsId = randomUUID();
    const childId = randomUUID();
    await scenario.publish(Topics.caseEvents, [scenario.caseOpened(caseId, { legalStatus: 'plo' })]);
    await eventually(
      () => stack.sql('alerting', 'SELECT 1 FROM case_directory WHERE case_id = $1', [caseId]),
      (r) => r.length === 1,
      15_000,
      'the case',
    );
    const projected = scenario.envelope('proceedings', EventTypes.driftProjected, caseId, {
      caseId,
      proceedingsId,
      childId,
      completionDate: '2027-12-01',
      reason: 'no-final-hearing-listed',
      detectedOn: '2027-07-01',
      explanation: 'no final hearing is listed and 22 weeks have passed',
    });
    await scenario.publish(Topics.proceedingsEvents, [projected, projected]);
    const subject = `proceedings:${proceedingsId}:child:${childId}`;
    const [alert] = await eventually(
      () => alertsOf(stack, subject),
      (a) => a.length === 1,
      15_000,
      'the projected-drift alert',
    );
    expect(alert).toMatchObject({ level: 'projected-drift', state: 'open', recipient_id: 'sw.alex' });
    await scenario.publish(Topics.proceedingsEvents, [
      scenario.envelope('proceedings', EventTypes.driftProjectionCleared, caseId, {
        caseId,
        proceedingsId,
        childId,
        clearedOn: '2027-07-02',
        reason: 'final hearing listed',
      }),
    ]);
    await eventually(
      () => alertsOf(stack, subject),
      (a) => a[0]?.resolution === 'projection-cleared',
      15_000,
      'cleared',
    );
    expect(await alertsOf(stack, subject)).toHaveLength(1);
  }, 60_000);

  it('moves alerts escalated to the team manager when the case gets a new team manager', async () => {
    const { caseId, obligationId } = await scenario.caseWithVisit('2027-07-05', {
      teamId: 'east-3',
      allocatedWorkerId: 'sw.ola',
      teamManagerId: 'tm.lee',
    });
    await obligationKnown(caseId);
    await clock('2027-07-06T09:00:00+01:00');
    await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.some((x) => x.level === 'drift'),
      5_000,
      'drift',
    );
    // Two working days on (Thu 8 Jul) it is with the team manager.
    await clock('2027-07-08T00:00:01+01:00');
    const escalated = await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.some((x) => x.level === 'drift' && x.escalation_step === 1),
      5_000,
      'team manager step',
    );
    expect(escalated.find((a) => a.level === 'drift')).toMatchObject({ recipient_id: 'tm.lee' });

    await scenario.publish(Topics.caseEvents, [
      scenario.envelope('cases', EventTypes.caseDetailsChanged, caseId, { caseId, teamManagerId: 'tm.max' }),
    ]);
    const moved = await eventually(
      () => alertsOf(stack, obligationId),
      (a) => a.find((x) => x.level === 'drift')?.recipient_id === 'tm.max',
      15_000,
      'the new team manager',
    );
    expect(moved.find((a) => a.level === 'drift')).toMatchObject({ escalation_step: 1, state: 'open' });
    expect(await stack.sql('alerting', 'SELECT team_manager_id FROM case_directory WHERE case_id = $1', [caseId])).toEqual([
      { team_manager_id: 'tm.max' },
    ]);
    const drift = moved.find((a) => a.level === 'drift')!;
    expect((await get<any[]>(`/alerts/${drift.id}/history`)).body.map((h) => h.transition)).toEqual(['raised', 'escalated', 'reassigned']);
  }, 60_000);

  it('rebuilds the same state from the topics, keeping what people did, and carries on from there', async () => {
    // Everything consumed and due has been handled; stop the service as an operator would.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await alerting.kill('SIGTERM');
    const live = await alertingState(stack);
    expect(live.alerts.some((a: any) => a.acknowledged_by === 'sw.ola')).toBe(true);
    const applied = live.processedEvents.length;

    const summary = await rebuildAlerting(stack);
    // Every message on the topics was read again; duplicates among them were applied once, as live.
    expect(summary.events).toBeGreaterThan(applied);
    const rebuilt = await alertingState(stack);
    expect(rebuilt).toEqual(live);

    // Restarted, the service skips what the rebuild applied and goes on with new events.
    await alerting.start();
    const { caseId } = await scenario.caseWithVisit('2027-08-02');
    await obligationKnown(caseId);
    expect(await stack.sql('alerting', 'SELECT count(*)::int AS n FROM processed_events')).toEqual([{ n: applied + 2 }]);
  }, 120_000);
});
