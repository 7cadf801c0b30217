import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { verifyWebhook } from '../apps/alerting/src/delivery/webhook-signature';
import { request } from './api';
import { administrator, AlertingScenario, as, setClock } from './alerting-support';

interface Mail {
  to: string[];
  subject: string;
}

interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Two alerting instances on one database share a storm of obligations falling due at one midnight,
 * one of them killed part-way; then delivery over a real SMTP server and a real webhook receiver.
 */
describe('alerting: scale-out, restarts and delivery', () => {
  const stack = new TestStack();
  const scenario = new AlertingScenario(stack);
  const mails: Mail[] = [];
  const hooks: Hook[] = [];
  const seenDeliveries = new Set<string>();
  let smtp: SMTPServer;
  let receiver: Server;
  let receiverUrl: string;
  let first: ServiceProcess;
  let second: ServiceProcess;
  let settings: Record<string, string>;
  const instances = () => [first.url, second.url];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          const headers = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: /^Subject: (.*)$/im.exec(headers)?.[1] ?? '' });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    // The /flaky endpoint refuses each delivery's first attempt; /broken refuses every attempt.
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        hooks.push({ path: req.url ?? '', headers: req.headers, body });
        const delivery = String(req.headers['x-plo-delivery']);
        const firstTime = !seenDeliveries.has(delivery);
        seenDeliveries.add(delivery);
        res.statusCode = req.url === '/broken' || firstTime ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

    settings = {
      TEST_CLOCK_ENABLED: 'true',
      NODE_ENV: 'test',
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      ALERT_SCHEDULER_BATCH_SIZE: '100',
      DELIVERY_BACKOFF_MS: '100',
      DELIVERY_POLL_INTERVAL_MS: '100',
      DELIVERY_MAX_ATTEMPTS: '3',
      // The receiver is an http server on loopback; production refuses both.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    };
    first = stack.service('alerting', settings);
    await first.start();
    second = stack.service('alerting', settings);
    await second.start();
    await setClock(stack, instances(), '2027-03-01T09:00:00Z');
    const admin = await administrator(stack);
    for (const [person, email] of [
      ['sw.alex', 'alex@example.test'],
      ['tm.sam', 'sam@example.test'],
      ['sw.storm', 'storm@example.test'],
      ['tm.storm', 'stormlead@example.test'],
    ]) {
      expect((await request('PUT', `${first.url}/admin/people/${person}`, { email }, admin)).status).toBe(200);
    }
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await new Promise((resolve) => receiver.close(resolve));
  }, 60_000);

  it('raises exactly one alert per obligation when two instances share a midnight storm and one is killed mid-way', async () => {
    const storm = 2000;
    const events = [];
    const obligationIds: string[] = [];
    for (let i = 0; i < storm; i += 1) {
      const caseId = randomUUID();
      const obligationId = randomUUID();
      obligationIds.push(obligationId);
      events.push(scenario.caseOpened(caseId, { teamId: 'storm-1', allocatedWorkerId: 'sw.storm', teamManagerId: 'tm.storm' }));
      events.push(scenario.visitScheduled(caseId, obligationId, '2027-03-08', 'sw.storm', 'storm-1'));
    }
    await scenario.publish(Topics.caseEvents, events);
    await eventually(
      () => stack.sql('alerting', `SELECT count(*)::int AS n FROM obligations WHERE responsible_team_id = 'storm-1'`),
      (r) => r[0].n === storm,
      60_000,
      'the storm’s obligations',
    );

    // Midnight at the end of Mon 8 Mar 2027 (GMT).
    await setClock(stack, instances(), '2027-03-09T00:00:00.200Z');
    await eventually(
      () => stack.sql<{ n: number }>('alerting', `SELECT count(*)::int AS n FROM alerts WHERE team_id = 'storm-1'`),
      (r) => r[0].n > 0,
      10_000,
      'the storm to start',
    );
    // Killed with its claimed batch uncommitted: those rows go back to the pool for the survivor.
    await first.kill('SIGKILL');
    first = stack.service('alerting', settings);
    await first.start();
    await setClock(stack, [first.url], '2027-03-09T00:00:30Z');

    const [{ n, subjects }] = await eventually(
      () =>
        stack.sql<{ n: number; subjects: number }>(
          'alerting',
          `SELECT count(*)::int AS n, count(DISTINCT subject_key)::int AS subjects FROM alerts WHERE team_id = 'storm-1'`,
        ),
      (r) => r[0].n === storm,
      30_000,
      'every obligation in the storm alerted',
    );
    expect({ n, subjects }).toEqual({ n: storm, subjects: storm });
    const levels = await stack.sql<{ level: string; n: number }>(
      'alerting',
      `SELECT level, count(*)::int AS n FROM alerts WHERE team_id = 'storm-1' GROUP BY level`,
    );
    expect(levels).toEqual([{ level: 'drift', n: storm }]);
    expect(
      await stack.sql(
        'alerting',
        `SELECT count(*)::int AS n FROM obligations WHERE responsible_team_id = 'storm-1' AND next_alert_at IS NOT NULL`,
      ),
    ).toEqual([{ n: 0 }]);

    // Every alert reached Kafka, and no obligation has a second alert id there (a re-sent event keeps its id).
    const raised = await eventually(
      async () =>
        (await stack.readTopic(Topics.alertEvents))
          .map((m) => JSON.parse(m.value))
          .filter((e) => e.type === EventTypes.alertRaised && e.data.teamId === 'storm-1'),
      (list) => new Set(list.map((e) => e.data.alertId)).size === storm,
      60_000,
      'every alert-raised event on the topic',
    );
    const alertIdsByObligation = new Map<string, Set<string>>();
    for (const event of raised)
      alertIdsByObligation.set(
        event.data.obligationId,
        (alertIdsByObligation.get(event.data.obligationId) ?? new Set<string>()).add(event.data.alertId),
      );
    expect(alertIdsByObligation.size).toBe(storm);
    expect([...alertIdsByObligation.values()].every((ids) => ids.size === 1)).toBe(true);
  }, 180_000);

  it('delivers drift by signed webhook (retried after a failure) and by e-mail, a broken endpoint blocking neither', async () => {
    const admin = await administrator(stack);
    const good = await request('POST', `${first.url}/webhook-subscriptions`, { url: `${receiverUrl}/flaky`, teamId: 'north-1' }, admin);
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ councilId: 'test-council', teamId: 'north-1' });
    const broken = await request(
      'POST',
      `${first.url}/webhook-subscriptions`,
      { url: `${receiverUrl}/broken`, teamId: 'north-1', eventTypes: [EventTypes.alertRaised] },
      admin,
    );
    expect(broken.status).toBe(201);
    expect((await request('POST', `${first.url}/webhook-subscriptions`, { url: 'ftp://x', eventTypes: ['nope'] }, admin)).status).toBe(400);
    // Another council's administrator subscribes to the same team id: their endpoint gets nothing of ours.
    const stranger = await as(stack, 'admin.other', ['administrator'], [], 'other-council');
    expect(
      (await request('POST', `${first.url}/webhook-subscriptions`, { url: `${receiverUrl}/other-council`, teamId: 'north-1' }, stranger))
        .status,
    ).toBe(201);

    const { caseId } = await scenario.caseWithVisit('2027-03-10');
    const sam = await as(stack, 'tm.sam', ['team-manager'], ['north-1']);
    await eventually(
      () => request<any[]>('GET', `${first.url}/obligations?caseId=${caseId}`, undefined, sam).then((r) => r.body),
      (l) => Array.isArray(l) && l.length === 1,
      30_000,
      'the visit',
    );
    await setClock(stack, instances(), '2027-03-11T00:00:00.200Z');

    const delivered = await eventually(
      () =>
        Promise.resolve(
          hooks.filter((h) => h.path === '/flaky' && JSON.parse(h.body).subject === caseId && JSON.parse(h.body).data.level === 'drift'),
        ),
      (list) => list.length >= 2,
      20_000,
      'the drift webhook, retried',
    );
    const [attempt1, attempt2] = delivered;
    expect(attempt1.headers['x-plo-delivery']).toBe(attempt2.headers['x-plo-delivery']);
    const event = JSON.parse(attempt2.body);
    expect(event).toMatchObject({ type: EventTypes.alertRaised, data: { level: 'drift', dueDate: '2027-03-10', teamId: 'north-1' } });
    const timestamp = Number(attempt2.headers['x-plo-timestamp']);
    expect(
      verifyWebhook(good.body.secret, timestamp, attempt2.body, String(attempt2.headers['x-plo-signature']), Math.floor(Date.now() / 1000)),
    ).toBe(true);
    expect(
      verifyWebhook(
        'not-the-secret-at-all',
        timestamp,
        attempt2.body,
        String(attempt2.headers['x-plo-signature']),
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(false);

    const mail = await eventually(
      () => Promise.resolve(mails.filter((m) => m.to.includes('alex@example.test') && m.subject.includes(`R-${caseId.slice(0, 6)}`))),
      (l) => l.length >= 1,
      20_000,
      'the drift e-mail',
    );
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toContain('visit is overdue');

    const alertId = event.data.alertId;
    const failed = await eventually(
      () => request<any[]>('GET', `${first.url}/deliveries?status=failed&alertId=${alertId}`, undefined, admin).then((r) => r.body),
      (list) => list.length === 1,
      20_000,
      'the broken endpoint to be given up on',
    );
    expect(failed[0]).toMatchObject({ channel: 'webhook', subscriptionId: broken.body.id, attempts: 3, lastError: 'HTTP 503' });
    const attempts = (await request<any[]>('GET', `${first.url}/deliveries/${failed[0].id}/attempts`, undefined, admin)).body;
    expect(attempts.map((a) => [a.attempt, a.succeeded, a.responseStatus])).toEqual([
      [1, false, 503],
      [2, false, 503],
      [3, false, 503],
    ]);
    const all = (await request<any[]>('GET', `${first.url}/deliveries?alertId=${alertId}`, undefined, admin)).body;
    expect(all.map((d) => [d.channel, d.status]).sort()).toEqual([
      ['email', 'sent'],
      ['webhook', 'failed'],
      ['webhook', 'sent'],
    ]);
    expect(hooks.filter((h) => h.path === '/other-council')).toEqual([]);
    expect((await request<any[]>('GET', `${first.url}/deliveries?alertId=${alertId}`, undefined, stranger)).body).toEqual([]);
  }, 90_000);

  it('sends each manager one digest per London day, however many instances and passes', async () => {
    // Both instances crossed into Thu 11 Mar; move on within the day and into the next one.
    await setClock(stack, instances(), '2027-03-11T18:00:00Z');
    await setClock(stack, instances(), '2027-03-12T00:00:01Z');
    const digestsTo = (address: string, day: string) =>
      mails.filter((m) => m.to.includes(address) && m.subject.startsWith(`[PLO digest] ${day}`));
    await eventually(
      () => Promise.resolve(digestsTo('sam@example.test', 'Fri 12 Mar 2027')),
      (l) => l.length === 1,
      20_000,
      'the 12 March digest',
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(digestsTo('sam@example.test', 'Thu 11 Mar 2027')).toHaveLength(1);
    expect(digestsTo('sam@example.test', 'Fri 12 Mar 2027')).toHaveLength(1);
    const storm = digestsTo('stormlead@example.test', 'Fri 12 Mar 2027');
    expect(storm).toHaveLength(1);
    expect(storm[0].subject).toContain('2000 active alert(s)');
    // No manager is e-mailed per alert: the storm's manager got digests only.
    expect(mails.filter((m) => m.to.includes('stormlead@example.test') && !m.subject.startsWith('[PLO digest]'))).toEqual([]);
  }, 60_000);
});
