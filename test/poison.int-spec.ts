import { randomUUID } from 'node:crypto';
import { deadLetterTopic, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';

function envelope(type: string, caseId: string, data: object) {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'urn:plo:cases',
    type,
    time: new Date().toISOString(),
    subject: caseId,
    datacontenttype: 'application/json',
    correlationid: randomUUID(),
    actor: { kind: 'user', id: 'test' },
    data,
  };
}

function obligation(caseId: string, obligationId = randomUUID()) {
  return envelope(EventTypes.obligationScheduled, caseId, {
    obligationId,
    caseId,
    councilId: 'test-council',
    kind: 'visit',
    ruleId: 'cp-visit',
    dueDate: '2026-12-01',
    explanation: 'test obligation',
    responsible: { teamId: 'north-1', workerId: 'sw.alex' },
  });
}

/**
 * A message that cannot be applied is retried a bounded number of times, then parked on the
 * dead-letter topic with the reason, and the partition moves on to the messages behind it.
 */
describe('poison messages', () => {
  const stack = new TestStack();
  let alerting: ServiceProcess;
  const caseId = randomUUID();

  beforeAll(async () => {
    alerting = stack.service('alerting', { CONSUMER_MAX_ATTEMPTS: '3' });
    await alerting.start();
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const operator = () => stack.as({ subject: 'ops.jo', councilId: 'test-council', roles: ['administrator'] });

  it('dead-letters malformed and failing messages with the reason while later messages are applied', async () => {
    // A database rule that refuses one obligation stands for a handler that keeps failing.
    const refused = randomUUID();
    await stack.sql(
      'alerting',
      `CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN
         IF NEW.id = '${refused}' THEN RAISE EXCEPTION 'refused by test rule'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await stack.sql('alerting', 'CREATE TRIGGER refuse_poison BEFORE INSERT ON obligations FOR EACH ROW EXECUTE FUNCTION refuse_poison()');

    const before = obligation(caseId);
    const invalid = obligation(caseId);
    (invalid.data as Record<string, unknown>).dueDate = '2026-02-30';
    const failing = obligation(caseId, refused);
    const after = obligation(caseId);
    await stack.produce(Topics.caseEvents, [
      { key: caseId, value: JSON.stringify(before) },
      { key: caseId, value: '{ this is not json' },
      { key: caseId, value: JSON.stringify(invalid) },
      { key: caseId, value: JSON.stringify(failing) },
      { key: caseId, value: JSON.stringify(after) },
    ]);

    const applied = await eventually(
      () => stack.sql<{ id: string }>('alerting', 'SELECT id FROM obligations WHERE case_id = $1 ORDER BY id', [caseId]),
      (rows) => rows.length === 2,
      30_000,
      'the messages around the poison to be applied',
    );
    expect(applied.map((r) => r.id).sort()).toEqual(
      [before.data, after.data].map((d) => (d as { obligationId: string }).obligationId).sort(),
    );

    const parked = await eventually(
      () => stack.readTopic(deadLetterTopic('alerting'), 3),
      (m) => m.length === 3,
      30_000,
      'three dead letters',
    );
    const reasons = parked.map((m) => JSON.parse(m.value));
    expect(reasons.map((r) => r.error)).toEqual([
      expect.stringContaining('not JSON'),
      expect.stringContaining('data.dueDate'),
      expect.stringMatching(/handler failed 3 times: .*refused by test rule/),
    ]);
    expect(reasons[1].original.value).toBe(JSON.stringify(invalid));
    expect(reasons[2].attempts).toBe(3);

    const listed = await request<any[]>('GET', `${alerting.url}/admin/dead-letters`, undefined, await operator());
    expect(listed.body.map((d) => d.messageId)).toEqual(expect.arrayContaining([invalid.id, failing.id]));
  }, 60_000);

  it('replays a dead letter once the cause is fixed, and keeps it open while it still fails', async () => {
    const listed = (await request<any[]>('GET', `${alerting.url}/admin/dead-letters`, undefined, await operator())).body;
    const failing = listed.find((d) => d.error.includes('refused by test rule'));
    const stillFailing = await request('POST', `${alerting.url}/admin/dead-letters/${failing.id}/replay`, undefined, await operator());
    expect(stillFailing.status).toBe(201);
    expect(stillFailing.body).toMatchObject({ replayedAt: null, replayError: expect.stringContaining('refused by test rule') });

    await stack.sql('alerting', 'DROP TRIGGER refuse_poison ON obligations');
    const replayed = await request('POST', `${alerting.url}/admin/dead-letters/${failing.id}/replay`, undefined, await operator());
    expect(replayed.body.replayedAt).not.toBeNull();
    expect(await stack.sql('alerting', 'SELECT count(*)::int AS n FROM obligations WHERE case_id = $1', [caseId])).toEqual([{ n: 3 }]);
    const open = (await request<any[]>('GET', `${alerting.url}/admin/dead-letters`, undefined, await operator())).body;
    expect(open.map((d) => d.id)).not.toContain(failing.id);
    expect(open).toHaveLength(2);
  }, 60_000);
});
