import { londonDateOf } from '@plo/timescales';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { randomUUID } from 'node:crypto';
import { newCase, request, SIBLINGS, siblingsOf } from './api';
import { pdfText } from './pdf-text';

type Entry = { date: string; event: string; source: string; significance: string; recordType: string; recordId: string };

/**
 * Case notes and each child's chronology over HTTP, the broker and the database: notes are appended
 * and amended by new versions (the database refuses to change one); a child's chronology gathers
 * his statuses, visits he was seen on, significant notes about him and what PLO decided for him (its
 * events, through a real PLO service); CSV and PDF exports say the same and are audited as disclosures.
 */
describe('cases service: case notes and the chronology per child', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let plo: ServiceProcess;
  const council = `c${stack.id}`;
  const worker = { subject: 'sw.alex', councilId: council, roles: ['social-worker' as const], teamIds: ['north-1'] };
  const manager = { subject: 'tm.sam', councilId: council, roles: ['team-manager' as const], teamIds: ['north-1'] };
  const legal = { subject: 'law.kim', councilId: council, roles: ['legal' as const], teamIds: [] };
  const otherTeam = { subject: 'sw.pat', councilId: council, roles: ['social-worker' as const], teamIds: ['north-2'] };
  const on = (days: number) => londonDateOf(Date.now() + days * 86_400_000);
  const seeded = { caseId: '', caseReference: '', ana: '', ben: '' };
  const notes: Record<string, string> = {};

  beforeAll(async () => {
    [cases, plo] = await Promise.all([stack.service('cases').start(), stack.service('plo').start()]);
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const call = async (method: string, path: string, body?: unknown, who: object = worker) =>
    request(method, `${cases.url}${path}`, body, await stack.as(who as typeof worker));
  const ok = async (method: string, url: string, body: unknown, who: object, headers: Record<string, string> = {}) => {
    const response = await request(method, url, body, { ...(await stack.as(who as typeof worker)), ...headers });
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };
  const chronology = async (childId: string) => {
    const response = await call('GET', `/cases/${seeded.caseId}/children/${childId}/chronology`);
    expect(response.status).toBe(200);
    return response.body.entries as Entry[];
  };
  const download = async (childId: string, extension: 'csv' | 'pdf', who: object = worker) =>
    fetch(`${cases.url}/cases/${seeded.caseId}/children/${childId}/chronology.${extension}`, {
      headers: await stack.as(who as typeof worker),
    });
  const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);

  it('seeds two siblings: statuses, a re-allocation and a visit where only Ben was seen', async () => {
    const opened = await ok(
      'POST',
      `${cases.url}/cases`,
      newCase({
        councilId: council,
        legalStatus: 'child-in-need',
        openedOn: on(-120),
        children: SIBLINGS,
      }),
      manager,
    );
    Object.assign(seeded, siblingsOf(opened.body));
    const { caseId, ben } = seeded;
    const cp = await ok(
      'POST',
      `${cases.url}/cases/${caseId}/children/${ben}/statuses`,
      { status: 'child-protection-plan', startDate: on(-100) },
      manager,
    );
    await ok(
      'POST',
      `${cases.url}/cases/${caseId}/allocations`,
      { teamId: 'north-1', allocatedWorkerId: 'sw.kai', allocatedOn: on(-60), reason: 'Alex moved to the court team' },
      manager,
      { 'if-match': cp.headers.get('etag')! },
    );
    await ok(
      'POST',
      `${cases.url}/cases/${caseId}/visits`,
      {
        visitedOn: on(-14),
        visitType: 'home',
        visitorId: 'sw.kai',
        childSeen: true,
        childrenSeen: [ben],
        seenAlone: true,
        bedroomSeen: true,
        purpose: 'statutory-visit',
      },
      worker,
    );
  }, 60_000);

  it('notes are added for some or all children, amended by a new version, and the database refuses to change a version', async () => {
    const { caseId, ana, ben } = seeded;
    const added = await call('POST', `/cases/${caseId}/notes`, {
      childIds: [ben],
      text: 'Ben said he is frightened of going home. Strategy discussion requested.',
      significant: true,
      occurredOn: on(-30),
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      childIds: [ben],
      occurredOn: on(-30),
      significant: true,
      versions: [{ version: 1, reason: null, authorId: 'sw.alex' }],
    });
    notes.ben = added.body.id;
    const both = await call('POST', `/cases/${caseId}/notes`, { text: 'Phoned mother to arrange the next visit.', significant: false });
    expect(both.body).toMatchObject({ childIds: expect.arrayContaining([ana, ben]), occurredOn: on(0), significant: false });
    const anaOnly = await call('POST', `/cases/${caseId}/notes`, {
      childIds: [ana],
      text: 'Ana disclosed bullying at school.',
      significant: true,
      occurredOn: on(-20),
    });
    expect(anaOnly.status).toBe(201);
    notes.ana = anaOnly.body.id;

    const amended = await call(
      'POST',
      `/cases/${caseId}/notes/${notes.ben}/amendments`,
      {
        text: 'Ben said he is frightened of going home when his stepfather is there. Strategy discussion requested.',
        reason: 'Detail added after supervision',
      },
      manager,
    );
    expect(amended.status).toBe(201);
    expect(amended.body.text).toContain('stepfather');
    expect(
      amended.body.versions.map((v: { version: number; text: string; reason: string | null; authorId: string; significant: boolean }) => [
        v.version,
        v.text.includes('stepfather'),
        v.reason,
        v.authorId,
        v.significant,
      ]),
    ).toEqual([
      [1, false, null, 'sw.alex', true],
      [2, true, 'Detail added after supervision', 'tm.sam', true],
    ]);

    const listed = await call('GET', `/cases/${caseId}/notes`, undefined, legal);
    expect(listed.status).toBe(404); // legal sees the case only once a child has had legal involvement
    const list = await call('GET', `/cases/${caseId}/notes`);
    expect(list.body.map((n: { id: string; versions: unknown[] }) => [n.id, n.versions.length])).toEqual([
      [notes.ben, 2],
      [notes.ana, 1],
      [both.body.id, 1],
    ]);

    await expect(stack.sql('cases', `UPDATE case_note_versions SET text = 'rewritten' WHERE note_id = $1`, [notes.ben])).rejects.toThrow(
      /append-only/,
    );
    await expect(stack.sql('cases', `DELETE FROM case_note_versions WHERE note_id = $1`, [notes.ben])).rejects.toThrow(/append-only/);
    const stored = await stack.sql<{ text: string }>('cases', 'SELECT text FROM case_note_versions WHERE note_id = $1 ORDER BY version', [
      notes.ben,
    ]);
    expect(stored.map((r) => r.text.includes('stepfather'))).toEqual([false, true]);
  }, 60_000);

  it('refuses bad input naming the field, and hides the case from a worker of another team', async () => {
    const { caseId, ana } = seeded;
    const bad = async (path: string, body: unknown) => {
      const response = await call('POST', `/cases/${caseId}${path}`, body);
      return [response.status, fieldsOf(response.body)];
    };
    expect(await bad('/notes', { text: 'x'.repeat(20_001), significant: true })).toEqual([400, ['text']]);
    expect(await bad('/notes', { text: 'About someone else', significant: true, childIds: [ana, randomUUID()] })).toEqual([
      400,
      ['childIds.1'],
    ]);
    expect(await bad('/notes', { text: 'Tomorrow', significant: false, occurredOn: on(2) })).toEqual([400, ['occurredOn']]);
    expect(await bad('/notes', { text: 'Flag?', significant: 'yes' })).toEqual([400, ['significant']]);
    expect(await bad(`/notes/${notes.ana}/amendments`, { text: 'No reason given' })).toEqual([400, ['reason']]);
    expect((await call('POST', `/cases/${caseId}/notes/${randomUUID()}/amendments`, { text: 'x', reason: 'y' })).status).toBe(404);
    expect((await call('GET', `/cases/${caseId}/children/${randomUUID()}/chronology`)).status).toBe(404);

    for (const [method, path] of [
      ['GET', `/cases/${caseId}/notes`],
      ['POST', `/cases/${caseId}/notes`],
      ['POST', `/cases/${caseId}/notes/${notes.ana}/amendments`],
      ['GET', `/cases/${caseId}/children/${ana}/chronology`],
      ['GET', `/cases/${caseId}/children/${ana}/chronology.csv`],
      ['GET', `/cases/${caseId}/children/${ana}/chronology.pdf`],
    ]) {
      const response = await call(method, path, method === 'POST' ? { text: 'x', significant: true, reason: 'y' } : undefined, otherTeam);
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
  }, 60_000);

  it("PLO's proceedings and order for Ben arrive by events and join his chronology; Ana's differs", async () => {
    const { caseId, ana, ben } = seeded;
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
        issuedOn: on(-10),
        submittedOn: on(-10),
        childIds: [ben],
      },
      legal,
    );
    await ok(
      'POST',
      `${plo.url}/proceedings/${issued.body.proceedingsId}/orders`,
      { childId: ben, order: 'interim-care-order', madeOn: on(-9) },
      legal,
    );

    const bens = await eventually(
      () => chronology(ben),
      (entries) => entries.some((e) => e.event.startsWith('Looked after started')),
      30_000,
      "the interim care order in Ben's chronology",
    );
    const plain = bens.map((e) => [e.date, e.event, e.source, e.significance, e.recordType]);
    expect(plain).toEqual([
      [on(-120), 'Allocated to sw.alex (team north-1)', 'cases', 'routine', 'allocation'],
      [on(-120), 'Child in need started', 'cases', 'significant', 'child-status'],
      [on(-100), 'Child protection plan started', 'cases', 'significant', 'child-status'],
      [on(-60), 'Allocated to sw.kai (team north-1)', 'cases', 'routine', 'allocation'],
      [on(-30), expect.stringMatching(/^Note: Ben said .*stepfather.* \(amended\)$/), 'cases', 'significant', 'case-note'],
      [on(-14), 'Seen on a home visit (statutory visit), seen alone', 'cases', 'routine', 'visit'],
      [on(-10), 'Care proceedings started', 'plo', 'significant', 'child-status'],
      [on(-9), 'Looked after started (interim care order)', 'plo', 'significant', 'child-status'],
    ]);
    expect(bens.find((e) => e.recordType === 'case-note')!.recordId).toBe(notes.ben);

    const anas = (await chronology(ana)).map((e) => [e.date, e.event, e.source]);
    expect(anas).toEqual([
      [on(-120), 'Allocated to sw.alex (team north-1)', 'cases'],
      [on(-120), 'Child in need started', 'cases'],
      [on(-60), 'Allocated to sw.kai (team north-1)', 'cases'],
      [on(-20), 'Note: Ana disclosed bullying at school.', 'cases'],
    ]);
  }, 90_000);

  it('exports the chronology as CSV and PDF, each an attachment audited as a disclosure', async () => {
    const { caseId, ben, caseReference } = seeded;
    const entries = await chronology(ben);

    const csv = await download(ben, 'csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="chronology-${caseReference}-Ben-Sibling.csv"`);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,event,source,significance');
    expect(lines).toHaveLength(entries.length + 1);
    expect(lines).toContain(`${on(-9)},Looked after started (interim care order),plo,significant`);
    expect(lines).toContain(`${on(-14)},"Seen on a home visit (statutory visit), seen alone",cases,routine`);

    const pdf = await download(ben, 'pdf', legal);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="chronology-${caseReference}-Ben-Sibling.pdf"`);
    const text = (await pdfText(await pdf.arrayBuffer())).replace(/\s+/g, ' ');
    expect(text).toContain('Chronology: Ben Sibling');
    expect(text).toContain(`Case reference: ${caseReference}`);
    expect(text).toContain(`Generated: ${on(0)}`);
    for (const line of [
      `${on(-100)} Child protection plan started cases significant`,
      `${on(-14)} Seen on a home visit (statutory visit), seen alone cases routine`,
      `${on(-10)} Care proceedings started plo significant`,
      `${on(-9)} Looked after started (interim care order) plo significant`,
    ])
      expect(text).toContain(line);
    expect(text).toContain('stepfather');

    const disclosures = await stack.sql<{ subject: string; route: string; status: number }>(
      'cases',
      `SELECT subject, route, status FROM audit_log WHERE action = 'disclosure' AND resource_type = 'chronology' AND resource_id = $1 AND status = 200 ORDER BY id`,
      [caseId],
    );
    expect(disclosures.map((d) => [d.subject, d.route])).toEqual([
      ['sw.alex', 'GET /cases/:caseId/children/:childId/chronology.csv'],
      ['law.kim', 'GET /cases/:caseId/children/:childId/chronology.pdf'],
    ]);
  }, 60_000);
});
