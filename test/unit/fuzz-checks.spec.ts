import fc from 'fast-check';
import { AccessLedger, answerProblems, differences, Snapshot } from '../fuzz/checks';
import { RawJson, toJson } from '../fuzz/hostile-values';
import { operationsOf } from '../fuzz/openapi';
import { encodeText, hostileRequest, validRequest } from '../fuzz/requests';
import { World } from '../fuzz/world';

describe("the fuzzer's checks", () => {
  const snapshot = (rows: number, digest: string): Snapshot => ({ 'cases.cases': { rows, digest }, 'cases.audit_log': { rows, digest } });

  it('sees an insert, a delete and an update, and ignores an exempt table', () => {
    expect(differences(snapshot(1, 'a'), snapshot(1, 'a'))).toEqual([]);
    expect(differences(snapshot(1, 'a'), snapshot(2, 'b'), (table) => table === 'audit_log')).toEqual(['cases.cases: 1 → 2 rows']);
    expect(differences(snapshot(2, 'a'), snapshot(1, 'b'), (table) => table === 'audit_log')).toEqual(['cases.cases: 2 → 1 rows']);
    expect(differences(snapshot(1, 'a'), snapshot(1, 'b'), (table) => table === 'audit_log')).toEqual([
      'cases.cases: contents changed (1 rows)',
    ]);
  });

  it('flags a 5xx and internals, but not our own SQL-ish value quoted back', () => {
    expect(answerProblems(500, '{}', [])).toEqual(['server error 500']);
    expect(answerProblems(400, 'Error: x\n    at Foo (/app/dist/apps/cases/src/main.js:12:3)', [])).toEqual([
      'stack trace in the answer',
      'module path in the answer',
    ]);
    expect(answerProblems(400, 'QueryFailedError: SELECT id FROM cases', [])).toEqual(['SQL in the answer', 'TypeORM error in the answer']);
    const sent = "x' UNION SELECT table_name FROM information_schema.tables --";
    expect(answerProblems(400, JSON.stringify({ message: `teamId ${sent} is unknown` }).replace(/\\'/g, "'"), [sent])).toEqual([]);
  });

  it('does not mistake a stored record echoing what a sender once sent for internals, quoted or double-quoted', () => {
    const sent = 'x"; DELETE FROM hearings WHERE "1"="1';
    const storedPayload = JSON.stringify({ caseRef: sent });
    const listed = JSON.stringify([{ id: 1, payload: storedPayload }]);
    expect(answerProblems(200, listed, [])).toEqual(['SQL in the answer']);
    expect(answerProblems(200, listed, [sent])).toEqual([]);
  });

  it('calls a 403 a leak only where the same persona and operation also succeeded for a record in the path', () => {
    const ledger = new AccessLedger();
    ledger.record('worker', 'cases GET /cases/{caseId}', 200, '/cases/1', 'valid');
    ledger.record('worker', 'cases GET /cases/{caseId}', 403, '/cases/2', 'valid');
    ledger.record('worker', 'cases PATCH /cases/{caseId}', 403, '/cases/1', 'valid');
    ledger.record('manager', 'cases GET /kpis', 200, '/kpis?teamId=north-1', 'valid');
    ledger.record('manager', 'cases GET /kpis', 403, '/kpis?teamId=east-3', 'valid');
    expect(ledger.leaks()).toEqual([
      { persona: 'worker', operation: 'cases GET /cases/{caseId}', examples: [{ url: '/cases/2', mutation: 'valid' }] },
    ]);
    expect(ledger.bodyScoped().map((leak) => leak.operation)).toEqual(['cases GET /kpis']);
  });
});

describe("the fuzzer's generator", () => {
  const document = {
    paths: {
      '/cases/{caseId}/visits': {
        post: {
          parameters: [{ name: 'caseId', in: 'path' as const, required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Visit' } } } },
        },
      },
    },
    components: {
      schemas: {
        Visit: { type: 'object', properties: { visitedOn: { type: 'string' }, childSeen: { type: 'boolean' } }, required: ['visitedOn'] },
      },
    },
  };
  const [operation] = operationsOf('cases', document);
  const world = new World({ cases: 'http://127.0.0.1:1', plo: 'http://127.0.0.1:2', alerting: 'http://127.0.0.1:3' }, 'c1', 'c2');
  world.add('caseId', '6f1c2b9e-3d4a-4b5c-8d6e-7f8091a2b3c4');

  it('builds valid-looking requests from the schema, with the real ids it knows', () => {
    for (const request of fc.sample(validRequest(world, operation, ['teamManager']), { seed: 1, numRuns: 30 })) {
      expect(request.url).toMatch(/^\/cases\/[0-9a-f-]{36}\/visits$/);
      expect(JSON.parse(request.body!)).toEqual(expect.objectContaining({ visitedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }));
    }
  });

  it('makes exactly one thing hostile per request, the same ones for the same seed', () => {
    const sample = () => fc.sample(hostileRequest(world, operation, ['teamManager']), { seed: 7, numRuns: 200 }).map((r) => r.mutation);
    const mutations = sample();
    expect(mutations).toEqual(sample());
    expect(mutations.every((m) => m !== 'valid')).toBe(true);
    for (const place of ['body.visitedOn', 'path.caseId', 'query.', 'body ←'])
      expect(mutations.some((m) => m.startsWith(place))).toBe(true);
  });

  it('sends what JSON.stringify cannot, and encodes lone surrogates instead of throwing', () => {
    expect(toJson({ a: new RawJson('1e400'), b: ['x'] })).toBe('{"a":1e400,"b":["x"]}');
    expect(encodeText('a\uD800b')).toBe('a%ED%A0%80b');
    expect(encodeText('\u{1F600}/')).toBe(encodeURIComponent('\u{1F600}/'));
  });
});
