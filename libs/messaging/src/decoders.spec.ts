import type { KafkaMessage } from 'kafkajs';
import { cloudEventsDecoder, hmcHearingUpdateDecoder, hmcHearingUpdateId, positionalMessageId } from './decoders';

const at = { topic: 'ns.plo.court.hearing-updates.v1', partition: 2, offset: '41' };
const message = (value: string | null) =>
  ({ value: value === null ? null : Buffer.from(value), key: null, headers: {}, offset: at.offset }) as unknown as KafkaMessage;
const update = (broadcast = '2025-01-08T10:00:00+00:00') =>
  JSON.stringify({
    hmctsServiceCode: 'ABA3',
    caseRef: 'MA25C00123',
    hearingID: 'H-1',
    hearingUpdate: { hearingEventBroadcastDateTime: broadcast, HMCStatus: 'LISTED' },
  });

describe('decoders', () => {
  it('identifies a court update by hearing and broadcast instant, as the court feed always has, so a redelivery is a duplicate', () => {
    expect(hmcHearingUpdateId(update())).toBe('hmc:MA25C00123:H-1:2025-01-08T10:00:00.000Z');
    expect(hmcHearingUpdateId(update('2025-01-08T11:00:00+01:00'))).toBe(hmcHearingUpdateId(update()));
  });

  it('knows a court message without a usable identity by its position, and still hands it to the handler to list', () => {
    for (const text of ['{ not json', '[]', update('yesterday'), update('2025-01-08T10:00:00'), null]) {
      const decoded = hmcHearingUpdateDecoder.decode(message(text), at);
      expect(decoded).toMatchObject({ valid: true, message: { id: positionalMessageId(at), type: 'hmc-hearing-update', payload: text } });
    }
    expect(hmcHearingUpdateDecoder.consumerName?.('plo')).toBe('plo-court-updates');
  });

  it('dead-letters what is not one of our envelopes, by its event id if it has one', () => {
    expect(cloudEventsDecoder.decode(message('{"id":"e-1","type":"nope"}'), at)).toMatchObject({ valid: false, messageId: 'e-1' });
    expect(cloudEventsDecoder.decode(message('{ not json'), at)).toMatchObject({ valid: false, messageId: positionalMessageId(at) });
  });

  it('tells whom a message concerns from its text, even when it is not a valid message, for its dead letter', () => {
    const event = { id: 'e-1', type: 'nope', subject: 'case-1', data: { councilId: 'bury' } };
    expect(cloudEventsDecoder.about?.(JSON.stringify(event))).toEqual({ councilId: 'bury', subject: 'case-1' });
    expect(cloudEventsDecoder.about?.(JSON.stringify({ ...event, data: { councilId: 7 } }))).toEqual({ subject: 'case-1' });
    expect(cloudEventsDecoder.about?.('{ not json')).toEqual({});
    expect(cloudEventsDecoder.about?.(null)).toEqual({});
    expect(hmcHearingUpdateDecoder.about?.(update())).toEqual({ subject: 'MA25C00123' });
    expect(hmcHearingUpdateDecoder.about?.('[]')).toEqual({});
  });
});
