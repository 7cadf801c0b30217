import { courtUpdateId, interpretCourtUpdate, parseCourtUpdate, parseCourtUpdateText } from './court-update';

const message = (update: Record<string, unknown> = {}, top: Record<string, unknown> = {}) => ({
  hmctsServiceCode: 'ABA3',
  caseRef: 'MA25C00123',
  hearingID: '2000000001',
  hearingUpdate: {
    hearingEventBroadcastDateTime: '2025-02-03T09:00:00Z',
    HMCStatus: 'LISTED',
    nextHearingDate: '2025-02-20T10:00:00Z',
    hearingListingStatus: 'FIXED',
    ...update,
  },
  ...top,
});

describe('HMC hearing update messages', () => {
  it('accepts a well-formed update and normalises the listing status', () => {
    const parsed = parseCourtUpdate(message());
    expect(parsed.valid).toBe(true);
    expect(parsed.valid && parsed.update.hearingUpdate.hearingListingStatus).toBe('fixed');
  });

  it('names every bad field, nested ones with their path', () => {
    const parsed = parseCourtUpdate(
      message({ HMCStatus: 'TELEPORTED', hearingEventBroadcastDateTime: 'yesterday' }, { caseRef: 'no spaces allowed' }),
    );
    expect(parsed.valid).toBe(false);
    const reason = parsed.valid ? '' : parsed.reason;
    for (const field of ['caseRef', 'hearingUpdate.HMCStatus', 'hearingUpdate.hearingEventBroadcastDateTime'])
      expect(reason).toContain(field);
  });

  it('reads a listing time without an offset as London wall-clock time (GMT in winter, BST in summer)', () => {
    const next = (nextHearingDate: string) => {
      const parsed = parseCourtUpdate(message({ nextHearingDate }));
      return parsed.valid ? parsed.update.hearingUpdate.nextHearingDate : parsed.reason;
    };
    expect(next('2025-02-20T10:00:00')).toBe('2025-02-20T10:00:00.000Z');
    expect(next('2025-07-21T10:00')).toBe('2025-07-21T09:00:00.000Z');
    expect(next('2025-03-30T01:30:00')).toBe('2025-03-30T01:30:00.000Z');
  });

  it('keeps an explicit offset as given', () => {
    const parsed = parseCourtUpdate(message({ nextHearingDate: '2025-07-21T10:00:00+01:00' }));
    expect(parsed.valid && parsed.update.hearingUpdate.nextHearingDate).toBe('2025-07-21T09:00:00.000Z');
  });

  it('still refuses a listing time that is not a date and time, and HMC timestamps without an offset', () => {
    expect(parseCourtUpdate(message({ nextHearingDate: '2025-02-30T10:00:00' }))).toMatchObject({
      valid: false,
      reason: expect.stringContaining('nextHearingDate'),
    });
    expect(parseCourtUpdate(message({ nextHearingDate: 'next Tuesday' }))).toMatchObject({
      valid: false,
      reason: expect.stringContaining('nextHearingDate'),
    });
    expect(parseCourtUpdate(message({ hearingEventBroadcastDateTime: '2025-02-03T09:00:00' }))).toMatchObject({
      valid: false,
      reason: expect.stringContaining('hearingEventBroadcastDateTime'),
    });
  });

  it('refuses text that is not a JSON object', () => {
    expect(parseCourtUpdateText('{ nope')).toMatchObject({ valid: false, reason: expect.stringContaining('not JSON') });
    expect(parseCourtUpdateText('[]')).toMatchObject({ valid: false, reason: 'message is not a JSON object' });
    expect(parseCourtUpdateText(null)).toMatchObject({ valid: false });
  });

  it('identifies an update by case, hearing and broadcast instant, whatever the offset notation', () => {
    const a = parseCourtUpdate(message({ hearingEventBroadcastDateTime: '2025-02-03T09:00:00Z' }));
    const b = parseCourtUpdate(message({ hearingEventBroadcastDateTime: '2025-02-03T09:00:00+00:00' }));
    expect(a.valid && b.valid && courtUpdateId(a.update) === courtUpdateId(b.update)).toBe(true);
  });
});

describe('what an HMC status does to a hearing', () => {
  const listed = { status: 'listed' as const, startsAt: '2025-02-20T10:00:00.000Z' };
  const update = (fields: Record<string, unknown>) => ({ hearingEventBroadcastDateTime: '2025-02-03T09:00:00Z', ...fields }) as never;

  it('LISTED lists a new hearing, moves a known one, and restates an unchanged one', () => {
    expect(interpretCourtUpdate(update({ HMCStatus: 'LISTED', nextHearingDate: '2025-02-20T10:00:00Z' }), undefined)).toEqual({
      kind: 'list',
      startsAt: '2025-02-20T10:00:00Z',
    });
    expect(interpretCourtUpdate(update({ HMCStatus: 'LISTED', nextHearingDate: '2025-02-21T10:00:00Z' }), listed)).toEqual({
      kind: 'move',
      startsAt: '2025-02-21T10:00:00Z',
      status: 'listed',
    });
    expect(interpretCourtUpdate(update({ HMCStatus: 'LISTED', nextHearingDate: '2025-02-20T10:00:00+00:00' }), listed)).toEqual({
      kind: 'restate',
    });
    expect(interpretCourtUpdate(update({ HMCStatus: 'LISTED' }), listed)).toMatchObject({ kind: 'reject' });
  });

  it('LISTED after a vacation or adjournment is a re-listing', () => {
    expect(
      interpretCourtUpdate(update({ HMCStatus: 'LISTED', nextHearingDate: '2025-03-01T10:00:00Z' }), { ...listed, status: 'vacated' }),
    ).toMatchObject({ status: 'vacated-and-relisted' });
    expect(
      interpretCourtUpdate(update({ HMCStatus: 'LISTED', nextHearingDate: '2025-03-01T10:00:00Z' }), { ...listed, status: 'adjourned' }),
    ).toMatchObject({ status: 'adjourned-and-relisted' });
  });

  it('ADJOURNED with a next date re-lists; without one it adjourns', () => {
    expect(interpretCourtUpdate(update({ HMCStatus: 'ADJOURNED', nextHearingDate: '2025-03-01T10:00:00Z' }), listed)).toMatchObject({
      kind: 'move',
      status: 'adjourned-and-relisted',
    });
    expect(interpretCourtUpdate(update({ HMCStatus: 'ADJOURNED' }), listed)).toEqual({ kind: 'adjourn' });
  });

  it('CANCELLED vacates; COMPLETED records the hearing as held; requests change nothing', () => {
    expect(interpretCourtUpdate(update({ HMCStatus: 'CANCELLED' }), listed)).toEqual({ kind: 'vacate' });
    expect(interpretCourtUpdate(update({ HMCStatus: 'COMPLETED' }), listed)).toEqual({ kind: 'held' });
    expect(interpretCourtUpdate(update({ HMCStatus: 'COMPLETED' }), undefined)).toMatchObject({ kind: 'reject' });
    expect(interpretCourtUpdate(update({ HMCStatus: 'UPDATE_REQUESTED' }), listed)).toMatchObject({ kind: 'none' });
  });
});
