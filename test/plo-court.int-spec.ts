import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import { deadLetterTopic, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, COUNCIL, eventsOf, issueProceedings, PersonaName, PERSONAS, setClock, signIn } from './plo-support';

/**
 * Court integration: HMC-shaped hearing updates in (Kafka, HTTP, CSV) with exceptions for what
 * cannot be applied, and the council's timetable out (iCalendar feed; timetable events).
 */
describe('PLO court integration', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;
  let as: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true', PLO_COURT_FEED_COUNCIL_ID: COUNCIL });
    [as] = await Promise.all([signIn(stack), plo.start()]);
    await setClock(stack, plo, '2025-01-08T09:00:00Z');
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const hmc = (caseRef: string, hearingID: string, update: Record<string, unknown>) => ({
    hmctsServiceCode: 'ABA3',
    caseRef,
    hearingID,
    hearingUpdate: {
      hearingResponseReceivedDateTime: '2025-01-08T08:59:00Z',
      hearingListingStatus: 'FIXED',
      hearingVenueId: '234946',
      ...update,
    },
  });
  /** Legal staff act unless a test says who else (a court system, a manager). */
  const api = (method: string, path: string, body?: unknown, who: PersonaName = 'legal') =>
    request(method, `${plo.url}${path}`, body, as[who]);
  const postCsv = (csv: string, who: PersonaName = 'courtFeed') =>
    fetch(`${plo.url}/court/hearing-updates/import`, { method: 'POST', headers: { 'content-type': 'text/csv', ...as[who] }, body: csv });
  const hearingsOf = async (id: string) => (await api('GET', `/proceedings/${id}`)).body.hearings;
  const openExceptions = async () => (await api('GET', `/court/exceptions`)).body as any[];

  async function proceedingsFor() {
    const { caseId, caseReference } = await announceCase(stack, plo);
    const issued = await issueProceedings(plo, as.legal, caseId, [randomUUID()]);
    return { caseId, caseReference, id: issued.body.proceedingsId as string, ccn: issued.body.courtCaseNumber as string };
  }

  it('applies Kafka updates once, ignores older broadcasts, and parks unknown cases and malformed messages as exceptions', async () => {
    const { caseId, id, ccn } = await proceedingsFor();
    const listed = hmc(ccn, 'H-1', {
      hearingEventBroadcastDateTime: '2025-01-08T10:00:00Z',
      HMCStatus: 'LISTED',
      nextHearingDate: '2025-01-20T10:00:00Z',
    });
    const moved = hmc(ccn, 'H-1', {
      hearingEventBroadcastDateTime: '2025-01-09T10:00:00Z',
      HMCStatus: 'LISTED',
      nextHearingDate: '2025-01-21T10:00:00+00:00',
    });
    const olderCancellation = hmc(ccn, 'H-1', { hearingEventBroadcastDateTime: '2025-01-08T12:00:00Z', HMCStatus: 'CANCELLED' });
    const unknownCase = hmc('ZZ99Z99999', 'H-9', {
      hearingEventBroadcastDateTime: '2025-01-08T10:00:00Z',
      HMCStatus: 'LISTED',
      nextHearingDate: '2025-01-20T10:00:00Z',
    });
    const send = (value: unknown) => ({ key: ccn, value: typeof value === 'string' ? value : JSON.stringify(value) });
    await stack.produce(Topics.courtHearingUpdates, [
      send(listed),
      send(listed),
      send(moved),
      send(olderCancellation),
      send(unknownCase),
      send('{ not json'),
    ]);

    const exceptions = await eventually(openExceptions, (list) => list.length >= 2, 30_000, 'two exceptions');
    expect(exceptions.map((e) => [e.source, e.courtCaseNumber, e.reason.split(':')[0]])).toEqual([
      ['kafka', 'ZZ99Z99999', 'unknown court case number ZZ99Z99999'],
      ['kafka', null, 'message is not JSON'],
    ]);
    const [hearing] = await hearingsOf(id);
    expect(hearing).toMatchObject({
      courtHearingId: 'H-1',
      hearingType: 'other',
      startsAt: '2025-01-21T10:00:00.000Z',
      hearingDate: '2025-01-21',
      listingStatus: 'fixed',
      status: 'listed',
      venue: '234946',
    });

    const claims = await stack.sql<{ outcome: string; n: number }>(
      'plo',
      `SELECT outcome, count(*)::int AS n FROM processed_events WHERE consumer = 'plo-court-updates' GROUP BY outcome ORDER BY outcome`,
    );
    expect(claims).toEqual([
      { outcome: 'applied', n: 2 },
      { outcome: 'dead-lettered', n: 2 },
      { outcome: 'ignored', n: 1 },
    ]);
    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    expect(
      events.filter((e) => e.type.includes('.hearing-')).map((e) => [e.type.split('.')[4], e.data.hearingDate, e.data.source]),
    ).toEqual([
      ['hearing-listed', '2025-01-20', 'court-feed'],
      ['hearing-moved', '2025-01-21', 'court-feed'],
    ]);
    expect(events.find((e) => e.type === EventTypes.hearingListed).actor).toEqual({ kind: 'service', id: 'court-feed' });
    const deadLetters = (await stack.readTopic(deadLetterTopic('plo'), 2))
      .map((m) => JSON.parse(m.value))
      .filter((d) => d.consumer === 'plo-court-updates');
    expect(deadLetters.map((d) => d.error.split(':')[0]).sort()).toEqual(['message is not JSON', 'unknown court case number ZZ99Z99999']);
    expect(deadLetters[0].original.topic).toBe(stack.topic(Topics.courtHearingUpdates));
  }, 90_000);

  it('takes the same update over HTTP, and resolves an exception once the proceedings are recorded', async () => {
    const { caseId } = await announceCase(stack, plo);
    const ccn = `TC${caseId.slice(0, 8).toUpperCase()}`;
    const early = hmc(ccn, 'H-2', {
      hearingEventBroadcastDateTime: '2025-01-08T10:00:00Z',
      HMCStatus: 'LISTED',
      nextHearingDate: '2025-02-03T10:00:00Z',
    });
    const refused = await api('POST', `/court/hearing-updates`, early, 'courtFeed');
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe(`unknown court case number ${ccn}`);

    const malformed = await api(
      'POST',
      `/court/hearing-updates`,
      { ...early, caseRef: undefined, hearingUpdate: { HMCStatus: 'LISTED' } },
      'courtFeed',
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/caseRef.*hearingUpdate\.hearingEventBroadcastDateTime/);

    const id = (await issueProceedings(plo, as.legal, caseId, [randomUUID()])).body.proceedingsId;
    const retried = await api('POST', `/court/exceptions/${refused.body.exceptionId}/retry`);
    expect(retried.body).toMatchObject({ result: { outcome: 'applied' }, exception: { status: 'resolved', resolution: 'reapplied' } });
    expect((await hearingsOf(id)).map((h: any) => h.hearingDate)).toEqual(['2025-02-03']);
    expect((await api('POST', `/court/exceptions/${refused.body.exceptionId}/retry`)).status).toBe(409);

    const again = await api('POST', `/court/hearing-updates`, early, 'courtFeed');
    expect(again.body).toMatchObject({ outcome: 'duplicate' });
    const cancelled = await api(
      'POST',
      `/court/hearing-updates`,
      hmc(ccn, 'H-2', { hearingEventBroadcastDateTime: '2025-01-09T10:00:00Z', HMCStatus: 'CANCELLED' }),
      'courtFeed',
    );
    expect(cancelled.body).toMatchObject({ outcome: 'applied', hearing: { status: 'vacated' } });

    const dismissed = await api('POST', `/court/exceptions/${malformed.body.exceptionId}/dismiss`, { note: 'test message' });
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
    const response = await postCsv(csv);
    const report: any = await response.json();
    expect(response.status).toBe(200);
    expect(report).toMatchObject({ rows: 5, counts: { applied: 1, rejected: 3, duplicate: 1 } });
    expect(report.problems.map((p: any) => [p.line, p.outcome, p.reason])).toEqual([
      [3, 'rejected', expect.stringContaining('hearingUpdate.hearingEventBroadcastDateTime')],
      [4, 'rejected', 'unknown court case number NOPE123'],
      [5, 'rejected', 'row has 4 fields; the header has 7'],
      [6, 'duplicate', expect.stringContaining('was already applied')],
    ]);
    expect((await hearingsOf(id)).map((h: any) => [h.courtHearingId, h.hearingDate, h.listingStatus])).toEqual([
      ['H-3', '2025-03-03', 'provisional'],
    ]);
    const badHeader = await postCsv('caseRef,colour\nX,blue');
    expect(badHeader.status).toBe(400);
    expect(((await badHeader.json()) as any).message).toMatch(
      /unknown columns: colour; missing columns: hmctsServiceCode, hearingID, hearingEventBroadcastDateTime, HMCStatus/,
    );
  }, 60_000);

  it('publishes an iCalendar feed with stable UIDs and growing SEQUENCE, behind a revocable token', async () => {
    const { caseId, caseReference, id } = await proceedingsFor();
    const hearing = (
      await api('POST', `/proceedings/${id}/hearings`, {
        hearingType: 'case-management',
        startsAt: '2025-01-20T10:00:00Z',
        endsAt: '2025-01-20T12:00:00Z',
        listingStatus: 'fixed',
      })
    ).body;
    const feed = (await api('POST', `/calendar-feeds`, { scope: 'case', scopeId: caseId })).body;
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
    expect(deadlines.map((e) => e.startDate.toString()).sort()).toEqual([
      '2025-01-07',
      '2025-01-16',
      '2025-01-16',
      '2025-01-17',
      '2025-01-23',
      '2025-07-06',
    ]);
    expect(deadlines.every((e) => e.startDate.isDate)).toBe(true);

    await api('POST', `/proceedings/${id}/hearings/${hearing.id}/move`, {
      startsAt: '2025-01-21T10:00:00Z',
      endsAt: '2025-01-21T12:00:00Z',
    });
    const second = await read();
    const movedEvent = second.find((e) => e.uid === hearingEvent.uid)!;
    expect([movedEvent.startDate.toJSDate().toISOString(), movedEvent.sequence]).toEqual(['2025-01-21T10:00:00.000Z', 1]);
    expect(second.map((e) => e.uid).sort()).toEqual(first.map((e) => e.uid).sort());
    const bundle = (e: ICAL.Event[]) => e.find((x) => x.summary.startsWith('Due: Court bundle'))!;
    expect([bundle(second).uid, bundle(second).sequence, bundle(second).startDate.toString()]).toEqual([
      bundle(first).uid,
      1,
      '2025-01-17',
    ]);

    const teamFeed = (await api('POST', `/calendar-feeds`, { scope: 'team', scopeId: 'north-1' }, 'manager')).body;
    expect(await (await fetch(`${plo.url}${teamFeed.path}`)).text()).toContain(`UID:hearing-${hearing.id}@plo.proceedings`);

    expect((await api('DELETE', `/calendar-feeds/${feed.id}`)).status).toBe(204);
    expect((await fetch(`${plo.url}${feed.path}`)).status).toBe(404);
    expect((await fetch(`${plo.url}/calendar/${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect((await api('GET', `/calendar-feeds?scope=case&scopeId=${caseId}`)).body).toEqual([
      expect.objectContaining({ id: feed.id, revokedAt: expect.any(String), createdBy: 'legal.kim' }),
    ]);
  }, 60_000);

  it('a court system posts a London listing time but reads nothing; staff correct the type the feed cannot know, and its deadlines follow', async () => {
    const { caseId, id, ccn } = await proceedingsFor();
    const update = hmc(ccn, 'H-7', {
      hearingEventBroadcastDateTime: '2025-01-08T10:00:00Z',
      HMCStatus: 'LISTED',
      nextHearingDate: '2025-07-21T10:00:00',
    });
    expect((await api('POST', '/court/hearing-updates', update, 'worker')).status).toBe(403);
    const listed = await api('POST', '/court/hearing-updates', update, 'courtFeed');
    expect(listed.status).toBe(200);
    // 10:00 in London in July is 09:00 UTC (BST).
    expect(listed.body.hearing).toMatchObject({ hearingType: 'other', startsAt: '2025-07-21T09:00:00.000Z', hearingDate: '2025-07-21' });
    expect((await api('GET', `/proceedings/${id}`, undefined, 'courtFeed')).status).toBe(403);
    expect((await api('GET', `/proceedings?caseId=${caseId}`, undefined, 'courtFeed')).status).toBe(403);
    expect((await api('GET', '/court/exceptions', undefined, 'courtFeed')).status).toBe(403);

    const hearingId = listed.body.hearing.id;
    const deadlines = async () =>
      (await api('GET', `/proceedings/${id}`)).body.obligations
        .filter((o: any) => o.hearingId === hearingId)
        .map((o: any) => [o.kind, o.dueDate, o.status]);
    expect(await deadlines()).toEqual([]);
    expect((await api('PATCH', `/proceedings/${id}/hearings/${hearingId}`, { hearingType: 'issue-resolution' }, 'worker')).status).toBe(
      403,
    );
    expect(
      (await api('PATCH', `/proceedings/${id}/hearings/${hearingId}`, { hearingType: 'tea-party' })).body.fields.map((f: any) => f.field),
    ).toEqual(['hearingType']);
    const retyped = await api('PATCH', `/proceedings/${id}/hearings/${hearingId}`, { hearingType: 'issue-resolution' });
    expect(retyped).toMatchObject({ status: 200, body: { hearingType: 'issue-resolution', hearingDate: '2025-07-21' } });
    expect(await deadlines()).toEqual([
      ['irh-advocates-meeting', '2025-07-10', 'open'],
      ['hearing-bundle', '2025-07-17', 'open'],
      ['hearing-case-summary', '2025-07-18', 'open'],
    ]);
    await api('PATCH', `/proceedings/${id}/hearings/${hearingId}`, { hearingType: 'final' });
    expect(await deadlines()).toEqual([
      ['irh-advocates-meeting', '2025-07-10', 'cancelled'],
      ['hearing-bundle', '2025-07-17', 'open'],
      ['hearing-case-summary', '2025-07-18', 'open'],
    ]);
    // As a final hearing after the child's completion date (Sun 6 Jul 2025) it is projected drift at once.
    expect((await api('GET', `/proceedings/${id}`)).body.projectedDrift.map((d: any) => [d.reason, d.finalHearingDate])).toEqual([
      ['final-hearing-after-completion', '2025-07-21'],
    ]);

    const events = await eventsOf(stack, Topics.proceedingsEvents, caseId, 1);
    const hearingEvents = events.filter((e) => e.type === EventTypes.hearingListed);
    expect(hearingEvents.map((e) => [e.data.hearingType, e.data.source, e.actor.id])).toEqual([
      ['other', 'court-feed', 'hmcts-hmc'],
      ['issue-resolution', 'manual', 'legal.kim'],
      ['final', 'manual', 'legal.kim'],
    ]);
    expect(events.filter((e) => e.type === EventTypes.obligationCancelled).map((e) => e.data.reason)).toEqual([
      'not needed before a final hearing',
    ]);

    const timetable = await api('GET', `/proceedings/${id}/timetable`, undefined, 'courtTimetable');
    expect(timetable).toMatchObject({
      status: 200,
      body: { proceedingsId: id, courtCaseNumber: ccn, stage: 'issued', caseCompletionDate: '2025-07-06' },
    });
    expect(timetable.body.milestones.find((m: any) => m.milestoneId === hearingId)).toMatchObject({
      kind: 'hearing',
      date: '2025-07-21',
      title: 'final hearing (fixed)',
    });
    expect((await api('GET', `/proceedings/${id}`, undefined, 'courtTimetable')).status).toBe(403);
    expect((await api('POST', '/court/hearing-updates', update, 'courtTimetable')).status).toBe(403);
  }, 60_000);

  it("a feed can be made only for what its creator may see, and shows only that; each fetch is audited as the creator's disclosure", async () => {
    const { caseId, id } = await proceedingsFor();
    const hearing = (
      await api('POST', `/proceedings/${id}/hearings`, { hearingType: 'final', startsAt: '2025-06-30T10:00:00Z', listingStatus: 'fixed' })
    ).body;
    const uid = `UID:hearing-${hearing.id}@plo.proceedings`;

    expect((await api('POST', '/calendar-feeds', { scope: 'case', scopeId: caseId }, 'otherCouncilLegal')).status).toBe(404);
    expect((await api('POST', '/calendar-feeds', { scope: 'case', scopeId: caseId }, 'otherTeamWorker')).status).toBe(404);
    expect((await api('POST', '/calendar-feeds', { scope: 'worker', scopeId: 'sw.alex' }, 'otherTeamWorker')).status).toBe(403);
    expect((await api('POST', '/calendar-feeds', { scope: 'team', scopeId: 'north-1' }, 'otherTeamWorker')).status).toBe(403);
    expect((await api('POST', '/calendar-feeds', { scope: 'case', scopeId: caseId }, 'courtTimetable')).status).toBe(403);

    const own = await api('POST', '/calendar-feeds', { scope: 'worker', scopeId: 'sw.alex' }, 'worker');
    expect(own.status).toBe(201);
    expect(await (await fetch(`${plo.url}${own.body.path}`)).text()).toContain(uid);
    // A manager may subscribe to any worker, but sees only their own teams' cases in it.
    const overseen = await api('POST', '/calendar-feeds', { scope: 'worker', scopeId: 'sw.alex' }, 'otherTeamManager');
    expect(overseen.status).toBe(201);
    const text = await (await fetch(`${plo.url}${overseen.body.path}`)).text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).not.toContain('BEGIN:VEVENT');

    const audit = await stack.sql<{ subject: string; action: string; resource_id: string; route: string }>(
      'plo',
      `SELECT subject, action, resource_id, route FROM audit_log WHERE resource_type = 'calendar-feed' AND resource_id = ANY($1) ORDER BY id`,
      [[own.body.id, overseen.body.id]],
    );
    expect(audit).toEqual([
      { subject: 'sw.alex', action: 'disclosure', resource_id: own.body.id, route: 'GET /calendar/:file' },
      { subject: 'tm.jo', action: 'disclosure', resource_id: overseen.body.id, route: 'GET /calendar/:file' },
    ]);
    expect((await api('GET', '/calendar-feeds', undefined, 'worker')).body.map((f: any) => f.id)).toEqual([own.body.id]);
    expect((await api('DELETE', `/calendar-feeds/${own.body.id}`, undefined, 'otherTeamManager')).status).toBe(404);
  }, 60_000);

  it('a feed serves what its owner may see now: a lost team or case is withheld and audited, an owner not seen for too long stops it, a regained team is served again', async () => {
    // A colleague's case: the worker sees it only as a member of its team.
    const { caseId } = await announceCase(stack, plo, { allocatedWorkerId: 'sw.kit' });
    const id = (await issueProceedings(plo, as.legal, caseId, [randomUUID()])).body.proceedingsId;
    const hearing = (
      await api('POST', `/proceedings/${id}/hearings`, { hearingType: 'final', startsAt: '2025-07-01T10:00:00Z', listingStatus: 'fixed' })
    ).body;
    const uid = `UID:hearing-${hearing.id}@plo.proceedings`;
    const teamFeed = (await api('POST', '/calendar-feeds', { scope: 'team', scopeId: 'north-1' }, 'worker')).body;
    const caseFeed = (await api('POST', '/calendar-feeds', { scope: 'case', scopeId: caseId }, 'worker')).body;
    const read = async (feed: { path: string }) => {
      const response = await fetch(`${plo.url}${feed.path}`);
      return { status: response.status, text: await response.text() };
    };
    expect((await read(teamFeed)).text).toContain(uid);
    expect((await read(caseFeed)).text).toContain(uid);

    // The worker moves to another team: their next request, to any route, says so.
    const moved = await stack.as({ ...PERSONAS.worker, teamIds: ['south-2'] });
    expect((await request('GET', `${plo.url}/calendar-feeds`, undefined, moved)).status).toBe(200);
    for (const feed of [teamFeed, caseFeed]) {
      const served = await read(feed);
      expect([served.status, served.text.includes('BEGIN:VCALENDAR'), served.text.includes('BEGIN:VEVENT')]).toEqual([200, true, false]);
    }
    // The same person in another council, still in a team called north-1, gives nothing back here.
    const elsewhere = await stack.as({ ...PERSONAS.worker, councilId: 'other-council', roles: ['social-worker', 'administrator'] });
    expect((await request('GET', `${plo.url}/calendar-feeds`, undefined, elsewhere)).status).toBe(200);
    expect((await read(teamFeed)).text).not.toContain('BEGIN:VEVENT');

    // Someone who left the council never calls again: once their rights are older than the limit, the feed stops.
    await request('PUT', `${plo.url}/test/clock`, { advanceMs: 31 * 86_400_000 }, as.admin);
    expect((await read(teamFeed)).status).toBe(404);

    // Back in the team: the next request restores the feed.
    expect((await api('GET', '/calendar-feeds', undefined, 'worker')).status).toBe(200);
    expect((await read(teamFeed)).text).toContain(uid);

    const audit = await api('GET', `/admin/audit?resourceId=${teamFeed.id}`, undefined, 'admin');
    expect(audit.body.map((row: any) => [row.subject, row.action, row.status])).toEqual(
      [200, 401, 403, 200, 403, 200, 200].map((status) => ['sw.alex', 'disclosure', status]),
    );
    expect(audit.body[2].roles).toEqual(['social-worker']);
    const caseAudit = await api('GET', `/admin/audit?resourceId=${caseFeed.id}`, undefined, 'admin');
    expect(caseAudit.body.map((row: any) => row.status)).toEqual([403, 200, 200]);
    await setClock(stack, plo, '2025-01-08T09:00:00Z');
  }, 60_000);
});
