import { ConsoleUser, eventually, ServiceProcess, TestStack, textOf } from '@plo/testing';
import type { TokenClaims } from '@plo/platform';
import { addDays, londonDateOf, type LocalDate } from '@plo/timescales';
import { newCase, request } from './api';
import { setClock } from './alerting-support';

const COUNCIL = 'demo-council';
const samClaims: TokenClaims = { subject: 'tm.sam', councilId: COUNCIL, roles: ['team-manager'], teamIds: ['north-1'] };
const leeClaims: TokenClaims = { subject: 'tm.lee', councilId: COUNCIL, roles: ['team-manager'], teamIds: ['north-2'] };

type Alert = {
  id: string;
  caseId: string;
  childId: string | null;
  level: string;
  state: string;
  version: number;
  explanation: string;
  escalatesAt: string | null;
};
type Child = { id: string; firstName: string; lastName: string };

/** The part of a page under the heading with this id, up to the next heading of the same rank. */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start === -1) throw new Error(`the page has no section ${id}`);
  const next = html.indexOf('<h2', start);
  return html.slice(start, next === -1 ? undefined : next);
}

/** The visible text of each table row in a piece of a page. */
function rows(html: string): string[] {
  return [...html.matchAll(/<tr class="govuk-table__row">[\s\S]*?<\/tr>/g)].map((match) => textOf(match[0]));
}

function rowWith(html: string, text: string): string | undefined {
  return rows(html).find((row) => row.includes(text));
}

/** What the acknowledge button of an alert sends: its id and the version the page showed. */
function acknowledgeButton(html: string, alertId: string): string {
  const match = new RegExp(`<button type="submit" name="alert" value="(${alertId}:\\d+)"`).exec(html);
  if (!match) throw new Error(`the page has no acknowledge button for ${alertId}`);
  return match[1];
}

/**
 * The managers' pages over the real cases and alerting services: cases opened through the cases API
 * with visits already overdue (so alerting raises drift at once, on the real clock), then what a team
 * manager, a service manager and a social worker see and do in the console. Alerting's test clock
 * is moved on only at the end, to make drift escalate.
 */
