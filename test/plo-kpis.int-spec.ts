import { randomUUID } from 'node:crypto';
import { ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, announceChild, COUNCIL, issueProceedings, setClock, signIn } from './plo-support';

/**
 * The PLO's KPI figures beside the peer review's table: proceedings concluded within 26 weeks and
 * the average weeks taken, per child and per case; pre-proceedings ended within 16 weeks; open
 * proceedings by the weeks they have run. Everything is recorded through the service's API with
 * past dates (issue and conclusion dates are what the court did), then read back for a period.
 *
 * Team north-1: case A (two children issued Tue 7 Jan 2025, concluded in 25 and 30 weeks), case C
 * (issued 31 Jul, a baby joined 1 Oct), case D (issued 19 Jun, extended on 20 Dec to 11 Feb 2026),
 * case F (concluded before the period) and pre-proceedings ending 12 weeks after the letter.
 * Team south-2: case B (concluded in 40 weeks), case E (issued 5 Jun, not extended) and
 * pre-proceedings ending 20 weeks after the letter, after an extension.
 */
describe('PLO KPIs', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;
  let as: Awaited<ReturnType<typeof signIn>>;
  let serviceManager: Record<string, string>;
  let otherCouncilManager: Record<string, string>;
  const PERIOD = 'from=2025-06-01&to=2025-12-31';

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await request(method, `${plo.url}${path}`, body, as.legal);
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const kpis = (query: string, who: Record<string, string>) => request('GET', `${plo.url}/kpis?${query}`, undefined, who);
  const proceedingsOf = async (teamId: string, issuedOn: string, childIds = [randomUUID()]) => {
    const { caseId } = await announceCase(stack, plo, { teamId, childIds });
    const issued = await issueProceedings(plo, as.legal, caseId, childIds, { issuedOn, submittedOn: issuedOn });
    expect(issued.status).toBe(201);
    return { caseId, id: issued.body.proceedingsId as string, childIds };
  };
  const conclude = (id: string, childId: string, concludedOn: string, outcome = 'final-order') =>
    api('POST', `/proceedings/${id}/children/${childId}/conclusion`, { outcome, concludedOn });
  const preProceedings = async (teamId: string, letterSentOn: string) => {
    const { caseId } = await announceCase(stack, plo, { teamId });
    const { id } = await api('POST', '/pre-proceedings', { caseId, decidedOn: letterSentOn, decision: 'pre-proceedings' });
    await api('POST', `/pre-proceedings/${id}/letter`, { sentOn: letterSentOn });
    return id as string;
  };
  const conclusions: Record<string, boolean> = {};

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true' });
    [as] = await Promise.all([signIn(stack), plo.start()]);
    serviceManager = await stack.as({ subject: 'sm.pat', councilId: COUNCIL, roles: ['service-manager'], teamIds: [] });
    otherCouncilManager = await stack.as({ subject: 'sm.lou', councilId: 'other-council', roles: ['service-manager'], teamIds: [] });
    await setClock(stack, plo, '2026-01-15T09:00:00Z');

    const a = await proceedingsOf('north-1', '2025-01-07', [randomUUID(), randomUUID()]);
    // 175 and 210 days counted from the issue day: 25 and 30 weeks. The case ends with its second child.
    conclusions.a1 = (await conclude(a.id, a.childIds[0], '2025-06-30')).withinTimescale;
    conclusions.a2 = (await conclude(a.id, a.childIds[1], '2025-08-04')).withinTimescale;
    const b = await proceedingsOf('south-2', '2025-01-07');
    conclusions.b1 = (await conclude(b.id, b.childIds[0], '2025-10-13')).withinTimescale; // 280 days: 40 weeks
    const f = await proceedingsOf('north-1', '2024-11-05');
    await conclude(f.id, f.childIds[0], '2025-05-20', 'withdrawn');

    const c = await proceedingsOf('north-1', '2025-07-31');
    const baby = await announceChild(stack, c.caseId);
    await api('POST', `/proceedings/${c.id}/children`, { childId: baby, issuedOn: '2025-10-01' });
    const d = await proceedingsOf('north-1', '2025-06-19');
    // Its 26 weeks ended on Wed 17 Dec; the court extended them on 20 Dec.
    await api('POST', `/proceedings/${d.id}/children/${d.childIds[0]}/extensions`, {
      grantedOn: '2025-12-20',
      newEndDate: '2026-02-11',
      reason: 'timetable-for-child',
    });
    await proceedingsOf('south-2', '2025-06-05');

    const twelveWeeks = await preProceedings('north-1', '2025-05-05');
    await api('POST', `/pre-proceedings/${twelveWeeks}/outcome`, { outcome: 'step-down', decidedOn: '2025-07-28', reason: 'safe at home' });
    const twentyWeeks = await preProceedings('south-2', '2025-03-03');
    await api('POST', `/pre-proceedings/${twentyWeeks}/extension`, {
      newEndDate: '2025-07-31',
      reason: 'the parenting assessment needs the summer',
      decidedOn: '2025-06-02',
    });
    await api('POST', `/pre-proceedings/${twentyWeeks}/outcome`, { outcome: 'issue', decidedOn: '2025-07-21' });
  }, 180_000);

  afterAll(() => stack.stop(), 60_000);

  it('the whole council: per child one of three children within 26 weeks, per case none of two; averages of 31.7 and 35 weeks', async () => {
    expect(conclusions).toEqual({ a1: true, a2: false, b1: false });
    const report = await kpis(PERIOD, serviceManager);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ councilId: COUNCIL, teamId: null, from: '2025-06-01', to: '2025-12-31' });
    // Case F's child concluded before the period and is not counted.
    expect(report.body.concludedWithin26Weeks).toMatchObject({
      perChild: { numerator: 1, denominator: 3, percent: 33.3 },
      perCase: { numerator: 0, denominator: 2, percent: 0 },
    });
    expect(report.body.averageWeeksToConclusion).toMatchObject({ perChild: { weeks: 31.7, count: 3 }, perCase: { weeks: 35, count: 2 } });
    expect(report.body.preProceedingsWithin16Weeks).toMatchObject({ perCase: { numerator: 1, denominator: 2, percent: 50 }, extended: 1 });
    // On 31 Dec: C's first child 22.0 weeks and the baby 13.1 (C itself 22.0); D 28 weeks but extended; E 30 weeks, past its date.
    expect(report.body.openProceedings).toMatchObject({
      children: 4,
      cases: 3,
      bands: [
        { band: 'up-to-20-weeks', children: 1, cases: 0 },
        { band: 'over-20-up-to-26-weeks', children: 1, cases: 1 },
        { band: 'over-26-weeks', children: 2, cases: 2 },
      ],
      pastCompletionDate: { children: 1, cases: 1 },
    });
  });

  it('each measure carries its definition and source, for the console to show beside it', async () => {
    const { body } = await kpis(PERIOD, serviceManager);
    for (const key of ['concludedWithin26Weeks', 'averageWeeksToConclusion', 'preProceedingsWithin16Weeks', 'openProceedings']) {
      expect(body[key].definition).toMatch(/\w+ \w+/);
      expect(body[key].source).toMatch(/\w/);
    }
    expect(body.concludedWithin26Weeks.definition).toContain('Per child');
    expect(body.concludedWithin26Weeks.source).toContain('Children Act 1989 s.32(1)(a)(ii)');
    expect(body.preProceedingsWithin16Weeks.source).toContain('16 weeks');
  });

  it('a completion date counts as it stood on the reporting date: before the extension was granted, D was past its 26 weeks', async () => {
    const report = await kpis('from=2025-12-01&to=2025-12-19', serviceManager);
    expect(report.body.openProceedings).toMatchObject({ children: 4, cases: 3, pastCompletionDate: { children: 2, cases: 2 } });
  });

  it("a team manager sees their team's figures, naming the team; another team's or the whole council's are refused", async () => {
    const north = await kpis(`${PERIOD}&teamId=north-1`, as.manager);
    expect(north.status).toBe(200);
    expect(north.body).toMatchObject({
      teamId: 'north-1',
      concludedWithin26Weeks: { perChild: { numerator: 1, denominator: 2, percent: 50 }, perCase: { numerator: 0, denominator: 1 } },
      averageWeeksToConclusion: { perChild: { weeks: 27.5, count: 2 }, perCase: { weeks: 30, count: 1 } },
      preProceedingsWithin16Weeks: { perCase: { numerator: 1, denominator: 1, percent: 100 }, extended: 0 },
      openProceedings: {
        children: 3,
        cases: 2,
        bands: [
          { band: 'up-to-20-weeks', children: 1, cases: 0 },
          { band: 'over-20-up-to-26-weeks', children: 1, cases: 1 },
          { band: 'over-26-weeks', children: 1, cases: 1 },
        ],
        pastCompletionDate: { children: 0, cases: 0 },
      },
    });
    const south = await kpis(`${PERIOD}&teamId=south-2`, as.otherTeamManager);
    expect(south.body).toMatchObject({
      concludedWithin26Weeks: { perChild: { numerator: 0, denominator: 1 }, perCase: { numerator: 0, denominator: 1 } },
      averageWeeksToConclusion: { perChild: { weeks: 40, count: 1 }, perCase: { weeks: 40, count: 1 } },
      preProceedingsWithin16Weeks: { perCase: { numerator: 0, denominator: 1, percent: 0 }, extended: 1 },
      openProceedings: { children: 1, cases: 1, pastCompletionDate: { children: 1, cases: 1 } },
    });
    expect((await kpis(`${PERIOD}&teamId=south-2`, as.manager)).status).toBe(403);
    expect((await kpis(PERIOD, as.manager)).status).toBe(403);
    // Whose figures the service manager asks for narrows to a team too.
    expect((await kpis(`${PERIOD}&teamId=south-2`, serviceManager)).body.openProceedings.children).toBe(1);
  });

  it('only managers and administrators read the figures; another council sees only its own (none) and cannot name ours', async () => {
    expect((await kpis(PERIOD, as.legal)).status).toBe(403);
    expect((await kpis(PERIOD, as.worker)).status).toBe(403);
    expect((await kpis(PERIOD, as.admin)).body.concludedWithin26Weeks.perChild.denominator).toBe(3);

    const theirs = await kpis(PERIOD, otherCouncilManager);
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({
      councilId: 'other-council',
      concludedWithin26Weeks: { perChild: { numerator: 0, denominator: 0, percent: null }, perCase: { denominator: 0, percent: null } },
      averageWeeksToConclusion: { perChild: { weeks: null, count: 0 }, perCase: { weeks: null, count: 0 } },
      preProceedingsWithin16Weeks: { perCase: { denominator: 0, percent: null }, extended: 0 },
      openProceedings: { children: 0, cases: 0, pastCompletionDate: { children: 0, cases: 0 } },
    });
    const ours = await kpis(`${PERIOD}&councilId=${COUNCIL}`, otherCouncilManager);
    expect(ours.status).toBe(404);
    expect(JSON.stringify(ours.body)).not.toContain('"numerator"');
  });

  it('bad dates and references answer 400 naming the field; `to` defaults to today', async () => {
    const fields = async (query: string) => {
      const response = await kpis(query, serviceManager);
      return [response.status, response.body.fields?.map((f: { field: string }) => f.field)];
    };
    expect(await fields('from=2025-02-30&to=2025-12-31')).toEqual([400, ['from']]);
    expect(await fields('to=2025-12-31')).toEqual([400, ['from']]);
    expect(await fields('from=2025-06-01&to=31/12/2025')).toEqual([400, ['to']]);
    expect(await fields('from=2025-06-01&to=2025-05-31')).toEqual([400, ['to']]);
    expect(await fields(`${PERIOD}&teamId=north%201`)).toEqual([400, ['teamId']]);
    expect((await kpis('from=2025-06-01', serviceManager)).body.to).toBe('2026-01-15');
  });

  it('each reading, and each refusal, is audited as a combination of case data', async () => {
    const auditor = await stack.as({ subject: 'sm.audited', councilId: COUNCIL, roles: ['service-manager'], teamIds: [] });
    expect((await kpis(PERIOD, auditor)).status).toBe(200);
    expect((await kpis(`${PERIOD}&councilId=elsewhere`, auditor)).status).toBe(404);
    const rows = await stack.sql<{ action: string; status: number }>(
      'plo',
      `SELECT action, status FROM audit_log WHERE resource_type = 'kpi' AND subject = 'sm.audited' ORDER BY id`,
    );
    expect(rows).toEqual([
      { action: 'combination', status: 200 },
      { action: 'combination', status: 404 },
    ]);
  });
});
