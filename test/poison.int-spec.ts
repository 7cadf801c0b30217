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

  // Runs the platform for every council: sees every dead letter, those no council can be told of included.
  const operator = () => stack.as({ subject: 'ops.jo', councilId: 'platform', roles: ['platform-operator'] });
  const administratorOf = (councilId: string) => stack.as({ subject: `admin.${councilId}`, councilId, roles: ['administrator'] });

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
    // Alerting takes an obligation's people from its case, so the case comes first.
    const opened = envelope(EventTypes.caseOpened, caseId, {
      caseId,
      councilId: 'test-council',
      caseReference: 'P-1',
      teamId: 'north-1',
      allocatedWorkerId: 'sw.alex',
      legalStatus: 'child-in-need',
      openedOn: '2026-01-05',
    });
    await stack.produce(Topics.caseEvents, [
      { key: caseId, value: JSON.stringify(opened) },
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

  it('shows and replays an administrator only their council’s dead letters, a platform operator all of them', async () => {
    // Council A's message names its council; council B's names only its case, which alerting knows.
    const list = async (who: Record<string, string>) =>
      (await request<any[]>('GET', `${alerting.url}/admin/dead-letters`, undefined, who)).body;
    const ofA = obligation(randomUUID());
    (ofA.data as Record<string, unknown>).councilId = 'council-a';
    (ofA.data as Record<string, unknown>).dueDate = '2026-02-30';
    const caseOfB = randomUUID();
    const opened = envelope(EventTypes.caseOpened, caseOfB, {
      caseId: caseOfB,
      councilId: 'council-b',
      caseReference: 'B-1',
      teamId: 'south-2',
      allocatedWorkerId: 'sw.bo',
      legalStatus: 'child-in-need',
      openedOn: '2026-01-05',
    });
    const ofB = envelope(EventTypes.caseAllocated, caseOfB, { caseId: caseOfB, allocatedWorkerId: 'sw.cy', allocatedOn: 'never' });
    const malformed = `{ not json ${randomUUID()}`;
    const before = (await stack.readTopic(deadLetterTopic('alerting'))).length;
    const earlier = new Set((await list(await operator())).map((d) => d.id));
    await stack.produce(Topics.caseEvents, [
      { key: ofA.subject, value: JSON.stringify(ofA) },
      { key: caseOfB, value: JSON.stringify(opened) },
      { key: caseOfB, value: JSON.stringify(ofB) },
      { key: caseOfB, value: malformed },
    ]);
    await eventually(
      () => stack.readTopic(deadLetterTopic('alerting'), before + 3),
      (m) => m.length === before + 3,
      30_000,
      'three more dead letters on the topic',
    );

    const all = await list(await operator());
    const letterOf = (matches: (d: any) => boolean) => all.find(matches);
    const a = letterOf((d) => d.messageId === ofA.id);
    const b = letterOf((d) => d.messageId === ofB.id);
    const unknown = letterOf((d) => !earlier.has(d.id) && d.error.includes('not JSON'));
    expect([a.councilId, b.councilId, unknown?.councilId]).toEqual(['council-a', 'council-b', null]);

    const seenByA = (await list(await administratorOf('council-a'))).map((d) => d.id);
    const seenByB = (await list(await administratorOf('council-b'))).map((d) => d.id);
    expect(seenByA).toEqual([a.id]);
    expect(seenByB).toEqual([b.id]);

    const replay = async (id: number, who: Record<string, string>) =>
      request('POST', `${alerting.url}/admin/dead-letters/${id}/replay`, undefined, who);
    expect((await replay(b.id, await administratorOf('council-a'))).status).toBe(404);
    expect((await replay(unknown.id, await administratorOf('council-a'))).status).toBe(404);
    const replayedByA = await replay(a.id, await administratorOf('council-a'));
    expect(replayedByA.status).toBe(201);
    expect(replayedByA.body).toMatchObject({ id: a.id, councilId: 'council-a', replayError: expect.stringContaining('data.dueDate') });
    const replayedByOperator = await replay(unknown.id, await operator());
    expect(replayedByOperator.status).toBe(201);
    expect(replayedByOperator.body).toMatchObject({ id: unknown.id, councilId: null, replayError: expect.stringContaining('not JSON') });

    // The gauge counts the service's open dead letters, whoever may see them.
    const metrics = await fetch(`${alerting.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(new RegExp(`^dead_letters_open ${(await list(await operator())).length}$`, 'm'));
  }, 60_000);
});
