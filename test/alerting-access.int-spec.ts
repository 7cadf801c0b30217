import { randomUUID } from 'node:crypto';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { administrator, alertsOf, AlertingScenario, as, setClock } from './alerting-support';

/**
 * Who may see and act on which alert: the case's council, team and worker decide (in the database),
 * managers alone resolve, only a council's administrators manage its directory and webhooks, webhook
 * targets are public https endpoints, and every access to case data leaves one audit row.
 */
describe('alerting: access control and audit', () => {
  const stack = new TestStack();
  const scenario = new AlertingScenario(stack);
  let alerting: ServiceProcess;
  const cases: Record<string, { caseId: string; obligationId: string; alertId?: string }> = {};
  const call = async <T = any>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    request<T>(method, `${alerting.url}${path}`, body, headers);

  beforeAll(async () => {
    alerting = stack.service('alerting', { TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'test' });
    await alerting.start();
    await setClock(stack, [alerting.url], '2027-05-01T09:00:00Z');
    cases.north = await scenario.caseWithVisit('2027-05-10');
    cases.northToo = await scenario.caseWithVisit('2027-05-10');
    cases.south = await scenario.caseWithVisit('2027-05-10', { teamId: 'south-2', allocatedWorkerId: 'sw.bo', teamManagerId: 'tm.zed' });
    cases.plo = await scenario.caseWithVisit('2027-05-10', { teamId: 'south-2', allocatedWorkerId: 'sw.bo', legalStatus: 'plo' });
    // Another council with the same team and worker ids: nothing of it may leak into test-council.
    cases.elsewhere = await scenario.caseWithVisit('2027-05-10', { councilId: 'other-council' });
    await eventually(
      () => stack.sql('alerting', 'SELECT count(*)::int AS n FROM obligations'),
      (r) => r[0].n === 5,
      30_000,
      'five obligations',
    );
    await setClock(stack, [alerting.url], '2027-05-11T09:00:00+01:00');
    for (const entry of Object.values(cases)) {
      const alerts = await eventually(
        () => alertsOf(stack, entry.obligationId),
        (a) => a.some((x) => x.level === 'drift'),
        10_000,
        'drift',
      );
      entry.alertId = alerts.find((a) => a.level === 'drift')!.id;
    }
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  it('answers 401 without a valid token, and 403 to a role the route is not for', async () => {
    expect((await call('GET', '/alerts', {})).status).toBe(401);
    expect((await call('GET', `/alerts/${cases.north.alertId}`, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    const expired = await stack.token(
      { subject: 'tm.sam', councilId: 'test-council', roles: ['team-manager'], teamIds: ['north-1'] },
      { issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresInSeconds: 3600 },
    );
    expect((await call('GET', '/alerts', { authorization: `Bearer ${expired}` })).status).toBe(401);
    const foreign = await stack.token(
      { subject: 'tm.sam', councilId: 'test-council', roles: ['team-manager'], teamIds: ['north-1'] },
      { audience: 'another-api' },
    );
    expect((await call('GET', '/alerts', { authorization: `Bearer ${foreign}` })).status).toBe(401);
    expect((await call('GET', `/obligations?caseId=${cases.north.caseId}`, {})).status).toBe(401);

    const admin = await administrator(stack);
    expect((await call('GET', '/alerts', admin)).status).toBe(403);
    const worker = await as(stack, 'sw.alex', ['social-worker'], ['north-1']);
    for (const [method, path] of [
      ['GET', '/webhook-subscriptions'],
      ['GET', '/deliveries'],
      ['GET', '/admin/teams'],
      ['PUT', '/admin/teams/north-1'],
      ['GET', '/admin/audit'],
    ]) {
      expect([
        method,
        path,
        (await call(method, path, worker, method === 'PUT' ? { serviceManagerId: 'sw.alex' } : undefined)).status,
      ]).toEqual([method, path, 403]);
    }
    const court = await stack.as({ subject: 'court-listing', councilId: 'test-council', roles: ['service'], scopes: ['hearings:write'] });
    expect((await call('GET', '/alerts', court)).status).toBe(403);
  }, 30_000);

  it("shows another team's manager and another council none of a team's alerts: 404 by id, absent from lists", async () => {
    const zed = await as(stack, 'tm.zed', ['team-manager'], ['south-2']);
    for (const path of [
      `/alerts/${cases.north.alertId}`,
      `/alerts/${cases.north.alertId}/history`,
      `/obligations?caseId=${cases.north.caseId}`,
    ]) {
      expect([path, (await call('GET', path, zed)).status]).toEqual([path, 404]);
    }
    expect((await call('POST', `/alerts/${cases.north.alertId}/acknowledge`, zed, {})).status).toBe(404);
    expect((await call('POST', `/alerts/${cases.north.alertId}/resolve`, zed, { reason: 'not mine' })).status).toBe(404);
    const zedList = (await call('GET', '/alerts', zed)).body.items.map((a: { id: string }) => a.id).sort();
    expect(zedList).toEqual([cases.south.alertId, cases.plo.alertId].sort());
    expect((await call('GET', '/alerts/dashboard', zed)).body).toMatchObject({ active: 2 });

    const samElsewhere = await as(stack, 'tm.sam', ['team-manager'], ['north-1'], 'other-council');
    const theirs = (await call('GET', '/alerts', samElsewhere)).body.items.map((a: { id: string }) => a.id);
    expect(theirs).toEqual([cases.elsewhere.alertId]);
    expect((await call('GET', `/alerts/${cases.north.alertId}`, samElsewhere)).status).toBe(404);

    const sam = await as(stack, 'tm.sam', ['team-manager'], ['north-1']);
    const samList = (await call('GET', '/alerts', sam)).body.items.map((a: { id: string }) => a.id).sort();
    expect(samList).toEqual([cases.north.alertId, cases.northToo.alertId].sort());

    // Legal staff see the alerts of cases in the PLO, and only those.
    const legal = await as(stack, 'lg.ash', ['legal']);
    expect((await call('GET', '/alerts', legal)).body.items.map((a: { id: string }) => a.id)).toEqual([cases.plo.alertId]);
    expect((await call('GET', `/alerts/${cases.south.alertId}`, legal)).status).toBe(404);
  }, 30_000);

  it('lets the recipient or a manager acknowledge, and only managers resolve', async () => {
    const alex = await as(stack, 'sw.alex', ['social-worker'], ['north-1']);
    const kai = await as(stack, 'sw.kai', ['social-worker'], ['north-1']);
    expect((await call('GET', `/alerts/${cases.north.alertId}`, kai)).status).toBe(200);
    const notMine = await call('POST', `/alerts/${cases.north.alertId}/acknowledge`, kai, {});
    expect(notMine.status).toBe(403);
    expect((await call('POST', `/alerts/${cases.north.alertId}/resolve`, alex, { reason: 'done' })).status).toBe(403);
    const acknowledged = await call('POST', `/alerts/${cases.north.alertId}/acknowledge`, alex, { note: 'visiting today' });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ acknowledgedBy: 'sw.alex', state: 'acknowledged' });

    const sam = await as(stack, 'tm.sam', ['team-manager'], ['north-1']);
    expect((await call('POST', `/alerts/${cases.northToo.alertId}/acknowledge`, sam, {})).status).toBe(200);
    const resolved = await call('POST', `/alerts/${cases.north.alertId}/resolve`, sam, { reason: 'visit done; recorded late' });
    expect(resolved.body).toMatchObject({ state: 'resolved', resolvedBy: 'tm.sam', resolution: 'manager' });
  }, 30_000);

  it('keeps webhooks to public https targets in the caller’s council', async () => {
    const admin = await administrator(stack);
    for (const url of [
      'http://127.0.0.1:9/hook',
      'https://127.0.0.1/hook',
      'https://10.0.0.8/hook',
      'https://169.254.169.254/latest',
      'https://[::1]/hook',
      'http://hooks.example.org/x',
    ]) {
      const refused = await call('POST', '/webhook-subscriptions', admin, { url });
      expect([url, refused.status, refused.body.fields?.map((f: { field: string }) => f.field)]).toEqual([url, 400, ['url']]);
    }
    expect(
      (await call('POST', '/webhook-subscriptions', admin, { url: 'https://93.184.215.14/hook', councilId: 'other-council' })).status,
    ).toBe(403);
    const created = await call('POST', '/webhook-subscriptions', admin, { url: 'https://93.184.215.14/hook' });
    expect(created.status).toBe(201);
    expect(created.body.councilId).toBe('test-council');
    const otherAdmin = await as(stack, 'admin.other', ['administrator'], [], 'other-council');
    expect((await call('GET', '/webhook-subscriptions', otherAdmin)).body).toEqual([]);
    expect((await call('DELETE', `/webhook-subscriptions/${created.body.id}`, otherAdmin)).status).toBe(404);
    expect((await call('DELETE', `/webhook-subscriptions/${created.body.id}`, admin)).status).toBe(204);
    // Team ids are each council's own: another council's north-1 is another team, and setting it leaves ours alone.
    expect((await call('PUT', '/admin/teams/north-1', admin, { serviceManagerId: 'sm.kim' })).status).toBe(200);
    expect((await call('PUT', '/admin/teams/north-1', otherAdmin, { serviceManagerId: 'sm.other' })).status).toBe(200);
    expect((await call('GET', '/admin/teams', otherAdmin)).body).toEqual([{ teamId: 'north-1', serviceManagerId: 'sm.other' }]);
    expect((await call('GET', '/admin/teams', admin)).body).toContainEqual({ teamId: 'north-1', serviceManagerId: 'sm.kim' });
  }, 30_000);

  it('writes one audit row per request that touches alerts, refusals included', async () => {
    const count = async () => (await stack.sql<{ n: number }>('alerting', 'SELECT count(*)::int AS n FROM audit_log'))[0].n;
    const before = await count();
    const zed = await as(stack, 'tm.zed', ['team-manager'], ['south-2']);
    const marker = randomUUID();
    const requests: [string, string, unknown?][] = [
      ['GET', '/alerts'],
      ['GET', '/alerts/dashboard'],
      ['GET', `/alerts/${cases.south.alertId}`],
      ['GET', `/alerts/${cases.south.alertId}/history`],
      ['GET', `/alerts/${cases.north.alertId}`],
      ['POST', `/alerts/${cases.south.alertId}/acknowledge`, { note: marker }],
      ['GET', `/obligations?caseId=${cases.south.caseId}`],
    ];
    const statuses = [];
    for (const [method, path, body] of requests) statuses.push((await call(method, path, zed, body)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 404, 200, 200]);
    // Directory administration is not case data and leaves no audit row.
    await call('GET', '/admin/teams', await administrator(stack));
    expect(await count()).toBe(before + requests.length);

    const rows = await stack.sql<{
      subject: string;
      action: string;
      resource_type: string;
      resource_id: string | null;
      status: number;
      council_id: string;
      roles: string[];
    }>(
      'alerting',
      'SELECT subject, action, resource_type, resource_id, status, council_id, roles FROM audit_log ORDER BY id DESC LIMIT $1',
      [requests.length],
    );
    expect(rows.reverse().map((r) => [r.action, r.resource_type, r.resource_id, r.status])).toEqual([
      ['consultation', 'alert', null, 200],
      ['consultation', 'alert', null, 200],
      ['consultation', 'alert', cases.south.alertId, 200],
      ['consultation', 'alert', cases.south.alertId, 200],
      ['consultation', 'alert', cases.north.alertId, 404],
      ['alteration', 'alert', cases.south.alertId, 200],
      ['consultation', 'case-obligations', null, 200],
    ]);
    expect(new Set(rows.map((r) => `${r.council_id}/${r.subject}/${r.roles.join()}`))).toEqual(
      new Set(['test-council/tm.zed/team-manager']),
    );
    const viaApi = await call<any[]>('GET', `/admin/audit?subject=tm.zed&resourceId=${cases.south.alertId}`, await administrator(stack));
    expect(viaApi.body.map((r) => r.action)).toEqual(['alteration', 'consultation', 'consultation']);
    await expect(stack.sql('alerting', 'DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  }, 30_000);

  it('does not reveal an unknown alert and names every bad field', async () => {
    const sam = await as(stack, 'tm.sam', ['team-manager'], ['north-1']);
    expect((await call('GET', `/alerts/${randomUUID()}`, sam)).status).toBe(404);
    const bad = await call('GET', '/alerts?severity=urgent&limit=0&nope=1', sam);
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['limit', 'nope', 'severity']);
  }, 30_000);
});
