import { randomUUID } from 'node:crypto';
import { createEnvelope, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { newCase, request } from './api';

/**
 * Children's data seen only by those who need it: who may read and change a case, what lists show,
 * what is refused, and that every access is audited in a table nobody can rewrite.
 */
describe('cases service: access control and audit', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  const council = `c${stack.id}`;
  const url = (path: string) => `${cases.url}${path}`;

  const personas = {
    allocatedWorker: { subject: 'sw.alex', councilId: council, roles: ['social-worker' as const], teamIds: ['south-2'] },
    teamWorker: { subject: 'sw.bea', councilId: council, roles: ['social-worker' as const], teamIds: ['north-1'] },
    otherTeamWorker: { subject: 'sw.cal', councilId: council, roles: ['social-worker' as const], teamIds: ['east-3'] },
    teamManager: { subject: 'tm.sam', councilId: council, roles: ['team-manager' as const], teamIds: ['north-1'] },
    otherTeamManager: { subject: 'tm.tia', councilId: council, roles: ['team-manager' as const], teamIds: ['east-3'] },
    legal: { subject: 'law.kim', councilId: council, roles: ['legal' as const], teamIds: [] },
    administrator: { subject: 'admin.ana', councilId: council, roles: ['administrator' as const], teamIds: [] },
    otherCouncilAdministrator: { subject: 'admin.ana', councilId: `other-${council}`, roles: ['administrator' as const], teamIds: [] },
    courtSystem: {
      subject: 'court-listing',
      councilId: council,
      roles: ['service' as const],
      teamIds: [],
      scopes: ['hearings:write', 'timetable:read'],
    },
  };
  type Persona = keyof typeof personas;
  const as = async (persona: Persona) => stack.as(personas[persona]);
  const call = async (persona: Persona, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    request(method, url(path), body, { ...(await as(persona)), ...headers });

  let ordinaryCase: { id: string };
  let ploCase: { id: string; children: { id: string }[] };

  beforeAll(async () => {
    cases = await stack.service('cases').start();
    const open = async (overrides: Record<string, unknown>) => {
      const opened = await call(
        'teamManager',
        'POST',
        '/cases',
        newCase({ councilId: council, teamId: 'north-1', allocatedWorkerId: 'sw.alex', ...overrides }),
      );
      expect(opened.status).toBe(201);
      return opened.body;
    };
    ordinaryCase = await open({});
    ploCase = await open({ legalStatus: 'child-protection-plan' });
    // Legal is involved once PLO says so: its legal-involvement-started, as the PLO service publishes it.
    expect((await call('legal', 'GET', `/cases/${ploCase.id}`)).status).toBe(404);
    const childId = ploCase.children[0].id;
    const involvement = createEnvelope(
      'urn:plo:proceedings',
      EventTypes.legalInvolvementStarted,
      ploCase.id,
      { caseId: ploCase.id, childId, involvement: 'pre-proceedings', involvementId: randomUUID(), startDate: '2026-11-02' },
      { correlationId: randomUUID(), actor: { kind: 'user', id: 'law.kim' } },
    );
    await stack.produce(Topics.proceedingsEvents, [{ key: ploCase.id, value: JSON.stringify(involvement) }]);
    await eventually(
      async () => (await call('legal', 'GET', `/cases/${ploCase.id}`)).status,
      (status) => status === 200,
      30_000,
      'cases to follow legal involvement',
    );
  }, 90_000);

  afterAll(() => stack.stop(), 60_000);

  it('refuses callers without a valid token: none, expired, another audience, a stranger’s key', async () => {
    const path = url(`/cases/${ordinaryCase.id}`);
    const none = await request('GET', path);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const expired = await stack.token(personas.teamManager, { issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresInSeconds: 3600 });
    expect((await request('GET', path, undefined, { authorization: `Bearer ${expired}` })).body.message).toBe('token has expired');
    const elsewhere = await stack.token(personas.teamManager, { audience: 'another-api' });
    expect((await request('GET', path, undefined, { authorization: `Bearer ${elsewhere}` })).status).toBe(401);
    expect((await request('GET', path, undefined, { authorization: 'Bearer not.a.token' })).status).toBe(401);
  }, 30_000);

  it.each<[Persona, number]>([
    ['allocatedWorker', 200],
    ['teamWorker', 200],
    ['teamManager', 200],
    ['administrator', 200],
    ['otherTeamWorker', 404],
    ['otherTeamManager', 404],
    ['legal', 404],
    ['otherCouncilAdministrator', 404],
    ['courtSystem', 403],
  ])('a case outside the PLO: %s → %i', async (persona, status) => {
    expect((await call(persona, 'GET', `/cases/${ordinaryCase.id}`)).status).toBe(status);
    expect((await call(persona, 'GET', `/cases/${ordinaryCase.id}/visits`)).status).toBe(status);
  });

  it('lets legal staff see a case once any child has had legal involvement (PLO said so), and shows since when', async () => {
    const seen = await call('legal', 'GET', `/cases/${ploCase.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.legalInvolvedSince).toBe('2026-11-02');
    expect(seen.body.children[0].statuses.map((s: { status: string; source: string }) => [s.status, s.source])).toEqual([
      ['child-protection-plan', 'recorded'],
      ['pre-proceedings', 'legal-involvement'],
    ]);
  });

  it('filters lists in the database: nobody sees what they could not open', async () => {
    const listed = async (persona: Persona) =>
      (await call(persona, 'GET', `/cases?councilId=${personas[persona].councilId}&state=all`)).body.items
        .map((item: { id: string }) => item.id)
        .sort();
    expect(await listed('teamManager')).toEqual([ordinaryCase.id, ploCase.id].sort());
    expect(await listed('allocatedWorker')).toEqual([ordinaryCase.id, ploCase.id].sort());
    expect(await listed('otherTeamManager')).toEqual([]);
    expect(await listed('legal')).toEqual([ploCase.id]);
    expect(await listed('otherCouncilAdministrator')).toEqual([]);
    const asking = await call('otherCouncilAdministrator', 'GET', `/cases?councilId=${council}`);
    expect(asking.body.items).toEqual([]);
  });

  it('refuses what a role may not do, and writes for another council or team', async () => {
    const read = await call('teamManager', 'GET', `/cases/${ordinaryCase.id}`);
    const allocation = { teamId: 'north-1', allocatedWorkerId: 'sw.bea', allocatedOn: '2026-11-20', reason: 'caseload' };
    expect(
      (
        await call('allocatedWorker', 'POST', `/cases/${ordinaryCase.id}/allocations`, allocation, {
          'if-match': read.headers.get('etag')!,
        })
      ).status,
    ).toBe(403);
    expect((await call('legal', 'POST', `/cases/${ploCase.id}/closure`, { closedOn: '2026-11-20', reason: 'x' })).status).toBe(403);
    expect((await call('teamWorker', 'POST', '/cases', newCase({ councilId: `other-${council}`, teamId: 'north-1' }))).status).toBe(403);
    expect((await call('teamWorker', 'POST', '/cases', newCase({ councilId: council, teamId: 'east-3' }))).status).toBe(403);
    expect((await call('teamManager', 'PUT', `/councils/${council}/rules/cp-visit`, { offset: 15 })).status).toBe(403);
    expect((await call('otherCouncilAdministrator', 'GET', `/councils/${council}/rules`)).status).toBe(404);
    expect((await call('teamManager', 'GET', `/kpis?councilId=${council}&from=2026-11-01&to=2026-11-26`)).status).toBe(403);
    expect((await call('teamManager', 'GET', `/kpis?councilId=${council}&teamId=north-1&from=2026-11-01&to=2026-11-26`)).status).toBe(200);
    expect((await call('courtSystem', 'GET', `/cases?councilId=${council}`)).status).toBe(403);
  });

  it('writes one audit row per access to case data, with who, what and the correlation id', async () => {
    const count = async () => (await stack.sql<{ n: number }>('cases', 'SELECT count(*)::int AS n FROM audit_log'))[0].n;
    const before = await count();
    const correlationId = '5a0b6f2e-7d4c-4c1a-9b1e-2f3a4b5c6d7e';
    for (let i = 0; i < 5; i += 1)
      await call('teamWorker', 'GET', `/cases/${ordinaryCase.id}`, undefined, { 'x-correlation-id': correlationId });
    await call('otherTeamManager', 'GET', `/cases/${ordinaryCase.id}`);
    expect(await count()).toBe(before + 6);
    const rows = await stack.sql<Record<string, unknown>>('cases', 'SELECT * FROM audit_log ORDER BY id DESC LIMIT 6');
    expect(rows[0]).toMatchObject({
      subject: 'tm.tia',
      action: 'consultation',
      resource_type: 'case',
      resource_id: ordinaryCase.id,
      status: 404,
    });
    expect(rows[1]).toMatchObject({
      subject: 'sw.bea',
      council_id: council,
      roles: ['social-worker'],
      status: 200,
      correlation_id: correlationId,
    });

    const audit = await call(
      'administrator',
      'GET',
      `/admin/audit?subject=sw.bea&resourceId=${ordinaryCase.id}&correlationId=${correlationId}`,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.length).toBe(5);
    expect((await call('otherCouncilAdministrator', 'GET', `/admin/audit?subject=sw.bea`)).body).toEqual([]);
    expect((await call('teamManager', 'GET', '/admin/audit')).status).toBe(403);
  });

  it('keeps the audit trail append-only, even for the service’s own database role', async () => {
    await expect(stack.sql('cases', `UPDATE audit_log SET subject = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(stack.sql('cases', 'DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(stack.sql('cases', 'TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });

  it('hardens the HTTP surface: security headers, no CORS, size limit, no stack traces', async () => {
    const response = await call('teamManager', 'GET', `/cases/${ordinaryCase.id}`, undefined, { origin: 'https://evil.example' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const huge = await call('teamManager', 'POST', '/cases', { ...newCase({ councilId: council }), padding: 'x'.repeat(300_000) });
    expect(huge.status).toBe(413);
    const broken = await call('teamManager', 'POST', '/cases', '{"councilId": ');
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.body)).not.toMatch(/at .*\.js|SELECT|INSERT/);
  });

  it('answers malformed input on every route with a 4xx, never a 5xx', async () => {
    const document = (await request('GET', url('/docs/openapi.json'))).body as { paths: Record<string, Record<string, unknown>> };
    const garbage = [undefined, {}, { councilId: 12, children: 'many', openedOn: '31/12/2026' }, '[]', 'null'];
    let requests = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        for (const body of garbage) {
          const concrete = path
            .replace('{caseId}', ordinaryCase.id)
            .replace('{councilId}', council)
            .replace(/\{[^}]+\}/g, 'not-an-id');
          const verb = method.toUpperCase();
          const response = await call(
            'administrator',
            verb,
            `${concrete}?page=-1&pageSize=1e9&from=yesterday`,
            verb === 'GET' || verb === 'DELETE' ? undefined : body,
          );
          requests += 1;
          expect([path, method, response.status]).toEqual([path, method, expect.any(Number)]);
          expect(response.status).toBeLessThan(500);
        }
      }
    }
    expect(requests).toBeGreaterThan(100);
  }, 120_000);

  it('limits each caller’s request rate (429 with Retry-After)', async () => {
    const limited = await stack.service('cases', { RATE_LIMIT_PER_MINUTE: '5' }).start();
    const headers = await as('teamManager');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1)
      statuses.push((await request('GET', `${limited.url}/cases/${ordinaryCase.id}`, undefined, headers)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await request('GET', `${limited.url}/cases/${ordinaryCase.id}`, undefined, headers);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await request('GET', `${limited.url}/cases/${ordinaryCase.id}`, undefined, await as('teamWorker'))).status).toBe(200);
  }, 60_000);
});
