import { Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { newCase, request } from './api';

/**
 * Nothing acknowledged is lost when the producer dies between its commit and its publish. SIGKILLs
 * in the middle of a stream, of every service and of the broker, are in test/faults.int-spec.ts.
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
    // Each opening is four events: case-opened, the child's child-status-started, and obligation-scheduled for the visit and for the supervision.
    expect(await stack.sql('cases', 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL')).toEqual([{ n: 20 }]);
    await cases.kill('SIGKILL');

    cases = stack.service('cases');
    await cases.start();
    await eventually(
      () => countAlerting(`SELECT count(*)::int AS n FROM obligations`),
      (n) => n === 10,
      30_000,
      'all ten obligations in alerting',
    );
    const onTopic = (await stack.readTopic(Topics.caseEvents)).filter((m) => ids.includes(m.key!));
    expect(onTopic).toHaveLength(20);
    expect(new Set(onTopic.map((m) => JSON.parse(m.value).id)).size).toBe(20);
  }, 90_000);
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
      await eventually(
        async () => (await admin.describeGroups([group])).groups[0],
        (g) => g.members.length === 1,
        30_000,
        'the consumer to join',
      );
      await alerting.kill('SIGTERM');
      const [after] = (await admin.describeGroups([group])).groups;
      expect(after.members).toHaveLength(0);
      expect(after.state).toBe('Empty');
    } finally {
      await admin.disconnect();
    }
  }, 60_000);
});
