import { ServiceProcess, TestStack } from '@plo/testing';
import { connect } from 'node:net';
import { newCase, request } from './api';

/** Sends bytes no HTTP client library would, and answers what came back. */
function rawRequest(baseUrl: string, text: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(text, 'latin1')));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/**
 * What no request may carry, sent to the real services: each answers 400 naming the field, writes
 * nothing but the audit row, and the audit row stores the offending value made safe.
 */
describe('hostile input is refused with a 400 naming the field, in every service', () => {
  const stack = new TestStack();
  let cases: ServiceProcess;
  let plo: ServiceProcess;
  let alerting: ServiceProcess;
  const council = `c${stack.id}`;
  const administrator = { subject: 'admin.ana', councilId: council, roles: ['administrator' as const], teamIds: ['north-1'] };
  const teamManager = { subject: 'tm.sam', councilId: council, roles: ['team-manager' as const], teamIds: ['north-1'] };
  const courtFeed = { subject: 'court-listing', councilId: council, roles: ['service' as const], teamIds: [], scopes: ['hearings:write'] };
  const fields = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field);
  const count = async (owner: string, table: string) =>
    Number((await stack.sql<{ n: string }>(owner, `SELECT count(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    [cases, plo, alerting] = await Promise.all([
      stack.service('cases').start(),
      stack.service('plo').start(),
      stack.service('alerting').start(),
    ]);
  }, 120_000);
  afterAll(() => stack.stop(), 60_000);

  it('a NUL in a path parameter: 400 naming it, and the refusal audited with the value made safe', async () => {
    const headers = await stack.as(administrator);
    const refused = await request('GET', `${cases.url}/cases/abc%00def`, undefined, headers);
    expect(refused.status).toBe(400);
    expect(fields(refused.body)).toEqual(['path.caseId']);
    const [audit] = await stack.sql<{ resource_id: string; status: number }>(
      'cases',
      `SELECT resource_id, status FROM audit_log WHERE route LIKE 'GET %' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toEqual({ resource_id: 'abc\uFFFDdef', status: 400 });
    for (const [service, path, persona] of [
      [plo, '/proceedings/%00', administrator],
      [alerting, '/alerts/%00/history', teamManager],
    ] as const) {
      const answer = await request('GET', `${service.url}${path}`, undefined, await stack.as(persona));
      expect({ path, status: answer.status, fields: fields(answer.body) }).toEqual({
        path,
        status: 400,
        fields: [expect.stringMatching(/^path\./)],
      });
    }
  }, 30_000);

  it('a NUL in a JSON string, a query value or a header: 400 naming each, and nothing written', async () => {
    const headers = await stack.as(administrator);
    const before = await count('cases', 'cases');
    const body = newCase({
      councilId: council,
      caseReference: 'NUL\u0000REF',
      children: [{ firstName: 'A\u0000', lastName: 'B', dateOfBirth: '2019-04-01', sex: 'female' }],
    });
    const opened = await request('POST', `${cases.url}/cases`, body, headers);
    expect(opened.status).toBe(400);
    expect(fields(opened.body)).toEqual(['caseReference', 'children.0.firstName']);
    expect(await count('cases', 'cases')).toBe(before);

    const query = await request('GET', `${alerting.url}/alerts?teamId=north%001`, undefined, await stack.as(teamManager));
    expect(query.status).toBe(400);
    expect(fields(query.body)).toEqual(['query.teamId']);

    // Node's HTTP parser refuses a NUL in a header before the service sees it; the service stays up.
    const raw = await rawRequest(cases.url, `GET /health HTTP/1.1\r\nHost: x\r\nX-Note: a\u0000b\r\nConnection: close\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect((await request('GET', `${cases.url}/health`)).status).toBe(200);
  }, 30_000);

  it('prototype keys never reach class-transformer: the court feed answers 400, not 500', async () => {
    const answer = await request(
      'POST',
      `${plo.url}/court/hearing-updates`,
      '{"x":{"constructor":{"prototype":{}}}}',
      await stack.as(courtFeed),
    );
    expect(answer.status).toBe(400);
    expect(fields(answer.body)).toEqual(['x.constructor']);
    const proto = await request('POST', `${cases.url}/cases`, '{"__proto__":{"isAdmin":true}}', await stack.as(administrator));
    expect(proto.status).toBe(400);
    expect(fields(proto.body)).toEqual(['__proto__']);
  }, 30_000);

  it('a body in a media type the route does not read: 415, never a route that sees no body', async () => {
    const feed = await stack.as(courtFeed);
    for (const [type, body] of [
      ['text/plain', '{"a":1}'],
      ['text/csv', 'a,b\n1,2'],
      ['application/x-www-form-urlencoded', 'a=1&__proto__[x]=1'],
    ]) {
      const answer = await request('POST', `${plo.url}/court/hearing-updates`, body, { ...feed, 'content-type': type });
      expect({ type, status: answer.status, message: answer.body.message }).toEqual({
        type,
        status: 415,
        message: `send the body as application/json, not ${type}`,
      });
    }
    const empty = await request('POST', `${plo.url}/court/hearing-updates`, undefined, feed);
    expect(empty.status).toBe(400);
    expect(
      (await request('POST', `${cases.url}/cases`, 'caseReference=x', { ...(await stack.as(administrator)), 'content-type': 'text/plain' }))
        .status,
    ).toBe(415);
  }, 30_000);

  it('deep nesting and numbers beyond exact integers: 400, never a stack overflow or an Infinity stored', async () => {
    const headers = await stack.as(administrator);
    const deep = await request('POST', `${cases.url}/cases`, `{"children":${'['.repeat(2000)}${']'.repeat(2000)}}`, headers);
    expect(deep.status).toBe(400);
    expect(deep.body.fields[0].messages[0]).toMatch(/nested deeper than 32 levels/);
    const huge = await request(
      'POST',
      `${alerting.url}/webhook-subscriptions`,
      '{"url":"https://example.org/hook","secret":"0123456789abcdef","maxAttempts":1e400}',
      headers,
    );
    expect(huge.status).toBe(400);
    expect(fields(huge.body)).toEqual(['maxAttempts']);
    expect(JSON.stringify([deep.body, huge.body])).not.toMatch(/at .*\.js:\d+|SELECT|INSERT/);
  }, 30_000);
});
