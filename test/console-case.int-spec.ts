import { ConsoleUser, eventually, ServiceProcess, TestStack, textOf } from '@plo/testing';
import { londonDateOf } from '@plo/timescales';
import { newCase, request, SIBLINGS, siblingsOf } from './api';

/**
 * The case page (/cases/{caseId}) over the real cases, PLO and alerting services, seeded through
 * their APIs: two siblings, Ana in care proceedings from ten weeks ago with an extension, Ben joining
 * three weeks later with his own 26 weeks; a case management hearing moved and held, an issues
 * resolution hearing vacated, the final hearing listed after Ben's limit. What a team manager, a
 * social worker of another team and the council's lawyer each get from the page.
 */
describe('console: the case page', () => {
  const stack = new TestStack();
  const council = 'demo-council';
  let cases: ServiceProcess;
  let plo: ServiceProcess;
  let consoleProcess: ServiceProcess;
  let manager: Record<string, string>;
  let legal: Record<string, string>;
  /** A day `days` from today, in London. */
  const on = (days: number) => londonDateOf(Date.now() + days * 86_400_000);
  const fmt = (date: string) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(
      new Date(`${date}T12:00:00Z`),
    );
  const seeded = { caseId: '', caseReference: '', ana: '', ben: '' };
  const visitAs = async (persona: string, path: string) => {
    const user = new ConsoleUser(consoleProcess.url);
    await user.signInAs(persona);
    return user.visit(path);
  };

  beforeAll(async () => {
    [cases, plo] = await Promise.all([stack.service('cases').start(), stack.service('plo').start()]);
    const alerting = await stack.service('alerting').start();
    consoleProcess = await stack.console({ cases, plo, alerting }).start();
    manager = await stack.as({ subject: 'tm.sam', councilId: council, roles: ['team-manager'], teamIds: ['north-1'] });
    legal = await stack.as({ subject: 'law.kim', councilId: council, roles: ['legal'], teamIds: [] });
  }, 180_000);

  afterAll(() => stack.stop(), 60_000);

  const ok = async (method: string, url: string, body: unknown, as: Record<string, string>, headers: Record<string, string> = {}) => {
    const response = await request(method, url, body, { ...as, ...headers });
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };

  it('seeds a case of two siblings through the cases API; legal and another team cannot see it yet', async () => {
    const opened = await ok(
      'POST',
      `${cases.url}/cases`,
      newCase({
        councilId: council,
        teamId: 'north-1',
        allocatedWorkerId: 'sw.alex',
        teamManagerId: 'tm.sam',
        legalStatus: 'child-in-need',
        openedOn: on(-140),
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
        childrenSeen: [seeded.ana],
        seenAlone: true,
        bedroomSeen: true,
        purpose: 'statutory-visit',
      },
      manager,
    );
    await eventually(
      () => stack.sql('plo', 'SELECT 1 FROM known_case_children WHERE case_id = $1', [caseId]),
      (rows) => rows.length === 2,
      30_000,
      'PLO to know the case and both children',
    );

    for (const persona of ['sw.pat', 'law.kim']) {
      const page = await visitAs(persona, `/cases/${caseId}`);
      expect([persona, page.status, textOf(page.html)]).toEqual([persona, 404, expect.stringContaining('Page not found')]);
    }
  }, 90_000);

  it('seeds proceedings through the PLO API: an extension for Ana, Ben joining, a hearing moved, one vacated, the final listed', async () => {
    const { caseId, ana, ben } = seeded;
    const issued = await ok(
      'POST',
      `${plo.url}/proceedings`,
      {
        caseId,
        court: 'Northtown Family Court',
        courtCaseNumber: `NT${caseId.slice(0, 6).toUpperCase()}`,
        issuedOn: on(-70),
        submittedOn: on(-70),
        childIds: [ana],
      },
      legal,
    );
    const id = issued.body.proceedingsId;
    await ok('POST', `${plo.url}/proceedings/${id}/orders`, { childId: ana, order: 'interim-care-order', madeOn: on(-69) }, legal);
    await ok('POST', `${plo.url}/proceedings/${id}/children`, { childId: ben, issuedOn: on(-49) }, legal);
    const hearing = async (hearingType: string, days: number) =>
      (
        await ok(
          'POST',
          `${plo.url}/proceedings/${id}/hearings`,
          { hearingType, startsAt: `${on(days)}T10:00:00Z`, listingStatus: 'fixed' },
          legal,
        )
      ).body.id as string;
    const cmh = await hearing('case-management', -56);
    await ok('POST', `${plo.url}/proceedings/${id}/hearings/${cmh}/move`, { startsAt: `${on(-54)}T10:00:00Z` }, legal);
    await ok('POST', `${plo.url}/proceedings/${id}/hearings/${cmh}/held`, { outcome: 'Directions given' }, legal);
    const irh = await hearing('issue-resolution', 21);
    await ok('POST', `${plo.url}/proceedings/${id}/hearings/${irh}/vacate`, undefined, legal);
    await hearing('final', 140);
    const extension = await ok(
      'POST',
      `${plo.url}/proceedings/${id}/children/${ana}/extensions`,
      { grantedOn: on(0), extendBy: '8 weeks', reason: 'timetable-for-child' },
      legal,
    );
    expect(extension.body.newEndDate).toBe(on(-70 + 181 + 56));
  }, 60_000);

  it("shows a team manager both children with their statuses, the allocation history, each child's timeline and the chronology", async () => {
    const { caseId, caseReference } = seeded;
    // The case record follows PLO's events: care proceedings for both, Ana looked after by the interim care order.
    await eventually(
      async () =>
        (await request('GET', `${cases.url}/cases/${caseId}`, undefined, manager)).body.children.map((c: any) => c.statuses.length),
      (counts: number[]) => counts[0] === 3 && counts[1] === 3,
      30_000,
      'the case record to follow the proceedings',
    );
    for (const childId of [seeded.ana, seeded.ben])
      await eventually(
        () => request('GET', `${cases.url}/cases/${caseId}/children/${childId}/chronology`, undefined, manager),
        (response) =>
          response.body.entries.some((entry: { source: string }) => entry.source === 'alerting') &&
          (childId !== seeded.ana || response.body.entries.some((entry: { recordType: string }) => entry.recordType === 'extension')),
        30_000,
        "alerting's missed visit in each child's chronology, and Ana's extension",
      );
    const page = await visitAs('tm.sam', `/cases/${caseId}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(`Case ${caseReference}`);

    const section = (id: string) => {
      const start = page.html.indexOf(`id="${id}"`);
      const next = page.html.indexOf('<h2 class="govuk-heading-m"', start + 1);
      return page.html.slice(start, next === -1 ? undefined : next);
    };
    /** The body rows of the first table in `html`, each as its text. */
    const rowsOf = (html: string) => {
      const body = /<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
      return [...body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((row) => textOf(row[1]));
    };

    expect(rowsOf(section('children'))).toEqual([
      `Ana Sibling 1 Mar 2018 Child in need since ${fmt(on(-140))} Care proceedings since ${fmt(on(-70))} (from the PLO record) Looked after (interim care order) since ${fmt(on(-69))}`,
      `Ben Sibling 1 Jun 2021 Child in need since ${fmt(on(-140))} Child protection plan since ${fmt(on(-100))} Care proceedings since ${fmt(on(-49))} (from the PLO record)`,
    ]);
    expect(rowsOf(section('allocations'))).toEqual([
      `north-1 sw.kai tm.sam ${fmt(on(-60))} Now Alex moved to the court team`,
      `north-1 sw.alex tm.sam ${fmt(on(-140))} ${fmt(on(-60))}`,
    ]);

    // One drawing per child in the proceedings, each described in words, with a table of the same hearings.
    const svgs = [...page.html.matchAll(/<svg [^>]*role="img"[^>]*>[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(2);
    const titleAndDesc = svgs.map((svg) => [textOf(/<title[^>]*>([^<]*)</.exec(svg)![1]), textOf(/<desc[^>]*>([^<]*)</.exec(svg)![1])]);
    expect(titleAndDesc.map(([title]) => title)).toEqual(['PLO timeline for Ana Sibling', 'PLO timeline for Ben Sibling']);
    const [anaDesc, benDesc] = titleAndDesc.map(([, desc]) => desc);
    expect(anaDesc).toContain(`care proceedings issued on ${fmt(on(-70))}; the 26 weeks end on ${fmt(on(-70 + 181))}.`);
    expect(anaDesc).toContain(`Extended once: to ${fmt(on(-70 + 181 + 56))} (granted ${fmt(on(0))}, for the timetable for the child).`);
    expect(anaDesc).toContain(`Case management hearing on ${fmt(on(-54))}, held, moved from ${fmt(on(-56))}`);
    expect(anaDesc).toContain(`Issues resolution hearing on ${fmt(on(21))}, vacated`);
    expect(anaDesc).toContain(`Final hearing on ${fmt(on(140))}, listed (the projected final hearing)`);
    expect(anaDesc).toMatch(/No drift\.$/);
    // Ben's own 26 weeks end before the final hearing: drift, on his timeline only.
    expect(benDesc).toContain(`care proceedings issued on ${fmt(on(-49))}; the 26 weeks end on ${fmt(on(-49 + 181))}.`);
    expect(benDesc).not.toContain('Extended');
    expect(benDesc).toContain(`moved from ${fmt(on(-56))}`);
    expect(benDesc).toMatch(/Drift: The final hearing is projected for .*, 1 week and 1 day after the limit\.$/);

    const timelines = section('timelines');
    expect(textOf(timelines)).toContain(`Drift. The final hearing is projected for ${fmt(on(140))}`);
    expect(textOf(timelines)).toContain(`Extension Extended to ${fmt(on(-70 + 181 + 56))}, granted ${fmt(on(0))}`);
    const hearingTables = [...timelines.matchAll(/<table[\s\S]*?<\/table>/g)].map((table) => rowsOf(table[0]));
    const hearingRows = [
      `Case management hearing ${fmt(on(-54))} Held Moved from ${fmt(on(-56))}`,
      `Issues resolution hearing ${fmt(on(21))} Vacated`,
      `Final hearing ${fmt(on(140))} Listed`,
    ];
    expect(hearingTables).toEqual([hearingRows, hearingRows]);

    // Each child's chronology, oldest first, as the cases service assembles it: its own records, PLO's
    // court record (a hearing is a child's only from the day they joined the proceedings) and the
    // timescales the real alerting service found missed (compared apart: its scan adds them as time passes).
    const tables = [...section('chronology').matchAll(/<table[\s\S]*?<\/table>/g)].map((table) => rowsOf(table[0]));
    const missed = (rows: string[]) => rows.filter((row) => row.endsWith('Alerting Timescale missed'));
    const owned = (rows: string[]) => rows.filter((row) => !row.endsWith('Alerting Timescale missed'));
    const row = (days: number, text: string) => `${fmt(on(days))} ${text}`;
    const expected = {
      ana: [
        row(-140, 'Allocated to sw.alex (team north-1) Cases Routine'),
        row(-140, 'Child in need started Cases Significant'),
        row(-70, 'Care proceedings started PLO Significant'),
        row(-69, 'Looked after started (interim care order) PLO Significant'),
        row(-60, 'Allocated to sw.kai (team north-1) Cases Routine'),
        row(-54, 'Case management hearing held: Directions given PLO Significant'),
        row(-14, 'Seen on a home visit (statutory visit), seen alone Cases Routine'),
        row(
          0,
          `Extension granted: 26 weeks extended from ${on(-70 + 181)} to ${on(-70 + 181 + 56)} (timetable for the child) PLO Significant`,
        ),
        row(21, 'Issues resolution hearing vacated PLO Significant'),
        row(140, 'Final hearing listed PLO Significant'),
      ],
      ben: [
        row(-140, 'Allocated to sw.alex (team north-1) Cases Routine'),
        row(-140, 'Child in need started Cases Significant'),
        row(-100, 'Child protection plan started Cases Significant'),
        row(-60, 'Allocated to sw.kai (team north-1) Cases Routine'),
        row(-49, 'Care proceedings started PLO Significant'),
        row(21, 'Issues resolution hearing vacated PLO Significant'),
        row(140, 'Final hearing listed PLO Significant'),
      ],
    };
    expect(tables.map(owned)).toEqual([expected.ana, expected.ben]);
    // Neither child was visited within six weeks of the case opening: a visit timescale missed for each.
    for (const rows of tables)
      expect(missed(rows)).toContainEqual(expect.stringMatching(/^\d+ \w+ \d{4} Statutory visit not done by \d{4}-\d\d-\d\d: /));
    const newest = await visitAs('tm.sam', `/cases/${caseId}?order=newest`);
    const newestTables = [...newest.html.slice(newest.html.indexOf('id="chronology"')).matchAll(/<table[\s\S]*?<\/table>/g)];
    expect(newestTables.map((table) => owned(rowsOf(table[0])))).toEqual([[...expected.ana].reverse(), [...expected.ben].reverse()]);
  }, 90_000);

  it("offers each child's chronology as CSV and PDF through the console, disclosed under the person's name", async () => {
    const { caseId, caseReference, ben } = seeded;
    const page = await visitAs('tm.sam', `/cases/${caseId}`);
    const links = [...page.html.matchAll(/href="([^"]+\/chronology\.(?:csv|pdf))"/g)].map((match) => match[1]);
    expect(links).toEqual([
      `/cases/${caseId}/children/${seeded.ana}/chronology.csv`,
      `/cases/${caseId}/children/${seeded.ana}/chronology.pdf`,
      `/cases/${caseId}/children/${ben}/chronology.csv`,
      `/cases/${caseId}/children/${ben}/chronology.pdf`,
    ]);
    const user = new ConsoleUser(consoleProcess.url);
    await user.signInAs('tm.sam');
    const csv = await user.request(`/cases/${caseId}/children/${ben}/chronology.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="chronology-${caseReference}-Ben-Sibling.csv"`);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('date,event,source,significance');
    expect(lines).toContain(`${on(-100)},Child protection plan started,cases,significant`);
    const pdf = await user.request(`/cases/${caseId}/children/${ben}/chronology.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const disclosures = await stack.sql<{ subject: string; route: string }>(
      'cases',
      `SELECT subject, route FROM audit_log WHERE action = 'disclosure' AND resource_type = 'chronology' AND resource_id = $1 AND status = 200 ORDER BY id`,
      [caseId],
    );
    expect(disclosures.map((d) => [d.subject, d.route])).toEqual([
      ['tm.sam', 'GET /cases/:caseId/children/:childId/chronology.csv'],
      ['tm.sam', 'GET /cases/:caseId/children/:childId/chronology.pdf'],
    ]);
    // Another team's worker gets the console's 404, as for the page.
    const other = new ConsoleUser(consoleProcess.url);
    await other.signInAs('sw.pat');
    expect((await other.request(`/cases/${caseId}/children/${ben}/chronology.csv`)).status).toBe(404);
  }, 60_000);

  it('is the 404 page for a social worker of another team, and for an address that names no case', async () => {
    const { caseId } = seeded;
    const other = await visitAs('sw.pat', `/cases/${caseId}`);
    expect(other.status).toBe(404);
    expect(textOf(other.html)).toContain('Page not found');
    expect(other.html).not.toContain('Ana');
    expect((await visitAs('tm.sam', '/cases/not-a-case')).status).toBe(404);
    expect((await visitAs('tm.sam', `/cases/${caseId.replace(/^.{8}/, '00000000')}`)).status).toBe(404);
  }, 30_000);

  it("shows supervision within cadence per team and per worker on the KPI page: the case's unheld supervision counts against its worker", async () => {
    const record = (await request('GET', `${cases.url}/cases/${seeded.caseId}`, undefined, manager)).body as {
      allocatedWorkerId: string;
      obligations: { kind: string; dueDate: string; status: string }[];
    };
    const obligations = record.obligations;
    const due = obligations.filter((o) => o.kind === 'supervision' && o.status === 'open' && o.dueDate < on(0)).map((o) => o.dueDate);
    expect(due).toHaveLength(1);
    const month = due[0].slice(0, 7);
    const page = await visitAs('tm.sam', `/kpis?a=${month}&b=${month}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Supervision within cadence, by worker');
    // The case was re-allocated during these tests: it counts for the worker who holds it now.
    expect(text).toContain(`${record.allocatedWorkerId} 0% (0 of 1) 0% (0 of 1)`);
    expect(text).toMatch(/north-1\s+0% \(0 of 1\)/);
  }, 30_000);

  it('shows the case to the council’s lawyer once legal involvement began', async () => {
    const page = await eventually(
      () => visitAs('law.kim', `/cases/${seeded.caseId}`),
      (visited) => visited.status === 200,
      30_000,
      'the lawyer to see the case',
    );
    const text = textOf(page.html);
    expect(text).toContain('PLO timeline for Ana Sibling');
    expect(text).toContain('Care proceedings started');
  }, 60_000);
});
