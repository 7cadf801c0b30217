import { randomUUID } from 'node:crypto';
import { createEnvelope } from './envelope';
import { EventTypes } from './events';
import { decodeEvent, MAX_EVENT_BYTES } from './validate-event';

const caseId = randomUUID();
const metadata = { correlationId: randomUUID(), actor: { kind: 'user' as const, id: 'sw.alex' } };

function closed(overrides: Record<string, unknown> = {}) {
  return createEnvelope(
    'urn:plo:cases',
    EventTypes.caseClosed,
    caseId,
    { caseId, closedOn: '2026-11-20', reason: 'stepped down', ...overrides },
    metadata,
  );
}

const decode = (value: unknown) => decodeEvent(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

describe('decodeEvent', () => {
  it('accepts a well-formed event and keeps its data as sent', () => {
    const event = closed();
    const decoded = decode(event);
    expect(decoded).toEqual({
      valid: true,
      envelope: expect.objectContaining({ id: event.id, type: EventTypes.caseClosed, data: event.data }),
    });
  });

  it('tolerates fields it does not know, because producers may add fields within a version', () => {
    expect(decode({ ...closed({ closedBy: 'tm.sam' }), traceparent: '00-abc' }).valid).toBe(true);
  });

  it.each([
    ['an empty message', '', 'no value'],
    ['text that is not JSON', '{ nope', 'not JSON'],
    ['a JSON array', '[]', 'not a JSON object'],
  ])('refuses %s', (_what, value, reason) => {
    const decoded = decodeEvent(Buffer.from(value));
    expect(decoded).toMatchObject({ valid: false, reason: expect.stringContaining(reason) });
  });

  it('refuses an oversized message without parsing it', () => {
    expect(decodeEvent(Buffer.alloc(MAX_EVENT_BYTES + 1, 32))).toMatchObject({ valid: false, reason: expect.stringContaining('limit') });
  });

  it('names the envelope field that is wrong and keeps the event id for the dead letter', () => {
    const event = { ...closed(), time: 'yesterday' };
    expect(decode(event)).toMatchObject({ valid: false, eventId: event.id, reason: expect.stringContaining('time') });
  });

  it('refuses an envelope without its actor', () => {
    const { actor: _actor, ...anonymous } = closed();
    expect(decode(anonymous)).toMatchObject({ valid: false, reason: expect.stringContaining('actor') });
  });

  it('names the data field that is wrong, with its path', () => {
    expect(decode(closed({ closedOn: '2026-02-29' }))).toMatchObject({ valid: false, reason: expect.stringContaining('data.closedOn') });
  });

  it('refuses an event type nobody registered', () => {
    expect(decode({ ...closed(), type: 'uk.gov.plo.cases.case-teleported.v1' })).toMatchObject({
      valid: false,
      reason: expect.stringContaining('unknown event type'),
    });
  });

  it('refuses data about another case than the envelope’s subject (the Kafka key)', () => {
    expect(decode(closed({ caseId: randomUUID() }))).toMatchObject({ valid: false, reason: expect.stringContaining('subject') });
  });
});
