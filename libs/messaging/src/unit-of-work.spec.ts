import { EventTypes } from '@plo/contracts';
import { runWithContext } from '@plo/platform';
import { OutboxMessage, OutboxWriter } from './outbox';
import type { Transaction } from './transaction';
import { Change } from './unit-of-work';

const producer = { source: 'urn:plo:cases', defaultTopic: 'plo.cases.events.v1' };
const actor = { kind: 'user' as const, id: 'sw.alex' };
const caseId = '0b9f1c2e-6a4b-4f61-9d59-7f0c6d7a1a10';
const now = new Date('2026-12-07T09:00:00Z');

function openTransaction(): Transaction & { statements: string[] } {
  const statements: string[] = [];
  return { inTransaction: true, statements, query: async <T>(sql: string) => (statements.push(sql), [] as T[]) };
}

/** An outbox that remembers what it was asked to write, in order. */
class RecordingOutbox extends OutboxWriter {
  readonly written: { topic: string; bulk: boolean; types: string[]; subjects: string[] }[] = [];
  override async publish(_tx: Transaction, topic: string, events: { type: string; subject: string }[]) {
    this.written.push({ topic, bulk: false, types: events.map((e) => e.type), subjects: events.map((e) => e.subject) });
  }
  override async publishBatch(_tx: Transaction, topic: string, events: { type: string; subject: string }[]) {
    this.written.push({ topic, bulk: true, types: events.map((e) => e.type), subjects: events.map((e) => e.subject) });
  }
  override async append(_tx: Transaction, _messages: OutboxMessage[]) {}
}

describe('Change: the one place an event envelope is built', () => {
  it('stamps source, subject, actor, time and the correlation and causation of the work in hand', () => {
    const change = runWithContext(
      { correlationId: 'f1d7c1f6-52ad-4d5c-8d26-3d0f0bb2d001', causationId: 'f1d7c1f6-52ad-4d5c-8d26-3d0f0bb2d002' },
      () => new Change(openTransaction(), producer, caseId, actor, now),
    );
    const event = change.emit(EventTypes.caseClosed, { caseId });
    expect(event).toMatchObject({
      specversion: '1.0',
      source: 'urn:plo:cases',
      type: EventTypes.caseClosed,
      subject: caseId,
      time: now.toISOString(),
      correlationid: 'f1d7c1f6-52ad-4d5c-8d26-3d0f0bb2d001',
      causationid: 'f1d7c1f6-52ad-4d5c-8d26-3d0f0bb2d002',
      actor,
      data: { caseId },
    });
  });

  it('starts a correlation when no request or message is in hand, and takes a causation it is given', () => {
    const change = new Change(openTransaction(), producer, caseId, actor, now);
    const first = change.emit(EventTypes.caseClosed, { caseId });
    const second = change.emit(EventTypes.caseClosed, { caseId }, { causationId: first.id });
    expect(first.correlationid).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.causationid).toBeUndefined();
    expect(second.correlationid).toBe(first.correlationid);
    expect(second.causationid).toBe(first.id);
    expect(second.id).not.toBe(first.id);
  });

  it('writes its events per topic in the order emitted, bulk events of a topic as one row, then forgets them', async () => {
    const change = new Change(openTransaction(), producer, caseId, actor, now);
    change.emit('uk.gov.plo.cases.a.v1', {});
    change.emit('uk.gov.plo.cases.b.v1', {}, { topic: 'plo.court.timetable.v1' });
    change.emit('uk.gov.plo.cases.c.v1', {}, { subject: 'council-key' });
    change.emit('uk.gov.plo.cases.d.v1', {}, { bulk: true });
    change.emit('uk.gov.plo.cases.e.v1', {}, { bulk: true });
    expect(change.emitted().map((e) => e.type)).toHaveLength(5);
    const outbox = new RecordingOutbox();
    await change.writeTo(outbox);
    expect(outbox.written).toEqual([
      {
        topic: 'plo.cases.events.v1',
        bulk: false,
        types: ['uk.gov.plo.cases.a.v1', 'uk.gov.plo.cases.c.v1'],
        subjects: [caseId, 'council-key'],
      },
      { topic: 'plo.court.timetable.v1', bulk: false, types: ['uk.gov.plo.cases.b.v1'], subjects: [caseId] },
      { topic: 'plo.cases.events.v1', bulk: true, types: ['uk.gov.plo.cases.d.v1', 'uk.gov.plo.cases.e.v1'], subjects: [caseId, caseId] },
    ]);
    await change.writeTo(outbox);
    expect(outbox.written).toHaveLength(3);
  });
});

describe('Change.rewriteBeforeWrite: history tells its outcome', () => {
  it('writes only what the rewrite keeps, in its order, once the work is done', async () => {
    const change = new Change(openTransaction(), producer, caseId, actor, now);
    change.rewriteBeforeWrite((events) => events.filter((event) => event.type !== EventTypes.visitRecorded));
    change.emit(EventTypes.visitRecorded, { caseId });
    change.emit(EventTypes.caseClosed, { caseId });
    const outbox = new RecordingOutbox();
    await change.writeTo(outbox);
    expect(outbox.written).toEqual([{ topic: producer.defaultTopic, bulk: false, types: [EventTypes.caseClosed], subjects: [caseId] }]);
  });

  it('refuses an envelope the change did not emit: every envelope is built in one place', async () => {
    const change = new Change(openTransaction(), producer, caseId, actor, now);
    const emitted = change.emit(EventTypes.caseClosed, { caseId });
    change.rewriteBeforeWrite(() => [{ ...emitted, id: '00000000-0000-4000-8000-000000000000' }]);
    await expect(change.writeTo(new RecordingOutbox())).rejects.toThrow(/only keep or amend/);
  });
});
