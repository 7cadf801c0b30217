import { delay, eventually, PrivateBroker, ServiceProcess, TestStack } from '@plo/testing';
import { openCasesContinuously } from './api';

/**
 * The broker itself dies (SIGKILL) and comes back while a stream of writes flows through the
 * system: every acknowledged write still reaches the consumer, and none is applied twice.
 */
describe('Kafka broker killed and restarted mid-stream', () => {
  const broker = new PrivateBroker(19_192);
  let stack: TestStack;
  let cases: ServiceProcess;
  const worker = () => stack.as({ subject: 'sw.alex', councilId: 'test-council', roles: ['social-worker'], teamIds: ['north-1'] });

  beforeAll(async () => {
    await broker.start();
    stack = new TestStack({ brokers: broker.brokers });
    cases = await stack.service('cases').start();
    await stack.service('alerting').start();
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
    await broker.destroy();
  }, 60_000);

  it('loses no acknowledged write and applies each event once', async () => {
    const writer = openCasesContinuously(() => cases.url, worker);
    const { acknowledged } = writer;
    await eventually(async () => acknowledged.length, (n) => n >= 30, 30_000, 'writes before the crash');
    await broker.kill();
    await delay(2000);
    await broker.start();
    const afterRestart = acknowledged.length;
    await eventually(async () => acknowledged.length, (n) => n >= afterRestart + 30, 60_000, 'writes after the restart');
    await writer.stop();

    // Writes keep being accepted while the broker is down: the outbox holds them.
    const committed = await stack.sql<{ id: string }>('cases', 'SELECT id FROM cases');
    const count = (sql: string) => stack.sql<{ n: number }>('alerting', sql).then((rows) => rows[0].n);
    await eventually(() => count('SELECT count(*)::int AS n FROM obligations'), (n) => n === committed.length, 120_000, 'every obligation in alerting');
    const known = new Set((await stack.sql<{ case_id: string }>('alerting', 'SELECT case_id FROM case_directory')).map((r) => r.case_id));
    expect(acknowledged.filter((id) => !known.has(id))).toEqual([]);
    expect(await count(`SELECT count(*)::int AS n FROM processed_events WHERE outcome = 'applied'`)).toBe(2 * committed.length);
  }, 240_000);
});
