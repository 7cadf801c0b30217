import { randomUUID } from 'node:crypto';
import { AlertRaisedV1, createEnvelope, EventEnvelope, EventTypes, HearingListedV1, newEventId, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { londonDateOf } from '@plo/timescales';
import { newCase, request, SIBLINGS, siblingsOf } from './api';
import { pdfText } from './pdf-text';

type Entry = { date: string; event: string; source: string; significance: string; recordType: string; recordId: string };

/**
 * One child's chronology across the three services, over the real broker and database: what cases
 * records, the court record PLO publishes (a hearing listed then moved, an extension, the
 * conclusion) and a timescale alerting found missed, in the JSON and in both exports. PLO's events
 * are redelivered and arrive stale without changing the entries; the sibling who is not in the
 * proceedings sees none of them.
 */
describe('the chronology across cases, PLO and alerting', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let plo: ServiceProcess;
  const council = `c${stack.id}`;
  const worker = { subject: 'sw.alex', councilId: council, roles: ['social-worker' as const], teamIds: ['north-1'] };
  const manager = { subject: 'tm.sam', councilId: council, roles: ['team-manager' as const], teamIds: ['north-1'] };
  const legal = { subject: 'law.kim', councilId: council, roles: ['legal' as const], teamIds: [] };
  const on = (days: number) => londonDateOf(Date.now() + days * 86_400_000);
  const seeded = { caseId: '', caseReference: '', ana: '', ben: '', proceedingsId: '', hearingId: '' };

  beforeAll(async () => {
    [cases, plo] = await Promise.all([stack.service('cases').start(), stack.service('plo').start()]);
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const ok = async (method: string, url: string, body: unknown, who: object) => {
    const response = await request(method, url, body, await stack.as(who as typeof worker));
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };
  const chronology = async (childId: string) => {
    const response = await request(
      'GET',
      `${cases.url}/cases/${seeded.caseId}/children/${childId}/chronology`,
      undefined,
      await stack.as(worker),
    );
    expect(response.status).toBe(200);
    return response.body.entries as Entry[];
  };
  const fromElsewhere = (entries: Entry[]) =>
    entries.filter((e) => e.source !== 'cases' && e.recordType !== 'child-status').map((e) => [e.date, e.event, e.source, e.significance]);
  const alert = (overrides: Partial<AlertRaisedV1>) => {
    const data: AlertRaisedV1 = {
      alertId: randomUUID(),
      caseId: seeded.caseId,
      councilId: council,
      obligationId: randomUUID(),
      childId: seeded.ben,
      kind: 'visit',
      level: 'drift',
      severity: 'high',
      dueDate: on(-50),
      raisedAt: new Date(Date.now() - 49 * 86_400_000).toISOString(),
      explanation: 'a child on a child protection plan is visited at least every 10 working days',
      teamId: 'north-1',
      workerId: 'sw.alex',
      ...overrides,
    };
    const envelope = createEnvelope('urn:plo:alerting', EventTypes.alertRaised, seeded.caseId, data, {
      correlationId: randomUUID(),
      actor: { kind: 'system', id: 'alerting' },
    });
    return { key: seeded.caseId, value: JSON.stringify(envelope) };
  };

  it("gathers a child's facts from cases, PLO's court record and alerting's missed timescales, oldest first", async () => {
    const opened = await ok(
      'POST',
      `${cases.url}/cases`,
      newCase({
        councilId: council,
        legalStatus: 'child-protection-plan',
        openedOn: on(-120),
        children: SIBLINGS,
      }),
      manager,
    );
    Object.assign(seeded, siblingsOf(opened.body));
    const { caseId, ben } = seeded;
    await ok(
      'POST',
      `${cases.url}/cases/${caseId}/visits`,
      {
        visitedOn: on(-45),
        visitType: 'home',
        visitorId: 'sw.alex',
        childSeen: true,
        childrenSeen: [ben],
        seenAlone: true,
        bedroomSeen: true,
        purpose: 'statutory-visit',
      },
      worker,
    );

    await eventually(
      () => stack.sql('plo', 'SELECT 1 FROM known_case_children WHERE case_id = $1', [caseId]),
      (rows) => rows.length === 2,
      30_000,
      'PLO to know the case and both children',
    );
    const issued = await ok(
      'POST',
      `${plo.url}/proceedings`,
      {
        caseId,
        court: 'Northtown Family Court',
        courtCaseNumber: `NT${caseId.slice(0, 6).toUpperCase()}`,
        issuedOn: on(-40),
        submittedOn: on(-40),
        childIds: [ben],
      },
      legal,
    );
    const proceedings = `${plo.url}/proceedings/${issued.body.proceedingsId}`;
    seeded.proceedingsId = issued.body.proceedingsId;
    const listed = await ok(
      'POST',
      `${proceedings}/hearings`,
      { hearingType: 'case-management', startsAt: `${on(-25)}T10:00:00Z`, venue: 'Northtown Family Court', listingStatus: 'fixed' },
      legal,
    );
    seeded.hearingId = listed.body.id;
    await ok('POST', `${proceedings}/hearings/${seeded.hearingId}/move`, { startsAt: `${on(-20)}T10:00:00Z` }, legal);
    await ok(
      'POST',
      `${proceedings}/children/${ben}/extensions`,
      { grantedOn: on(-5), extendBy: '8 weeks', reason: 'timetable-for-child' },
      legal,
    );
    await ok('POST', `${proceedings}/children/${ben}/conclusion`, { outcome: 'final-order', concludedOn: on(-2) }, legal);
    await stack.produce(Topics.alertEvents, [
      alert({}),
      // Not missed yet, or about no child: neither is a fact of the child's history.
      alert({ level: 'warning-2-days', dueDate: on(-30) }),
      alert({ childId: undefined, kind: 'case-review', dueDate: on(-35) }),
    ]);

    const bens = await eventually(
      () => chronology(ben),
      (entries) => entries.some((e) => e.recordType === 'proceedings-concluded') && entries.some((e) => e.source === 'alerting'),
      30_000,
      "the conclusion and the missed visit in Ben's chronology",
    );
    const court = { hearing: `Case management hearing listed at Northtown Family Court (moved from ${on(-25)})` };
    const rows = bens.map((e) => [e.date, e.event, e.source, e.significance]);
    expect(rows.filter(([date]) => date !== on(-2))).toEqual([
      [on(-120), 'Allocated to sw.alex (team north-1)', 'cases', 'routine'],
      [on(-120), 'Child protection plan started', 'cases', 'significant'],
      [
        on(-50),
        `Statutory visit not done by ${on(-50)}: a child on a child protection plan is visited at least every 10 working days`,
        'alerting',
        'timescale missed',
      ],
      [on(-45), 'Seen on a home visit (statutory visit), seen alone', 'cases', 'routine'],
      [on(-40), 'Care proceedings started', 'plo', 'significant'],
      [on(-20), court.hearing, 'plo', 'significant'],
      [
        on(-5),
        expect.stringMatching(/^Extension granted: 26 weeks extended from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(timetable for the child\)$/),
        'plo',
        'significant',
      ],
    ]);
    // The conclusion's day comes last, with both of its entries. Their order within the day is the
    // order the facts reached cases: PLO's court record carries PLO's time, the status's end the time
    // cases recorded the status, which is later whenever cases consumes PLO's events behind it.
    expect(rows.slice(-2).map(([date]) => date)).toEqual([on(-2), on(-2)]);
    expect(rows.slice(-2)).toEqual(
      expect.arrayContaining([
        [on(-2), 'Care proceedings ended: care proceedings concluded: final-order', 'plo', 'significant'],
        [
          on(-2),
          expect.stringMatching(/^Care proceedings concluded \(final order\), within the child's completion date /),
          'plo',
          'significant',
        ],
      ]),
    );
    expect(bens.find((e) => e.recordType === 'hearing')!.recordId).toBe(seeded.hearingId);
    expect(bens.find((e) => e.recordType === 'proceedings-concluded')!.recordId).toBe(seeded.proceedingsId);
    expect(fromElsewhere(await chronology(seeded.ana))).toEqual([]);
  }, 120_000);

  it("changes nothing when PLO's event is delivered again, or an older one arrives after a newer", async () => {
    const { caseId, ben, hearingId } = seeded;
    const before = await chronology(ben);
    const published = await stack.readTopic(Topics.proceedingsEvents);
    const listed = published
      .map((m) => JSON.parse(m.value) as EventEnvelope<HearingListedV1>)
      .find((e) => e.type === EventTypes.hearingListed && e.data.hearingId === hearingId)!;
    // The same message again, then the listing again under a new id but PLO's original time: older than the move.
    const stale = { ...listed, id: newEventId() };
    await stack.produce(Topics.proceedingsEvents, [
      { key: caseId, value: JSON.stringify(listed) },
      { key: caseId, value: JSON.stringify(stale) },
    ]);
    const [handled] = await eventually(
      () => stack.sql<{ outcome: string }>('cases', 'SELECT outcome FROM processed_events WHERE message_id = $1', [stale.id]),
      (rows) => rows.length === 1,
      30_000,
      'cases to handle the stale listing',
    );
    expect(handled.outcome).toBe('ignored');
    expect(await chronology(ben)).toEqual(before);
    expect(before.filter((e) => e.recordType === 'hearing')).toHaveLength(1);
  }, 60_000);

  it('exports the same entries, in the same order, as CSV and PDF, each audited as a disclosure', async () => {
    const { caseId, ben, caseReference } = seeded;
    const entries = await chronology(ben);
    const download = async (extension: 'csv' | 'pdf', who: object) =>
      fetch(`${cases.url}/cases/${caseId}/children/${ben}/chronology.${extension}`, { headers: await stack.as(who as typeof worker) });

    const csv = await download('csv', worker);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="chronology-${caseReference}-Ben-Sibling.csv"`);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(entries.length + 1);
    const fromOwners = entries.filter((e) => ['alerting', 'plo'].includes(e.source));
    const csvLine = (e: Entry) =>
      lines.findIndex(
        (line) => line.startsWith(`${e.date},`) && line.includes(e.event.slice(0, 40)) && line.endsWith(`,${e.source},${e.significance}`),
      );
    const csvAt = fromOwners.map(csvLine);
    expect(csvAt.every((at) => at > 0)).toBe(true);
    expect([...csvAt].sort((a, b) => a - b)).toEqual(csvAt);

    const pdf = await download('pdf', legal);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfText(await pdf.arrayBuffer())).replace(/\s+/g, ' ');
    const pdfAt = [
      `${on(-50)} Statutory visit not done by ${on(-50)}`,
      `${on(-45)} Seen on a home visit (statutory visit), seen alone cases routine`,
      `${on(-40)} Care proceedings started plo significant`,
      `${on(-20)} Case management hearing listed at Northtown Family Court (moved from ${on(-25)}) plo significant`,
      `${on(-5)} Extension granted: 26 weeks extended from`,
      `${on(-2)} Care proceedings concluded (final order)`,
    ].map((line) => [line, text.indexOf(line)] as const);
    for (const [line, at] of pdfAt) expect([line, at >= 0]).toEqual([line, true]);
    expect(pdfAt.map(([, at]) => at)).toEqual(pdfAt.map(([, at]) => at).sort((a, b) => a - b));
    expect(text).toContain('timescale missed');

    const disclosures = await stack.sql<{ subject: string; route: string }>(
      'cases',
      `SELECT subject, route FROM audit_log WHERE action = 'disclosure' AND resource_type = 'chronology' AND resource_id = $1 AND status = 200 ORDER BY id`,
      [caseId],
    );
    expect(disclosures.map((d) => [d.subject, d.route])).toEqual([
      ['sw.alex', 'GET /cases/:caseId/children/:childId/chronology.csv'],
      ['law.kim', 'GET /cases/:caseId/children/:childId/chronology.pdf'],
    ]);
  }, 60_000);
});