describe('console: my team this week, and the service manager’s teams', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let alerting: ServiceProcess;
  let consoleApp: ServiceProcess;
  const today = londonDateOf(new Date());
  const daysAgo = (days: number): LocalDate => addDays(today, -days);
  const seeded = { north1: [] as string[], north2: '' };
  const children = new Map<string, Child>();
  const alertsOf = async (claims: TokenClaims, query: string) =>
    (await request<{ items: Alert[] }>('GET', `${alerting.url}/alerts?${query}`, undefined, await stack.as(claims))).body.items;
  const alertOf = async (id: string) =>
    (await request<any>('GET', `${alerting.url}/alerts/${id}`, undefined, await stack.as(samClaims))).body;
  const driftFor = async (claims: TokenClaims, teamId: string, childId: string) => {
    const alerts = await eventually(
      () => alertsOf(claims, `teamId=${teamId}&level=drift&limit=200`),
      (items) => items.some((a) => a.childId === childId),
      30_000,
      `drift for child ${childId}`,
    );
    return alerts.find((a) => a.childId === childId)!;
  };
  const open = async (claims: TokenClaims, body: Record<string, unknown>) => {
    const opened = await request<{ id: string; children: Child[] }>('POST', `${cases.url}/cases`, newCase(body), await stack.as(claims));
    expect(opened.status).toBe(201);
    for (const child of opened.body.children) children.set(`${child.firstName} ${child.lastName}`, child);
    return opened.body.id;
  };
  const child = (name: string) => children.get(name)!;

  beforeAll(async () => {
    cases = stack.service('cases');
    alerting = stack.service('alerting', { TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'test' });
    // The team pages read cases and alerting only; PLO is named for the console's configuration.
    const plo = stack.service('plo');
    await Promise.all([cases.start(), alerting.start()]);
    consoleApp = await stack.console({ cases, plo, alerting }).start();

    // North 2's drift first, so it is the oldest drift of the two teams.
    seeded.north2 = await open(leeClaims, {
      councilId: COUNCIL,
      teamId: 'north-2',
      allocatedWorkerId: 'sw.pat',
      teamManagerId: 'tm.lee',
      openedOn: daysAgo(60),
      children: [{ firstName: 'Eli', lastName: 'Northcott', dateOfBirth: '2017-02-01', sex: 'male' }],
    });
    await driftFor(leeClaims, 'north-2', child('Eli Northcott').id);
    seeded.north1.push(
      await open(samClaims, {
        councilId: COUNCIL,
        allocatedWorkerId: 'sw.alex',
        openedOn: daysAgo(60),
        children: [
          { firstName: 'Ana', lastName: 'Okoro', dateOfBirth: '2018-03-01', sex: 'female' },
          { firstName: 'Ben', lastName: 'Okoro', dateOfBirth: '2020-06-01', sex: 'male' },
        ],
      }),
      await open(samClaims, {
        councilId: COUNCIL,
        allocatedWorkerId: 'sw.alex',
        legalStatus: 'child-in-need',
        openedOn: daysAgo(100),
        children: [{ firstName: 'Dev', lastName: 'Shah', dateOfBirth: '2015-09-01', sex: 'male' }],
      }),
      // Opened ten days ago: its first visit falls due within the week.
      await open(samClaims, {
        councilId: COUNCIL,
        allocatedWorkerId: 'sw.jamie',
        openedOn: daysAgo(10),
        children: [{ firstName: 'Cara', lastName: 'Lewis', dateOfBirth: '2019-01-01', sex: 'female' }],
      }),
    );
    for (const name of ['Ana Okoro', 'Ben Okoro', 'Dev Shah']) await driftFor(samClaims, 'north-1', child(name).id);
  }, 180_000);

  afterAll(() => stack.stop(), 60_000);

  it("shows a team manager their team's drift with the child, the rule, its explanation and who holds it; no other team's", async () => {
    const sam = new ConsoleUser(consoleApp.url);
    const signedIn = await sam.signInAs('tm.sam');
    expect(signedIn.url).toBe(`${consoleApp.url}/team`);
    expect(signedIn.status).toBe(200);
    const page = signedIn.html;
    expect(textOf(page)).toContain('My team this week');

    const ana = await driftFor(samClaims, 'north-1', child('Ana Okoro').id);
    const row = rowWith(section(page, 'alerts'), 'Ana Okoro');
    expect(row).toContain('Statutory visit: Overdue');
    expect(row).toContain(ana.explanation);
    expect(row).toContain('sw.alex');
    expect(row).toMatch(/Critical Open/);
    expect(page).toContain(`href="/cases/${ana.caseId}"`);
    for (const name of ['Ben Okoro', 'Dev Shah']) expect(rowWith(section(page, 'alerts'), name)).toContain('Overdue');
    expect(textOf(page)).not.toContain('Eli Northcott');

    // Caseloads as the cases service counts them today, and the drift alerting holds on each worker's cases.
    const list = await request<{ items: { allocatedWorkerId: string; overdue: unknown[] }[] }>(
      'GET',
      `${cases.url}/cases?councilId=${COUNCIL}&teamId=north-1`,
      undefined,
      await stack.as(samClaims),
    );
    for (const [workerId, caseCount] of [
      ['sw.alex', 2],
      ['sw.jamie', 1],
    ] as const) {
      const mine = list.body.items.filter((c) => c.allocatedWorkerId === workerId);
      expect(mine).toHaveLength(caseCount);
      const withOverdue = mine.filter((c) => c.overdue.length > 0).length;
      const overdue = mine.reduce((sum, c) => sum + c.overdue.length, 0);
      const drift = (await alertsOf(samClaims, `teamId=north-1&workerId=${workerId}&level=drift`)).length;
      expect(rowWith(section(page, 'caseloads'), workerId)).toBe(`${workerId} ${caseCount} ${withOverdue} ${overdue} ${drift}`);
    }
    expect(rowWith(section(page, 'caseloads'), 'sw.alex')).toMatch(/^sw\.alex 2 2 [3-9]/);

    // Cara's first visit falls due this week.
    const cara = await request<{ obligations: { kind: string; status: string; dueDate: string; childId: string }[] }>(
      'GET',
      `${cases.url}/cases/${seeded.north1[2]}`,
      undefined,
      await stack.as(samClaims),
    );
    const visit = cara.body.obligations.find((o) => o.kind === 'visit' && o.status === 'open')!;
    expect(visit.dueDate <= addDays(today, 7)).toBe(true);
    const due = rowWith(section(page, 'due'), 'Cara Lewis');
    expect(due).toContain('Statutory visit');
    expect(due).toContain('sw.jamie');
  }, 60_000);

  it('acknowledges and resolves alerts from the page, through the alerting API, with a banner saying so', async () => {
    const sam = new ConsoleUser(consoleApp.url);
    await sam.signInAs('tm.sam');
    const ana = await driftFor(samClaims, 'north-1', child('Ana Okoro').id);
    const ben = await driftFor(samClaims, 'north-1', child('Ben Okoro').id);

    const button = acknowledgeButton(sam.lastPage, ana.id);
    const acknowledged = await sam.submit('/team/alerts/acknowledge', { alert: button, teamId: 'north-1', from: 'team' });
    expect(acknowledged.url).toBe(`${consoleApp.url}/team?teamId=north-1&done=acknowledged`);
    expect(textOf(acknowledged.html)).toContain('Alert acknowledged');
    expect(await alertOf(ana.id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'tm.sam' });
    expect(rowWith(section(acknowledged.html, 'alerts'), 'Ana Okoro')).toMatch(/Critical Acknowledged/);

    // The same button again, from a page that showed the old version: alerting refuses, nothing changes.
    const stale = await sam.submit('/team/alerts/acknowledge', { alert: button, teamId: 'north-1', from: 'team' });
    expect(stale.url).toBe(`${consoleApp.url}/team?teamId=north-1&done=changed`);
    expect(textOf(stale.html)).toContain('Nothing was changed');

    const form = await sam.visit(`/team/alerts/${ben.id}/resolve?teamId=north-1`);
    expect(form.status).toBe(200);
    expect(textOf(form.html)).toContain('Resolve an alert');
    expect(textOf(form.html)).toContain('Ben Okoro');
    const empty = await sam.submit(`/team/alerts/${ben.id}/resolve`, { version: String(ben.version), teamId: 'north-1', reason: ' ' });
    expect(empty.status).toBe(400);
    expect(textOf(empty.html)).toContain('Enter why the alert can be resolved');
    expect((await alertOf(ben.id)).state).toBe('open');

    const resolved = await sam.submit(`/team/alerts/${ben.id}/resolve`, {
      version: String(ben.version),
      teamId: 'north-1',
      reason: 'Seen at school on Friday; the visit record follows',
    });
    expect(resolved.url).toBe(`${consoleApp.url}/team?teamId=north-1&done=resolved`);
    expect(textOf(resolved.html)).toContain('Alert resolved');
    expect(await alertOf(ben.id)).toMatchObject({
      state: 'resolved',
      resolution: 'manager',
      resolvedBy: 'tm.sam',
      resolutionReason: 'Seen at school on Friday; the visit record follows',
    });
    expect(rowWith(section(resolved.html, 'alerts'), 'Ben Okoro')).toBeUndefined();
  }, 60_000);

  it('refuses a form posted without its CSRF token, and changes nothing', async () => {
    const sam = new ConsoleUser(consoleApp.url);
    await sam.signInAs('tm.sam');
    const dev = await driftFor(samClaims, 'north-1', child('Dev Shah').id);
    const response = await sam.request('/team/alerts/acknowledge', { form: { alert: `${dev.id}:${dev.version}`, teamId: 'north-1' } });
    expect(response.status).toBe(403);
    const forged = await sam.request(`/team/alerts/${dev.id}/resolve`, {
      form: { _csrf: 'x'.repeat(43), teamId: 'north-1', reason: 'forged' },
    });
    expect(forged.status).toBe(403);
    expect(await alertOf(dev.id)).toMatchObject({ state: 'open', version: dev.version });
  }, 30_000);

  it("shows a social worker their own team's page only", async () => {
    const pat = new ConsoleUser(consoleApp.url);
    const page = await pat.signInAs('sw.pat');
    expect(page.url).toBe(`${consoleApp.url}/team`);
    const eli = await driftFor(leeClaims, 'north-2', child('Eli Northcott').id);
    const row = rowWith(section(page.html, 'alerts'), 'Eli Northcott');
    expect(row).toContain('sw.pat');
    // The alert is with Pat: Pat may acknowledge it but not resolve it.
    expect(acknowledgeButton(page.html, eli.id)).toBe(`${eli.id}:${eli.version}`);
    expect(page.html).not.toContain(`/team/alerts/${eli.id}/resolve`);
    for (const name of ['Ana Okoro', 'Dev Shah', 'Cara Lewis']) expect(textOf(page.html)).not.toContain(name);
    expect((await pat.visit('/team?teamId=north-1')).status).toBe(404);
    const dev = await driftFor(samClaims, 'north-1', child('Dev Shah').id);
    expect((await pat.visit(`/team/alerts/${dev.id}/resolve?teamId=north-2`)).status).toBe(403);
  }, 30_000);

  it('ranks a service manager’s teams by open drift and by the age of their oldest drift, each linking to its page', async () => {
    const jo = new ConsoleUser(consoleApp.url);
    await jo.signInAs('sm.jo');
    const page = await jo.visit('/service');
    expect(page.status).toBe(200);
    const byDrift = rows(section(page.html, 'by-drift')).slice(1);
    const byAge = rows(section(page.html, 'by-age')).slice(1);
    // North 1 holds more drift (Ana's, acknowledged, and Dev's at least); North 2's drift is the older.
    const north1Drift = (await alertsOf(samClaims, 'teamId=north-1&level=drift')).length;
    const north2Drift = (await alertsOf(leeClaims, 'teamId=north-2&level=drift')).length;
    expect(north1Drift).toBeGreaterThan(north2Drift);
    expect(byDrift[0]).toMatch(new RegExp(`^1 Team north-1 ${north1Drift} `));
    expect(byDrift[1]).toMatch(new RegExp(`^2 Team north-2 ${north2Drift} `));
    expect(byAge[0]).toMatch(/^1 Team north-2 /);
    expect(byAge[1]).toMatch(/^2 Team north-1 /);
    expect(page.html).toContain('href="/team?teamId=north-2"');
    const north2 = await jo.visit('/team?teamId=north-2');
    expect(rowWith(section(north2.html, 'alerts'), 'Eli Northcott')).toContain('sw.pat');
  }, 30_000);

  it('the APIs behind the pages: due obligations and team counts stay within what the caller may see', async () => {
    const pat = await stack.as({ subject: 'sw.pat', councilId: COUNCIL, roles: ['social-worker'], teamIds: ['north-2'] });
    const north1 = await request<any>('GET', `${alerting.url}/obligations/due?teamId=north-1&days=7`, undefined, pat);
    expect(north1.body).toMatchObject({ teams: ['north-1'], from: today, to: addDays(today, 7), total: 0, items: [] });
    const mine = await request<any>('GET', `${alerting.url}/obligations/due?teamId=north-1&days=7`, undefined, await stack.as(samClaims));
    expect(mine.body.items.map((o: { childId: string }) => o.childId)).toContain(child('Cara Lewis').id);
    const tooFar = await request<any>('GET', `${alerting.url}/obligations/due?days=40`, undefined, pat);
    expect(tooFar.status).toBe(400);
    expect(JSON.stringify(tooFar.body)).toContain('days');

    const north2Drift = (await alertsOf(leeClaims, 'teamId=north-2&level=drift')).length;
    const teams = await request<any[]>('GET', `${alerting.url}/alerts/teams`, undefined, pat);
    expect(teams.body.map((t) => [t.teamId, t.drift])).toEqual([['north-2', north2Drift]]);
  }, 30_000);

  it('marks drift that went up to the team manager as escalated, in words', async () => {
    const dev = await driftFor(samClaims, 'north-1', child('Dev Shah').id);
    // Unacknowledged, drift goes to the team manager when alerting said it would (two working days on).
    expect(dev.escalatesAt).not.toBeNull();
    await setClock(stack, [alerting.url], new Date(Date.parse(dev.escalatesAt!) + 60_000).toISOString());
    await eventually(
      () => alertOf(dev.id),
      (alert) => alert.escalationStep === 1,
      30_000,
      'the escalation',
    );
    const sam = new ConsoleUser(consoleApp.url);
    const page = await sam.signInAs('tm.sam');
    const row = rowWith(section(page.html, 'escalated'), 'Dev Shah');
    expect(row).toContain('Escalated to team manager');
    expect(row).toContain('now with tm.sam');
    // Ana's drift was acknowledged in time: it is not escalated.
    expect(rowWith(section(page.html, 'escalated'), 'Ana Okoro')).toBeUndefined();

    // The service manager sees it across their teams, and takes it from there.
    const jo = new ConsoleUser(consoleApp.url);
    await jo.signInAs('sm.jo');
    const service = await jo.visit('/service');
    expect(rowWith(section(service.html, 'escalated'), 'Dev Shah')).toMatch(/Team north-1 .*Escalated to team manager/);
    const taken = await jo.submit('/team/alerts/acknowledge', { alert: acknowledgeButton(service.html, dev.id), from: 'service' });
    expect(taken.url).toBe(`${consoleApp.url}/service?done=acknowledged`);
    expect(textOf(taken.html)).toContain('Alert acknowledged');
    expect(await alertOf(dev.id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'sm.jo' });
    expect(rowWith(section(taken.html, 'escalated'), 'Dev Shah')).toBeUndefined();
  }, 60_000);
});
