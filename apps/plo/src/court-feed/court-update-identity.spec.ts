import { hmcHearingUpdateId } from '@plo/messaging';
import { courtUpdateId, parseCourtUpdateText } from '../domain/court-update';

const text = (top: Record<string, unknown>, update: Record<string, unknown>) =>
  JSON.stringify({
    hmctsServiceCode: 'ABA3',
    caseRef: 'MA25C00123',
    hearingID: '2000000001',
    ...top,
    hearingUpdate: { HMCStatus: 'LISTED', hearingEventBroadcastDateTime: '2025-02-03T09:00:00Z', ...update },
  });

describe('the id the inbox claims a court update by', () => {
  it.each([
    [{}, {}],
    [{ caseRef: 'ma/25-c' }, { hearingEventBroadcastDateTime: '2025-02-03T10:00:00+01:00' }],
    [{ hearingID: ' ' }, { hearingEventBroadcastDateTime: '2025-02-03T09:00:00.123456Z' }],
    [{ caseRef: 'A'.repeat(64), hearingID: 'H'.repeat(64) }, { hearingEventBroadcastDateTime: '2025-02-03T09:00Z' }],
  ])('is the one the court feed has always claimed it by (%p, %p), so no update is applied twice', (top, update) => {
    const message = text(top, update);
    const parsed = parseCourtUpdateText(message);
    expect(parsed.valid).toBe(true);
    expect(hmcHearingUpdateId(message)).toBe(parsed.valid && courtUpdateId(parsed.update));
  });

  it.each([
    [{ caseRef: 'no spaces' }, {}],
    [{ hearingID: '' }, {}],
    [{}, { hearingEventBroadcastDateTime: '2025-02-03T09:00:00' }],
  ])('is the position for a message the court feed cannot read (%p, %p), as it always was', (top, update) => {
    const message = text(top, update);
    expect(parseCourtUpdateText(message).valid).toBe(false);
    expect(hmcHearingUpdateId(message)).toBeUndefined();
  });
});
