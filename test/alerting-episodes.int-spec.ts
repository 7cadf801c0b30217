import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeEvent, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { administrator, AlertingScenario, as, setClock } from './alerting-support';

interface StoredAlert {
  id: string;
  level: string;
  state: string;
  resolution: string | null;
  episode: number;
  previous_alert_id: string | null;
  historical: boolean;
  team_id: string;
  worker_id: string;
  escalation_step: number;
  recipient_id: string | null;
}

/**
 * Issue 15 in alerting, with events produced straight onto the topics as the cases and PLO services
 * would: alerts that recur are new episodes, history is kept without noise, obligations may fall due
 * at a time of day, the team and worker come from the case, and legal follows legal involvement.
 */
describe('alerting: episodes, history, times of day, allocation and legal involvement', () => {
  const stack = new TestStack();
  const scenario = new AlertingScenario(stack);
  let alerting: ServiceProcess;
  const clock = (at: string) => setClock(stack, [alerting.url], at);
  const reader = () => as(stack, 'sm.kim', ['service-manager'], ['north-1', 'east-3', 'hist-7', 'ep-1']);
  // A webhook receiver of the council's alert-raised events for team ep-1.
  const delivered: any[] = [];
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      delivered.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  const get = async <T = any>(path: string, headers?: Record<string, string>) =>
    request<T>('GET', `${alerting.url}${path}`, undefined, headers ?? (await reader()));

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    alerting = stack.service('alerting', { TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    await alerting.start();
    await clock('2027-06-01T09:00:00Z');
    const subscribed = await request(
      'POST',
      `${alerting.url}/webhook-subscriptions`,
      { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, teamId: 'ep-1', eventTypes: [EventTypes.alertRaised] },
      await administrator(stack),
    );
    expect(subscribed.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await stack.stop();
    await new Promise((resolve) => receiver.close(resolve));
  }, 60_000);

  const alertsOf = (subject: string) =>
    stack.sql<StoredAlert>(
      'alerting',
      `SELECT id, level, state, resolution, episode, previous_alert_id, historical, team_id, worker_id, escalation_step, recipient_id
         FROM alerts WHERE subject_key = $1 ORDER BY episode, raised_at, level`,
      [subject],
    );
  const caseKnown = (caseId: string) =>
    eventually(
      () => stack.sql('alerting', 'SELECT 1 FROM case_directory WHERE case_id = $1', [caseId]),
      (r) => r.length === 1,
      15_000,
      'the case in alerting',
    );
  const eventsOf = async (caseId: string) =>
    (await stack.readTopic(Topics.alertEvents)).map((m) => JSON.parse(m.value)).filter((e) => e.subject === caseId);
  const scheduled = (caseId: string, obligationId: string, dueDate: string, extra: Record<string, unknown> = {}) =>
    scenario.envelope('cases', EventTypes.obligationScheduled, caseId, {
      ...scenario.visitScheduled(caseId, obligationId, dueDate).data,
      ...extra,
    });

  it('raises a projected drift that was cleared and comes back as the next episode, linked to the last, once however often it arrives', async () => {
    const caseId = randomUUID();
    const proceedingsId = randomUUID();
    const childId = randomUUID();
    await scenario.publish(Topics.caseEvents, [scenario.caseOpened(caseId, { teamId: 'ep-1' })]);
    await caseKnown(caseId);
    const projected = (completionDate: string) =>
      scenario.envelope('proceedings', EventTypes.driftProjected, caseId, {
        caseId,
        proceedingsId,
        childId,
        completionDate,
        reason: 'final-hearing-after-completion',
        detectedOn: '2027-06-01',
        explanation: 'the final hearing is listed after the last day of the 26 weeks',
      });
    const cleared = () =>
      scenario.envelope('proceedings', EventTypes.driftProjectionCleared, caseId, {
        caseId,
        proceedingsId,
        childId,
        clearedOn: '2027-06-01',
        reason: 'final hearing moved inside the 26 weeks',
      });
    const subject = `proceedings:${proceedingsId}:child:${childId}`;
    const first = projected('2027-12-01');
    await scenario.publish(Topics.proceedingsEvents, [first, first, cleared()]);
    await eventually(
      () => alertsOf(subject),
      (a) => a.length === 1 && a[0].state === 'resolved',
      15_000,
      'the first episode, cleared',
    );
    // The hearing is adjourned past the limit again: twice over (two sweeps saw it), and one redelivered.
    const again = projected('2027-12-01');
    await scenario.publish(Topics.proceedingsEvents, [again, projected('2027-12-01'), again]);
    const alerts = await eventually(
      () => alertsOf(subject),
      (a) => a.length === 2,
      15_000,
      'the second episode',
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await alertsOf(subject)).toHaveLength(2);
    const [one, two] = alerts;
    expect([one, two].map((a) => [a.episode, a.state, a.resolution, a.previous_alert_id])).toEqual([
      [1, 'resolved', 'projection-cleared', null],
      [2, 'open', null, one.id],
    ]);

    const view = await get(`/alerts/${two.id}`);
    expect(view.body).toMatchObject({ id: two.id, episode: 2, previousAlertId: one.id, historical: false, state: 'open' });
    const history = await get<any[]>(`/alerts/${two.id}/history`);
    expect(history.body.map((h) => h.transition)).toEqual(['raised']);

    const raised = (await eventsOf(caseId)).filter((e) => e.type === EventTypes.alertRaised);
    expect(raised.map((e) => [e.data.alertId, e.data.episode, e.data.previousAlertId])).toEqual([
      [one.id, 1, undefined],
      [two.id, 2, one.id],
    ]);
    for (const event of raised) expect(decodeEvent(JSON.stringify(event))).toMatchObject({ valid: true });
    // Delivered again: the webhook received each episode's alert-raised.
    await eventually(
      async () => delivered.filter((e) => e.subject === caseId).map((e) => [e.data.alertId, e.data.episode]),
      (d) => d.length === 2,
      20_000,
      'both episodes delivered to the webhook',
    );
    expect(delivered.filter((e) => e.subject === caseId).map((e) => [e.data.alertId, e.data.episode])).toEqual([
      [one.id, 1],
      [two.id, 2],
    ]);

    // Two active alerts of one subject, level and due date cannot exist, whatever writes them.
    await expect(
      stack.sql(
        'alerting',
        `INSERT INTO alerts (id, subject_key, level, due_date, case_id, council_id, kind, severity, explanation, state, team_id, worker_id,
                             raised_at, episode)
         SELECT gen_random_uuid(), subject_key, level, due_date, case_id, council_id, kind, severity, explanation, 'open', team_id, worker_id,
                now(), 3
           FROM alerts WHERE id = $1`,
        [two.id],
      ),
    ).rejects.toThrow(/one_active_alert_per_subject_level_and_due_date/);
  }, 60_000);

  it('leaves no projected drift active on a 26 weeks already drifted, whichever of the drift and the projection arrives first', async () => {
    // The 26 weeks ended on 20 May; at the clock's 1 June the obligation drifts as soon as it is known.
    const completionDate = '2027-05-20';
    const child = async (order: 'drift-first' | 'projection-first') => {
      const caseId = randomUUID();
      const proceedingsId = randomUUID();
      const childId = randomUUID();
      const obligationId = randomUUID();
      await scenario.publish(Topics.caseEvents, [scenario.caseOpened(caseId, { teamId: 'ep-1' })]);
      await caseKnown(caseId);
      const completion = scenario.envelope('proceedings', EventTypes.obligationScheduled, caseId, {
        obligationId,
        caseId,
        councilId: 'test-council',
        childId,
        kind: 'proceedings-completion',
        ruleId: 'plo-26-weeks',
        dueDate: completionDate,
        explanation: 'care proceedings to be completed within 26 weeks of issue',
        responsible: { teamId: 'ep-1', workerId: 'sw.alex' },
      });
      // A hearing entered late in the history is listed after the 26 weeks.
      const projection = scenario.envelope('proceedings', EventTypes.driftProjected, caseId, {
        caseId,
        proceedingsId,
        childId,
        completionDate,
        reason: 'final-hearing-after-completion',
        finalHearingDate: '2027-06-14',
        detectedOn: '2027-06-01',
        explanation: 'the final hearing is listed after the last day of the 26 weeks',
      });
      const subject = `proceedings:${proceedingsId}:child:${childId}`;
      if (order === 'drift-first') {
        await scenario.publish(Topics.proceedingsEvents, [completion]);
        await eventually(
          () => alertsOf(obligationId),
          (a) => a.length === 1 && a[0].level === 'drift',
          15_000,
          'the drift',
        );
        await scenario.publish(Topics.proceedingsEvents, [projection, projection]);
        await eventually(
          () => stack.sql('alerting', 'SELECT 1 FROM processed_events WHERE message_id = $1', [projection.id]),
          (r) => r.length === 1,
          15_000,
          'the projection consumed',
        );
      } else {
        // As PLO sends them live: the 26 weeks scheduled at issue, the hearing listed late before they end.
        await clock('2027-05-10T09:00:00Z');
        await scenario.publish(Topics.proceedingsEvents, [completion]);
        await eventually(
          () => stack.sql('alerting', 'SELECT 1 FROM obligations WHERE id = $1', [obligationId]),
          (r) => r.length === 1,
          15_000,
          'the 26 weeks known to alerting',
        );
        await scenario.publish(Topics.proceedingsEvents, [projection]);
        await eventually(
          () => alertsOf(subject),
          (a) => a.length === 1,
          15_000,
          'the projection alert',
        );
        await clock('2027-06-01T09:00:00Z');
        await eventually(
          () => alertsOf(obligationId),
          (a) => a.some((x) => x.level === 'drift'),
          15_000,
          'the drift',
        );
      }
      await eventually(
        () => alertsOf(subject),
        (a) => a.every((x) => x.state === 'resolved'),
        15_000,
        `no active projection (${order})`,
      );
      const active = await stack.sql<{ level: string; state: string }>(
        'alerting',
        `SELECT level, state FROM alerts WHERE case_id = $1 AND state <> 'resolved' ORDER BY level`,
        [caseId],
      );
      return { caseId, subject, active };
    };

    const driftFirst = await child('drift-first');
    const projectionFirst = await child('projection-first');
    expect(driftFirst.active).toEqual([{ level: 'drift', state: 'open' }]);
    expect(projectionFirst.active).toEqual(driftFirst.active);
    expect((await alertsOf(projectionFirst.subject)).map((a) => [a.level, a.state, a.resolution])).toEqual([
      ['projected-drift', 'resolved', 'superseded'],
    ]);
    // Arriving after the drift, the projection is not news to anyone: nothing published, nothing delivered.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await alertsOf(driftFirst.subject)).toEqual([]);
    const raised = (await eventsOf(driftFirst.caseId)).filter((e) => e.type === EventTypes.alertRaised);
    expect(raised.map((e) => e.data.level)).toEqual(['drift']);
    expect(delivered.filter((e) => e.subject === driftFirst.caseId).map((e) => e.data.level)).not.toContain('projected-drift');
  }, 90_000);

  it('records drift that history settled as a resolved, historical alert, publishes nothing, and leaves the dashboard alone', async () => {
    const caseId = randomUUID();
    const metLate = randomUUID();
    const metInTime = randomUUID();
    const stillOpen = randomUUID();
    await scenario.publish(Topics.caseEvents, [
      scenario.caseOpened(caseId, { teamId: 'hist-7', allocatedWorkerId: 'sw.hana' }),
      scheduled(caseId, metLate, '2027-05-03', { historical: true }),
      scenario.envelope('cases', EventTypes.obligationSatisfied, caseId, {
        obligationId: metLate,
        caseId,
        satisfiedOn: '2027-05-10',
        historical: true,
      }),
      scheduled(caseId, metInTime, '2027-05-03', { historical: true }),
      scenario.satisfied(caseId, metInTime, '2027-05-02'),
      scheduled(caseId, stillOpen, '2027-05-17', { historical: true }),
    ]);
    const [recorded] = await eventually(
      () => alertsOf(metLate),
      (a) => a.length === 1,
      15_000,
      'the historical drift',
    );
    expect(recorded).toMatchObject({
      level: 'drift',
      state: 'resolved',
      resolution: 'met-late',
      episode: 1,
      historical: true,
      team_id: 'hist-7',
      worker_id: 'sw.hana',
    });
    const view = await get(`/alerts/${recorded.id}`);
    expect(view.body).toMatchObject({ historical: true, state: 'resolved', resolution: 'met-late', episode: 1, recipientId: null });
    const history = await get<any[]>(`/alerts/${recorded.id}/history`);
    expect(history.body.map((h) => [h.transition, h.toState])).toEqual([
      ['raised', 'open'],
      ['resolved', 'resolved'],
    ]);
    // The clock (1 June) is past every due date: the open historical obligation would have drifted if it were live.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await alertsOf(metInTime)).toEqual([]);
    expect(await alertsOf(stillOpen)).toEqual([]);
    expect(await eventsOf(caseId)).toEqual([]);
    const [{ n: deliveries }] = await stack.sql<{ n: number }>(
      'alerting',
      'SELECT count(*)::int AS n FROM deliveries WHERE alert_id = $1',
      [recorded.id],
    );
    expect(deliveries).toBe(0);
    const dashboard = await get('/alerts/dashboard?teamId=hist-7');
    expect(dashboard.body).toMatchObject({ active: 0, metLate: 0, byKind: {} });
    const resolved = await get<any>('/alerts?state=resolved&teamId=hist-7');
    expect(resolved.body.items.map((a: any) => [a.id, a.historical])).toEqual([[recorded.id, true]]);

    // The producer sends a still-open obligation live: from then on it alerts as usual.
    await scenario.publish(Topics.caseEvents, [scheduled(caseId, stillOpen, '2027-05-17')]);
    const [drift] = await eventually(
      () => alertsOf(stillOpen),
      (a) => a.length === 1,
      15_000,
      'drift of the obligation now live',
    );
    expect(drift).toMatchObject({ level: 'drift', state: 'open', historical: false });
    await eventually(
      () => eventsOf(caseId),
      (e) => e.some((x) => x.type === EventTypes.alertRaised && x.data.alertId === drift.id),
      15_000,
      'its alert-raised event',
    );
  }, 60_000);

  it("takes an alert's team and worker from the case, never the producer's stamp, and waits for a case it has not heard of", async () => {
    const caseId = randomUUID();
    const obligationId = randomUUID();
    // PLO stamped an allocation for a case alerting has not heard of: retried, then dead-lettered.
    const early = scenario.envelope('proceedings', EventTypes.obligationScheduled, caseId, {
      ...scenario.visitScheduled(caseId, obligationId, '2027-05-24', 'sw.stale', 'stale-1').data,
    });
    await scenario.publish(Topics.proceedingsEvents, [early]);
    const [deadLetter] = await eventually(
      () => stack.sql<{ id: string; error: string }>('alerting', 'SELECT id, error FROM dead_letters WHERE message_id = $1', [early.id]),
      (rows) => rows.length === 1,
      20_000,
      'the obligation dead-lettered',
    );
    expect(deadLetter.error).toMatch(/not known to alerting yet/);
    expect(await stack.sql('alerting', 'SELECT 1 FROM obligations WHERE id = $1', [obligationId])).toEqual([]);
    // The case arrives, with other people than the stamp; an operator replays the dead letter.
    await scenario.publish(Topics.caseEvents, [
      scenario.caseOpened(caseId, { teamId: 'east-3', allocatedWorkerId: 'sw.ola', teamManagerId: 'tm.lee' }),
    ]);
    await caseKnown(caseId);
    const replayed = await request(
      'POST',
      `${alerting.url}/admin/dead-letters/${deadLetter.id}/replay`,
      undefined,
      await as(stack, 'ops.ray', ['platform-operator']),
    );
    expect(replayed.status).toBe(201);
    expect(replayed.body).toMatchObject({ replayedAt: expect.any(String) });
    const [drift] = await eventually(
      () => alertsOf(obligationId),
      (a) => a.length === 1,
      20_000,
      'drift, once the case is known',
    );
    expect(drift).toMatchObject({ level: 'drift', team_id: 'east-3', worker_id: 'sw.ola' });
    const obligations = await get<any[]>(`/obligations?caseId=${caseId}`);
    expect(obligations.body.map((o) => [o.responsibleTeamId, o.responsibleWorkerId])).toEqual([['east-3', 'sw.ola']]);
  }, 60_000);

  it('lets legal see a case, its obligations and alerts, once a child has had legal involvement', async () => {
    const legal = await as(stack, 'legal.kim', ['legal'], ['legal-1']);
    const { caseId, obligationId } = await scenario.caseWithVisit('2027-05-28');
    await eventually(
      () => alertsOf(obligationId),
      (a) => a.length === 1,
      15_000,
      'drift',
    );
    const [alert] = await alertsOf(obligationId);
    expect((await get(`/obligations?caseId=${caseId}`, legal)).status).toBe(404);
    expect((await get(`/alerts/${alert.id}`, legal)).status).toBe(404);

    await scenario.publish(Topics.proceedingsEvents, [
      scenario.envelope('proceedings', EventTypes.legalInvolvementStarted, caseId, {
        caseId,
        childId: randomUUID(),
        involvement: 'pre-proceedings',
        involvementId: randomUUID(),
        startDate: '2027-05-20',
      }),
    ]);
    const obligations = await eventually(
      () => get<any[]>(`/obligations?caseId=${caseId}`, legal),
      (r) => r.status === 200,
      15_000,
      'legal to see the obligations',
    );
    expect(obligations.body.map((o) => o.id)).toEqual([obligationId]);
    expect((await get(`/alerts/${alert.id}`, legal)).body).toMatchObject({ id: alert.id, caseId });
    const listed = await get<any>('/alerts', legal);
    expect(listed.body.items.map((a: any) => a.id)).toContain(alert.id);
    expect(
      await stack.sql('alerting', 'SELECT legal_involved_since::text AS since FROM case_directory WHERE case_id = $1', [caseId]),
    ).toEqual([{ since: '2027-05-20' }]);
    // Another council's legal staff still see nothing of it.
    const otherLegal = await as(stack, 'legal.lee', ['legal'], ['legal-9'], 'other-council');
    expect((await get(`/obligations?caseId=${caseId}`, otherLegal)).status).toBe(404);
  }, 60_000);

  it('raises drift at the time of day an obligation sets, and its warning at the same London time 2 working days before', async () => {
    const caseId = randomUUID();
    const obligationId = randomUUID();
    // Due Wed 23 Jun 2027 at 16:00 BST (15:00Z): the warning is at 16:00 on Mon 21 Jun.
    await scenario.publish(Topics.caseEvents, [
      scenario.caseOpened(caseId),
      scheduled(caseId, obligationId, '2027-06-23', { dueAt: '2027-06-23T15:00:00Z' }),
    ]);
    const [obligation] = await eventually(
      () => get<any[]>(`/obligations?caseId=${caseId}`).then((r) => r.body),
      (l) => Array.isArray(l) && l.length === 1,
      15_000,
      'the obligation',
    );
    expect(obligation.overdueAt).toBe('2027-06-23T15:00:00.000Z');
    await clock('2027-06-21T14:59:58Z');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await alertsOf(obligationId)).toEqual([]);
    await clock('2027-06-21T15:00:00.500Z');
    await eventually(
      () => alertsOf(obligationId),
      (a) => a.length === 1,
      5_000,
      'the warning at 16:00',
    );
    await clock('2027-06-23T14:59:58Z');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await alertsOf(obligationId)).map((a) => a.level)).toEqual(['warning-2-working-days']);
    await clock('2027-06-23T15:00:00.500Z');
    const alerts = await eventually(
      () => alertsOf(obligationId),
      (a) => a.some((x) => x.level === 'drift'),
      5_000,
      'drift at 16:00 on the due day',
    );
    expect(alerts.map((a) => [a.level, a.state])).toEqual([
      ['warning-2-working-days', 'resolved'],
      ['drift', 'open'],
    ]);
  }, 60_000);

  it("escalates to the service manager of the case's own council's team, when another council has a team of the same id", async () => {
    const otherAdmin = await as(stack, 'admin.other', ['administrator'], [], 'other-council');
    const put = async (headers: Record<string, string>, serviceManagerId: string) =>
      (await request('PUT', `${alerting.url}/admin/teams/north-9`, { serviceManagerId }, headers)).status;
    expect(await put(await administrator(stack), 'sm.ours')).toBe(200);
    expect(await put(otherAdmin, 'sm.theirs')).toBe(200);
    const { obligationId } = await scenario.caseWithVisit('2027-06-24', {
      councilId: 'other-council',
      teamId: 'north-9',
      allocatedWorkerId: 'sw.far',
      teamManagerId: 'tm.far',
    });
    // Drift at 00:00 BST on Fri 25 Jun; the team manager two working days later (Tue 29), the service manager three after that (Fri 2 Jul).
    await clock('2027-06-25T09:00:00+01:00');
    await eventually(
      () => alertsOf(obligationId),
      (a) => a.some((x) => x.level === 'drift'),
      15_000,
      'drift',
    );
    await clock('2027-06-29T00:00:01+01:00');
    await eventually(
      () => alertsOf(obligationId),
      (a) => a.find((x) => x.level === 'drift')?.recipient_id === 'tm.far',
      5_000,
      'the team manager step',
    );
    await clock('2027-07-02T00:00:01+01:00');
    const alerts = await eventually(
      () => alertsOf(obligationId),
      (a) => a.find((x) => x.level === 'drift')?.escalation_step === 2,
      5_000,
      'the service manager step',
    );
    expect(alerts.find((x) => x.level === 'drift')).toMatchObject({ recipient_id: 'sm.theirs', team_id: 'north-9' });
  }, 60_000);
});
