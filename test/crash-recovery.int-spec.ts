import { Topics } from '@plo/contracts';
import { delay, eventually, ServiceProcess, TestStack } from '@plo/testing';
import { newCase, openCasesContinuously, request } from './api';

/**
 * Nothing acknowledged is lost and nothing is applied twice when a service dies with SIGKILL:
 * between commit and publish (producer side) and in the middle of a stream (consumer side).
 */
describe('crash recovery', () => {
  const stack = new TestStack();
  const worker = () => stack.as({ subject: 'sw.alex', councilId: 'test-council', roles: ['social-worker'], teamIds: ['north-1'] });
  let cases: ServiceProcess;
  let alerting: ServiceProcess;

  beforeAll(async () => {
    alerting = stack.service('alerting');
    await alerting.start();
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const countAlerting = async (sql: string) => (await stack.sql<{ n: number }>('alerting', sql))[0].n;

  it('publishes, after a restart, events committed before a SIGKILL stopped the relay', async () => {
    // With the relay off, the process stands for one killed after its commit and before its publish.
    cases = stack.service('cases', { OUTBOX_RELAY_ENABLED: 'false' });
    await cases.start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await request('POST', `${cases.url}/cases`, newCase(), await worker());
      expect(response.status).toBe(201);
      ids.push(response.body.id);
    }
    expect(await stack.sql('cases', 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).toEqual([{ n: 10 }]);
    await cases.kill('SIGKILL');

    cases = stack.service('cases');
    await cases.start();
    await eventually(
      () => countAlerting(`SELECT count(*)::int AS n FROM obligations`),
      (n) => n === 5,
      30_000,
      'all five obligations in alerting',
    );
    const onTopic = (await stack.readTopic(Topics.caseEvents)).filter((m) => ids.includes(m.key!));
    expect(onTopic).toHaveLength(10);
    expect(new Set(onTopic.map((m) => JSON.parse(m.value).id)).size).toBe(10);
  }, 90_000);

  it('applies every event exactly once when the consumer is SIGKILLed mid-stream and restarted', async () => {
    const total = 200;
    const writes: Promise<string>[] = [];
    for (let i = 0; i < total; i += 1) {
      const headers = await worker();
      writes.push(request('POST', `${cases.url}/cases`, newCase(), headers).then((r) => (expect(r.status).toBe(201), r.body.id)));
      if (i % 20 === 19) await Promise.all(writes.slice(-20));
    }
    const caseIds = await Promise.all(writes);
    // Kill the consumer while it is part-way through the stream.
    await eventually(() => countAlerting('SELECT count(*)::int AS n FROM obligations'), (n) => n > 5 + 20, 30_000, 'some progress');
    await alerting.kill('SIGKILL');
    const appliedAtKill = await countAlerting('SELECT count(*)::int AS n FROM obligations');
    alerting = stack.service('alerting');
    await alerting.start();

    await eventually(() => countAlerting('SELECT count(*)::int AS n FROM obligations'), (n) => n === 5 + total, 60_000, 'every obligation');
    const events = (await stack.readTopic(Topics.caseEvents)).filter((m) => caseIds.includes(m.key!));
    expect(events).toHaveLength(2 * total);
    const applied = await countAlerting(`SELECT count(*)::int AS n FROM processed_events WHERE outcome = 'applied'`);
    expect(applied).toBe(2 * (5 + total));
    expect(appliedAtKill).toBeLessThan(5 + total);
  }, 180_000);

  it('loses no acknowledged write when the producing service is SIGKILLed mid-stream', async () => {
    const writer = openCasesContinuously(() => cases.url, worker);
    const { acknowledged } = writer;
    await eventually(async () => acknowledged.length, (n) => n >= 30, 30_000, 'some acknowledged writes');
    await cases.kill('SIGKILL');
    await delay(500);
    cases = stack.service('cases');
    await cases.start();
    await eventually(async () => acknowledged.length, (n) => n >= 60, 30_000, 'writes after the restart');
    await writer.stop();

    const committed = await stack.sql<{ id: string }>('cases', 'SELECT id FROM cases');
    await eventually(
      () => countAlerting('SELECT count(*)::int AS n FROM case_directory'),
      (n) => n === committed.length,
      60_000,
      'alerting to know every committed case',
    );
    const known = new Set((await stack.sql<{ case_id: string }>('alerting', 'SELECT case_id FROM case_directory')).map((r) => r.case_id));
    expect(acknowledged.filter((id) => !known.has(id))).toEqual([]);
    expect(await countAlerting('SELECT count(*)::int AS n FROM obligations')).toBe(committed.length);
  }, 180_000);
});

describe('graceful shutdown', () => {
  const stack = new TestStack();

  afterAll(() => stack.stop(), 60_000);

  it('leaves the consumer group at once on SIGTERM, so partitions move without a session timeout', async () => {
    const alerting = await stack.service('alerting').start();
    const admin = stack.kafka.admin();
    await admin.connect();
    try {
      const group = `${stack.namespace}alerting`;
      await eventually(async () => (await admin.describeGroups([group])).groups[0], (g) => g.members.length === 1, 30_000, 'the consumer to join');
      await alerting.kill('SIGTERM');
      const [after] = (await admin.describeGroups([group])).groups;
      expect(after.members).toHaveLength(0);
      expect(after.state).toBe('Empty');
    } finally {
      await admin.disconnect();
    }
  }, 60_000);
});
