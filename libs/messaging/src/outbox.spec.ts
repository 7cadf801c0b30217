import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createEnvelope, EventTypes } from '@plo/contracts';
import { OutboxWriter } from './outbox';

/** A stand-in for a transaction's manager that records what would be inserted. */
function recordingManager(inTransaction: boolean) {
  const calls: { sql: string; parameters: unknown[] }[] = [];
  const manager = {
    queryRunner: { isTransactionActive: inTransaction },
    query: async (sql: string, parameters: unknown[]) => {
      calls.push({ sql, parameters });
      return [];
    },
  } as unknown as EntityManager;
  return { manager, calls };
}

describe('OutboxWriter', () => {
  const caseId = randomUUID();
  const event = createEnvelope('urn:plo:cases', EventTypes.caseClosed, caseId, { caseId, closedOn: '2026-11-20', reason: 'x' }, {
    correlationId: randomUUID(),
    actor: { kind: 'user', id: 'sw.alex' },
  });

  it('writes each event keyed by its case, to the namespaced topic, in one statement', async () => {
    const { manager, calls } = recordingManager(true);
    await new OutboxWriter('staging.').publish(manager, 'plo.cases.events.v1', [event, event]);
    expect(calls).toHaveLength(1);
    const [topics, keys, values, headers, eventIds, eventTypes] = calls[0].parameters as string[][];
    expect(topics).toEqual(['staging.plo.cases.events.v1', 'staging.plo.cases.events.v1']);
    expect(keys).toEqual([caseId, caseId]);
    expect(JSON.parse(values[0])).toEqual(event);
    expect(JSON.parse(headers[0])).toEqual({ 'ce-type': EventTypes.caseClosed, 'ce-id': event.id, 'x-correlation-id': event.correlationid });
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
});
