import { randomUUID } from 'node:crypto';
import { createEnvelope, EventTypes } from '@plo/contracts';
import { batchMessages, batchValue, kafkaRequests, OutboxRow, OutboxWriter, upToMessages } from './outbox';
import type { Transaction } from './transaction';

/** A stand-in for a transaction that records what would be inserted. */
function recordingManager(inTransaction: boolean) {
  const calls: { sql: string; parameters: unknown[] }[] = [];
  const manager: Transaction = {
    inTransaction,
    query: async <T>(sql: string, parameters?: unknown[]) => {
      calls.push({ sql, parameters: parameters ?? [] });
      return [] as T[];
    },
  };
  return { manager, calls };
}

describe('OutboxWriter', () => {
  const caseId = randomUUID();
  const event = createEnvelope(
    'urn:plo:cases',
    EventTypes.caseClosed,
    caseId,
    { caseId, closedOn: '2026-11-20', reason: 'x' },
    {
      correlationId: randomUUID(),
      actor: { kind: 'user', id: 'sw.alex' },
    },
  );

  it('writes each event keyed by its case, to the namespaced topic, in one statement', async () => {
    const { manager, calls } = recordingManager(true);
    await new OutboxWriter('staging.').publish(manager, 'plo.cases.events.v1', [event, event]);
    expect(calls).toHaveLength(1);
    const [topics, keys, values, headers, eventIds, eventTypes] = calls[0].parameters as string[][];
    expect(topics).toEqual(['staging.plo.cases.events.v1', 'staging.plo.cases.events.v1']);
    expect(keys).toEqual([caseId, caseId]);
    expect(JSON.parse(values[0])).toEqual(event);
    expect(JSON.parse(headers[0])).toEqual({
      'ce-type': EventTypes.caseClosed,
      'ce-id': event.id,
      'x-correlation-id': event.correlationid,
    });
    expect(eventIds).toEqual([event.id, event.id]);
    expect(eventTypes).toEqual([EventTypes.caseClosed, EventTypes.caseClosed]);
  });

  it('refuses to write outside a transaction, where an event could outlive a rolled-back change', async () => {
    const { manager, calls } = recordingManager(false);
    await expect(new OutboxWriter().publish(manager, 'plo.cases.events.v1', [event])).rejects.toThrow(/inside the transaction/);
    expect(calls).toHaveLength(0);
  });

  it('wakes the relay only when told the transaction committed', async () => {
    const writer = new OutboxWriter();
    const nudge = jest.fn();
    writer.onNudge(nudge);
    await writer.publish(recordingManager(true).manager, 'plo.cases.events.v1', [event]);
    expect(nudge).not.toHaveBeenCalled();
    writer.committed();
    expect(nudge).toHaveBeenCalledTimes(1);
  });

  it('writes a batch of events as one row that counts them, and a batch of one as an ordinary row', async () => {
    const second = { ...event, id: randomUUID(), subject: randomUUID() };
    const { manager, calls } = recordingManager(true);
    await new OutboxWriter('staging.').publishBatch(manager, 'plo.alerts.events.v1', [event, second]);
    expect(calls).toHaveLength(1);
    expect(calls[0].parameters).toEqual(['staging.plo.alerts.events.v1', batchValue([event, second]), EventTypes.caseClosed, 2]);
    expect(batchMessages(calls[0].parameters[1] as string).map((message) => [message.key, JSON.parse(message.value)])).toEqual([
      [caseId, event],
      [second.subject, second],
    ]);

    const single = recordingManager(true);
    await new OutboxWriter().publishBatch(single.manager, 'plo.alerts.events.v1', [event]);
    const [, keys, values] = single.calls[0].parameters as string[][];
    expect(keys).toEqual([caseId]);
    expect(JSON.parse(values[0])).toEqual(event);
  });
});

describe('outbox relay batches', () => {
  const envelope = (subject: string) =>
    createEnvelope(
      'urn:plo:alerting',
      EventTypes.alertRaised,
      subject,
      { alertId: randomUUID() },
      { correlationId: randomUUID(), actor: { kind: 'system', id: 'alerting' } },
    );
  const single = (position: number, topic = 't'): OutboxRow => ({
    position: String(position),
    topic,
    message_key: `key-${position}`,
    value: `{"n":${position}}`,
    headers: { 'ce-id': String(position) },
    message_count: 1,
  });
  const batch = (position: number, events: ReturnType<typeof envelope>[]): OutboxRow => ({
    position: String(position),
    topic: 't',
    message_key: '',
    value: batchValue(events),
    headers: {},
    message_count: events.length,
  });

  it('sends a batch row as one Kafka message per event, keyed by its case, between its neighbours in outbox order', () => {
    const events = [envelope('case-a'), envelope('case-b')];
    const [[{ topic, messages }]] = kafkaRequests([single(1), batch(2, events), single(3)], 10);
    expect(topic).toBe('t');
    expect(messages.map((m) => m.key)).toEqual(['key-1', 'case-a', 'case-b', 'key-3']);
    expect(JSON.parse(messages[1].value)).toEqual(events[0]);
    expect(messages[2].headers).toEqual({
      'ce-type': EventTypes.alertRaised,
      'ce-id': events[1].id,
      'x-correlation-id': events[1].correlationid,
    });
  });

  it('sends each envelope of a batch row as the text it was written as, line breaks in its data included', () => {
    const event = envelope('case-a');
    (event.data as Record<string, unknown>).explanation = 'first line\nsecond line';
    const [[{ messages }]] = kafkaRequests([batch(1, [event, envelope('case-b')])], 10);
    expect(messages[0].value).toBe(JSON.stringify(event));
    expect(JSON.parse(messages[0].value).data.explanation).toBe('first line\nsecond line');
    expect(messages[1].key).toBe('case-b');
  });

  it('splits a batch row across requests of at most the batch size, so no request outgrows what the broker accepts', () => {
    const events = Array.from({ length: 5 }, (_, index) => envelope(`case-${index}`));
    const requests = kafkaRequests([batch(1, events), single(2, 'u')], 2);
    expect(requests.map((request) => request.map(({ topic, messages }) => [topic, messages.map((m) => m.key)]))).toEqual([
      [['t', ['case-0', 'case-1']]],
      [['t', ['case-2', 'case-3']]],
      [
        ['t', ['case-4']],
        ['u', ['key-2']],
      ],
    ]);
  });

  it('takes rows up to the message limit, but always the first row however many events it holds', () => {
    const big = batch(
      1,
      Array.from({ length: 5 }, () => envelope('c')),
    );
    expect(upToMessages([big, single(2)], 3).map((r) => r.position)).toEqual(['1']);
    expect(upToMessages([single(1), single(2), big], 3).map((r) => r.position)).toEqual(['1', '2']);
    expect(upToMessages([single(1), single(2)], 3).map((r) => r.position)).toEqual(['1', '2']);
    expect(upToMessages([], 3)).toEqual([]);
  });
});
