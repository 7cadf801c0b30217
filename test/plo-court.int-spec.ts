import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { deadLetterTopic, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, eventsOf, issueProceedings, setClock } from './plo-support';

/**
 * Court integration: HMC-shaped hearing updates in (Kafka, HTTP, CSV) with exceptions for what
 * cannot be applied, and the council's timetable out (iCalendar feed; timetable events).
 */
describe('PLO court integration', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true' });
    await plo.start();
    await setClock(plo, '2025-01-08T09:00:00Z');
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const hmc = (caseRef: string, hearingID: string, update: Record<string, unknown>) => ({
    hmctsServiceCode: 'ABA3',
    caseRef,
    hearingID,
    hearingUpdate: { hearingResponseReceivedDateTime: '2025-01-08T08:59:00Z', hearingListingStatus: 'FIXED', hearingVenueId: '234946', ...update },
  });
  const hearingsOf = async (id: string) => (await request('GET', `${plo.url}/proceedings/${id}`)).body.hearings;
  const openExceptions = async () => (await request('GET', `${plo.url}/court/exceptions`)).body as any[];

  async function proceedingsFor() {
    const { caseId, caseReference } = await announceCase(stack, plo);
    const issued = await issueProceedings(plo, caseId, [randomUUID()]);
    return { caseId, caseReference, id: issued.body.proceedingsId as string, ccn: issued.body.courtCaseNumber as string };
  }

  it('applies Kafka updates once, ignores older broadcasts, and parks unknown cases and malformed messages as exceptions', async () => {
    const { caseId, id, ccn } = await proceedingsFor();
    const listed = hmc(ccn, 'H-1', { hearingEventBroadcastDateTime: '2025-01-08T10:00:00Z', HMCStatus: 'LISTED', nextHearingDate: '2025-01-20T10:00:00Z' });
    const moved = hmc(ccn, 'H-1', { hearingEventBroadcastDateTime: '2025-01-09T10:00:00Z', HMCStatus: 'LISTED', nextHearingDate: '2025-01-21T10:00:00+00:00' });
    const olderCancellation = hmc(ccn, 'H-1', { hearingEventBroadcastDateTime: '2025-01-08T12:00:00Z', HMCStatus: 'CANCELLED' });
    const unknownCase = hmc('ZZ99Z99999', 'H-9', { hearingEventBroadcastDateTime: '2025-01-08T10:00:00Z', HMCStatus: 'LISTED', nextHearingDate: '2025-01-20T10:00:00Z' });
    const send = (value: unknown) => ({ key: ccn, value: typeof value === 'string' ? value : JSON.stringify(value) });
    await stack.produce(Topics.courtHearingUpdates, [send(listed), send(listed), send(moved), send(olderCancellation), send(unknownCase), send('{ not json')]);

    const exceptions = await eventually(openExceptions, (list) => list.length >= 2, 30_000, 'two exceptions');
    expect(exceptions.map((e) => [e.source, e.courtCaseNumber, e.reason.split(':')[0]])).toEqual([
      ['kafka', 'ZZ99Z99999', 'unknown court case number ZZ99Z99999'],
      ['kafka', null, 'message is not JSON'],
    ]);
    const [hearing] = await hearingsOf(id);
    expect(hearing).toMatchObject({ courtHearingId: 'H-1', hearingType: 'other', startsAt: '2025-01-21T10:00:00.000Z', hearingDate: '2025-01-21', listingStatus: 'fixed', status: 'listed', venue: '234946' });

    const claims = await stack.sql<{ outcome: string; n: number }>('plo', `SELECT outcome, count(*)::int AS n FROM processed_events WHERE consumer = 'plo-court-updates' GROUP BY outcome ORDER BY outcome`);
    expect(claims).toEqual([
      { outcome: 'applied', n: 2 },
      { outcome: 'dead-lettered', n: 2 },
      { outcome: 'ignored', n: 1 },
    ]);
    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    expect(events.filter((e) => e.type.includes('.hearing-')).map((e) => [e.type.split('.')[4], e.data.hearingDate, e.data.source])).toEqual([
      ['hearing-listed', '2025-01-20', 'court-feed'],
      ['hearing-moved', '2025-01-21', 'court-feed'],
    ]);
    expect(events.find((e) => e.type === EventTypes.hearingListed).actor).toEqual({ kind: 'service', id: 'court-feed' });
    const deadLetters = (await stack.readTopic(deadLetterTopic('plo'), 2)).map((m) => JSON.parse(m.value)).filter((d) => d.consumer === 'plo-court-updates');
    expect(deadLetters.map((d) => d.error.split(':')[0]).sort()).toEqual(['message is not JSON', 'unknown court case number ZZ99Z99999']);
    expect(deadLetters[0].original.topic).toBe(stack.topic(Topics.courtHearingUpdates));
  }, 90_000);

  it('takes the same update over HTTP, and resolves an exception once the proceedings are recorded', async () => {
    const { caseId } = await announceCase(stack, plo);
    const ccn = `TC${caseId.slice(0, 8).toUpperCase()}`;
    const early = hmc(ccn, 'H-2', { hearingEventBroadcastDateTime: '2025-01-08T10:00:00Z', HMCStatus: 'LISTED', nextHearingDate: '2025-02-03T10:00:00Z' });
    const refused = await request('POST', `${plo.url}/court/hearing-updates`, early);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe(`unknown court case number ${ccn}`);

    const malformed = await request('POST', `${plo.url}/court/hearing-updates`, { ...early, caseRef: undefined, hearingUpdate: { HMCStatus: 'LISTED' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/caseRef.*hearingUpdate\.hearingEventBroadcastDateTime/);

    const id = (await issueProceedings(plo, caseId, [randomUUID()])).body.proceedingsId;
    const retried = await request('POST', `${plo.url}/court/exceptions/${refused.body.exceptionId}/retry`);
    expect(retried.body).toMatchObject({ result: { outcome: 'applied' }, exception: { status: 'resolved', resolution: 'reapplied' } });
    expect((await hearingsOf(id)).map((h: any) => h.hearingDate)).toEqual(['2025-02-03']);
    expect((await request('POST', `${plo.url}/court/exceptions/${refused.body.exceptionId}/retry`)).status).toBe(409);

    const again = await request('POST', `${plo.url}/court/hearing-updates`, early);
    expect(again.body).toMatchObject({ outcome: 'duplicate' });
    const cancelled = await request('POST', `${plo.url}/court/hearing-updates`, hmc(ccn, 'H-2', { hearingEventBroadcastDateTime: '2025-01-09T10:00:00Z', HMCStatus: 'CANCELLED' }));
    expect(cancelled.body).toMatchObject({ outcome: 'applied', hearing: { status: 'vacated' } });

    const dismissed = await request('POST', `${plo.url}/court/exceptions/${malformed.body.exceptionId}/dismiss`, { note: 'test message' }, { 'x-user-id': 'legal.kim' });
    expect(dismissed.body).toMatchObject({ status: 'resolved', resolvedBy: 'legal.kim', resolution: 'dismissed: test message' });
  }, 60_000);

  it('imports a CSV: valid rows are applied, bad rows are reported by line with the reason', async () => {
    const { id, ccn } = await proceedingsFor();
    const csv = [
      'hmctsServiceCode,caseRef,hearingID,hearingEventBroadcastDateTime,HMCStatus,nextHearingDate,hearingListingStatus',
      `ABA3,${ccn},H-3,2025-01-08T10:00:00Z,LISTED,2025-03-03T10:00:00Z,provisional`,
      `ABA3,${ccn},H-4,yesterday,LISTED,2025-03-04T10:00:00Z,fixed`,
      `ABA3,NOPE123,H-5,2025-01-08T10:00:00Z,LISTED,2025-03-05T10:00:00Z,fixed`,
      `ABA3,${ccn},H-6,2025-01-08T10:00:00Z`,
      `ABA3,${ccn},H-3,2025-01-08T10:00:00Z,LISTED,2025-03-03T10:00:00Z,provisional`,
    ].join('\n');
    const response = await fetch(`${plo.url}/court/hearing-updates/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
    const report: any = await response.json();
    expect(response.status).toBe(200);
    expect(report).toMatchObject({ rows: 5, counts: { applied: 1, rejected: 3, duplicate: 1 } });
    expect(report.problems.map((p: any) => [p.line, p.outcome, p.reason])).toEqual([
      [3, 'rejected', expect.stringContaining('hearingUpdate.hearingEventBroadcastDateTime')],
      [4, 'rejected', 'unknown court case number NOPE123'],
      [5, 'rejected', 'row has 4 fields; the header has 7'],
      [6, 'duplicate', expect.stringContaining('was already applied')],
    ]);
    expect((await hearingsOf(id)).map((h: any) => [h.courtHearingId, h.hearingDate, h.listingStatus])).toEqual([['H-3', '2025-03-03', 'provisional']]);
    const badHeader = await fetch(`${plo.url}/court/hearing-updates/import`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'caseRef,colour\nX,blue' });
    expect(badHeader.status).toBe(400);
    expect(((await badHeader.json()) as any).message).toMatch(/unknown columns: colour; missing columns: hmctsServiceCode, hearingID, hearingEventBroadcastDateTime, HMCStatus/);
  }, 60_000);

  it('publishes an iCalendar feed with stable UIDs and growing SEQUENCE, behind a revocable token', async () => {
    const { caseId, caseReference, id } = await proceedingsFor();
    const hearing = (await request('POST', `${plo.url}/proceedings/${id}/hearings`, { hearingType: 'case-management', startsAt: '2025-01-20T10:00:00Z', endsAt: '2025-01-20T12:00:00Z', listingStatus: 'fixed' })).body;
    const feed = (await request('POST', `${plo.url}/calendar-feeds`, { scope: 'case', scopeId: caseId }, { 'x-user-id': 'legal.kim' })).body;
    expect(feed.path).toMatch(/^\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const read = async () => {
      const response = await fetch(`${plo.url}${feed.path}`);
      expect(response.headers.get('content-type')).toContain('text/calendar');
      return new ICAL.Component(ICAL.parse(await response.text())).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    };
    const first = await read();
    const hearingEvent = first.find((e) => e.uid === `hearing-${hearing.id}@plo.proceedings`)!;
    expect(hearingEvent.summary).toBe(`case-management hearing: case ${caseReference} (TC${caseId.slice(0, 8).toUpperCase()})`);
    expect(hearingEvent.startDate.toJSDate().toISOString()).toBe('2025-01-20T10:00:00.000Z');
    expect(hearingEvent.sequence).toBe(0);
    const deadlines = first.filter((e) => e.uid.startsWith('deadline-'));
    expect(deadlines.map((e) => e.startDate.toString()).sort()).toEqual(['2025-01-07', '2025-01-16', '2025-01-16', '2025-01-17', '2025-01-23', '2025-07-06']);
    expect(deadlines.every((e) => e.startDate.isDate)).toBe(true);

    await request('POST', `${plo.url}/proceedings/${id}/hearings/${hearing.id}/move`, { startsAt: '2025-01-21T10:00:00Z', endsAt: '2025-01-21T12:00:00Z' });
    const second = await read();
    const movedEvent = second.find((e) => e.uid === hearingEvent.uid)!;
    expect([movedEvent.startDate.toJSDate().toISOString(), movedEvent.sequence]).toEqual(['2025-01-21T10:00:00.000Z', 1]);
    expect(second.map((e) => e.uid).sort()).toEqual(first.map((e) => e.uid).sort());
    const bundle = (e: ICAL.Event[]) => e.find((x) => x.summary.startsWith('Due: Court bundle'))!;
    expect([bundle(second).uid, bundle(second).sequence, bundle(second).startDate.toString()]).toEqual([bundle(first).uid, 1, '2025-01-17']);

    const teamFeed = (await request('POST', `${plo.url}/calendar-feeds`, { scope: 'team', scopeId: 'north-1' })).body;
    expect((await (await fetch(`${plo.url}${teamFeed.path}`)).text())).toContain(`UID:hearing-${hearing.id}@plo.proceedings`);

    expect((await request('DELETE', `${plo.url}/calendar-feeds/${feed.id}`)).status).toBe(204);
    expect((await fetch(`${plo.url}${feed.path}`)).status).toBe(404);
    expect((await fetch(`${plo.url}/calendar/${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect((await request('GET', `${plo.url}/calendar-feeds?scope=case&scopeId=${caseId}`)).body).toEqual([expect.objectContaining({ id: feed.id, revokedAt: expect.any(String), createdBy: 'legal.kim' })]);
  }, 60_000);
});
