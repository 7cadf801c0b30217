import Ajv from 'ajv';
import { randomUUID } from 'node:crypto';
import { ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, announceChild, COUNCIL, issueProceedings, PersonaName, setClock, signIn } from './plo-support';

/**
 * Clients are generated from the PLO service's OpenAPI document, so what a route answers must be what
 * the document says: every field it declares (with its type, format and nullability), and no other.
 * Each route is called for real and its body checked against the schema of the status it answered.
 */
describe('PLO answers what its OpenAPI document says', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;
  let as: Awaited<ReturnType<typeof signIn>>;
  let document: any;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true', PLO_COURT_FEED_COUNCIL_ID: COUNCIL });
    // Minting first creates the development key file, before the service reads it.
    as = await signIn(stack);
    await plo.start();
    document = await (await fetch(`${plo.url}/docs/openapi.json`)).json();
    ajv.addSchema({ components: { schemas: closed(document.components.schemas) } }, 'plo');
    await setClock(stack, plo, '2025-01-20T09:00:00Z');
  }, 120_000);
  afterAll(() => stack.stop(), 60_000);

  const checked = new Set<string>();
  /** Calls the route and fails unless the document declares the status answered and the body fits its schema. */
  async function call(
    method: string,
    template: string,
    params: Record<string, string | number>,
    body?: unknown,
    who: PersonaName = 'legal',
  ) {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
    const response = await request(method, `${plo.url}${path}${params.query ?? ''}`, body, as[who]);
    const declared = document.paths[template]?.[method.toLowerCase()]?.responses?.[String(response.status)];
    expect({ route: `${method} ${template}`, status: response.status, declared: Boolean(declared) }).toMatchObject({ declared: true });
    expectFits(method, template, response.status, response.body);
    return response;
  }

  function expectFits(method: string, template: string, status: number, body: unknown) {
    const schema = document.paths[template][method.toLowerCase()].responses[String(status)].content?.['application/json']?.schema;
    if (schema) {
      const validate = ajv.compile(rebased(schema));
      const route = `${method} ${template} ${status}`;
      expect({ route, errors: validate(body) ? [] : validate.errors }).toEqual({ route, errors: [] });
    }
    checked.add(`${method} ${template}`);
  }

  it('pre-proceedings, from the gateway decision to a step down', async () => {
    const { caseId } = await announceCase(stack, plo);
    const started = await call('POST', '/pre-proceedings', {}, { caseId, decidedOn: '2025-01-02', decision: 'pre-proceedings' });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect((await call('POST', '/pre-proceedings/{id}/letter', { id }, { sentOn: '2025-01-03' })).status).toBe(200);
    expect((await call('POST', '/pre-proceedings/{id}/meetings', { id }, { heldOn: '2025-01-10' })).status).toBe(200);
    expect((await call('GET', '/pre-proceedings/{id}', { id })).body.obligations.length).toBeGreaterThan(0);
    const outcome = await call(
      'POST',
      '/pre-proceedings/{id}/outcome',
      { id },
      { outcome: 'step-down', decidedOn: '2025-01-17', reason: 'safe' },
    );
    expect(outcome.body).toMatchObject({ status: 'stepped-down', outcome: 'step-down' });
    expect((await call('POST', '/pre-proceedings/{id}/letter', { id }, { sentOn: '2025-01-18' })).status).toBe(409);
  }, 60_000);

  it('proceedings: issue, stages, hearings, tasks, extensions, drift and the timetable', async () => {
    const { caseId } = await announceCase(stack, plo);
    const childId = randomUUID();
    const issued = await issueProceedings(plo, as.legal, caseId, [childId]);
    expect(issued.status).toBe(201);
    const id = issued.body.proceedingsId;
    expectFits('POST', '/proceedings', issued.status, issued.body);

    expect((await call('POST', '/proceedings/{id}/stage', { id }, { stage: 'gatekeeping', enteredOn: '2025-01-07' })).status).toBe(200);
    expect((await call('POST', '/proceedings/{id}/stage', { id }, { stage: 'gatekeeping', enteredOn: '2025-01-08' })).status).toBe(409);

    const hearing = (body: Record<string, unknown>) => call('POST', '/proceedings/{id}/hearings', { id }, body);
    const cmh = await hearing({
      hearingType: 'case-management',
      startsAt: '2025-01-22T10:00:00Z',
      listingStatus: 'fixed',
      courtHearingId: 'H-1',
    });
    expect(cmh.status).toBe(201);
    const other = await hearing({
      hearingType: 'other',
      startsAt: '2025-02-10T10:00:00Z',
      endsAt: '2025-02-10T12:00:00Z',
      venue: 'Court 2',
      listingStatus: 'provisional',
    });
    const third = await hearing({ hearingType: 'further-case-management', startsAt: '2025-02-20T10:00:00Z', listingStatus: 'fixed' });
    // A final hearing after the completion date, even as extended below, projects drift.
    await hearing({ hearingType: 'final', startsAt: '2025-09-15T09:00:00Z', listingStatus: 'fixed' });

    expect(
      (await call('PATCH', '/proceedings/{id}/hearings/{hearingId}', { id, hearingId: other.body.id }, { hearingType: 'issue-resolution' }))
        .body,
    ).toMatchObject({ hearingType: 'issue-resolution' });
    expect(
      (
        await call(
          'POST',
          '/proceedings/{id}/hearings/{hearingId}/move',
          { id, hearingId: other.body.id },
          { startsAt: '2025-02-11T10:00:00Z' },
        )
      ).status,
    ).toBe(200);
    expect((await call('POST', '/proceedings/{id}/hearings/{hearingId}/vacate', { id, hearingId: other.body.id })).status).toBe(200);
    expect(
      (await call('POST', '/proceedings/{id}/hearings/{hearingId}/adjourn', { id, hearingId: third.body.id }, { outcome: 'no judge' }))
        .status,
    ).toBe(200);

    const before = await call('GET', '/proceedings/{id}', { id });
    const task = before.body.obligations.find((o: any) => o.hearingId === cmh.body.id && o.kind === 'hearing-bundle');
    const done = await call('POST', '/proceedings/{id}/tasks/{obligationId}/done', { id, obligationId: task.id }, { doneOn: '2025-01-20' });
    expect(done.body).toMatchObject({ status: 'satisfied', satisfiedOn: '2025-01-20' });

    await setClock(stack, plo, '2025-01-23T09:00:00Z');
    expect(
      (await call('POST', '/proceedings/{id}/hearings/{hearingId}/held', { id, hearingId: cmh.body.id }, { outcome: 'Directions given' }))
        .status,
    ).toBe(200);
    const uploaded = await call(
      'POST',
      '/proceedings/{id}/hearings/{hearingId}/draft-order',
      { id, hearingId: cmh.body.id },
      { uploadedOn: '2025-01-23' },
    );
    expect(uploaded.body).toMatchObject({ status: 'held', draftOrderUploadedOn: '2025-01-23' });

    const extension = { grantedOn: '2025-01-23', hearingId: cmh.body.id, extendBy: '8 weeks', reason: 'timetable-for-child' };
    expect((await call('POST', '/proceedings/{id}/children/{childId}/extensions', { id, childId }, extension)).status).toBe(201);
    const late = { grantedOn: '2025-01-23', newEndDate: '2026-01-01', reason: 'timetable-for-child' };
    expect((await call('POST', '/proceedings/{id}/children/{childId}/extensions', { id, childId }, late)).status).toBe(422);

    const after = await call('GET', '/proceedings/{id}', { id });
    expect(after.body.children[0].extensions).toHaveLength(1);
    expect(after.body.projectedDrift.length).toBeGreaterThan(0);
    expect((await call('GET', '/proceedings', { query: `?caseId=${caseId}` })).body).toHaveLength(1);
    expect((await call('GET', '/proceedings/open', {})).body.map((p: { id: string }) => p.id)).toContain(id);
    const chronology = (await call('GET', '/chronology', { query: `?caseId=${caseId}` })).body;
    expect(chronology.map((entry: any) => entry.event)).toContain('hearing-moved');
    expect((await call('GET', '/chronology', { query: '?caseId=nope' })).status).toBe(400);
    expect((await call('GET', '/proceedings/{id}/timetable', { id }, undefined, 'courtTimetable')).body.milestones.length).toBeGreaterThan(
      0,
    );
  }, 90_000);

  it('the court feed: updates, the CSV import and the exceptions list', async () => {
    const { caseId } = await announceCase(stack, plo);
    const issued = await issueProceedings(plo, as.legal, caseId, [randomUUID()]);
    const caseRef = issued.body.courtCaseNumber;
    const update = (ref: string, broadcast: string) => ({
      hmctsServiceCode: 'ABA3',
      caseRef: ref,
      hearingID: 'HMC-1',
      hearingUpdate: {
        hearingEventBroadcastDateTime: broadcast,
        HMCStatus: 'LISTED',
        hearingListingStatus: 'FIXED',
        nextHearingDate: '2025-02-03T10:00:00',
      },
    });
    const applied = await call('POST', '/court/hearing-updates', {}, update(caseRef, '2025-01-20T08:00:00Z'), 'courtFeed');
    expect(applied.body).toMatchObject({ outcome: 'applied', hearing: { courtHearingId: 'HMC-1' } });
    const again = await call('POST', '/court/hearing-updates', {}, update(caseRef, '2025-01-20T08:00:00Z'), 'courtFeed');
    expect(again.body.outcome).toBe('duplicate');
    expect((await call('POST', '/court/hearing-updates', {}, update('NOSUCHCASE', '2025-01-20T08:00:00Z'), 'courtFeed')).status).toBe(422);

    const csv = [
      'hmctsServiceCode,caseRef,hearingID,hearingEventBroadcastDateTime,HMCStatus',
      `ABA3,${caseRef},HMC-1,2025-01-20T09:00:00Z,CANCELLED`,
      'ABA3,UNKNOWN9,HMC-2,2025-01-20T09:00:00Z,COMPLETED',
    ];
    const imported = await fetch(`${plo.url}/court/hearing-updates/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...as.courtFeed },
      body: csv.join('\n'),
    });
    const report = (await imported.json()) as { counts: Record<string, number> };
    expect(imported.status).toBe(200);
    expectFits('POST', '/court/hearing-updates/import', imported.status, report);
    expect(report.counts).toMatchObject({ applied: 1, rejected: 1 });

    const open = (await call('GET', '/court/exceptions', {})).body as any[];
    const [first, second] = open.filter((e) => ['NOSUCHCASE', 'UNKNOWN9'].includes(e.courtCaseNumber));
    const retried = await call('POST', '/court/exceptions/{id}/retry', { id: first.id });
    expect(retried.body).toMatchObject({ result: { outcome: 'rejected' }, exception: { status: 'open' } });
    const dismissed = await call('POST', '/court/exceptions/{id}/dismiss', { id: second.id }, { note: 'not ours' });
    expect(dismissed.body).toMatchObject({ status: 'resolved', resolution: 'dismissed: not ours' });
    expect((await call('GET', '/court/exceptions', { query: '?status=all' })).status).toBe(200);
  }, 60_000);

  it('per child: a child joining, orders, one child concluding, and the pre-proceedings period extended', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const { caseId } = await announceCase(stack, plo, { childIds: [first, second] });
    const pre = (await call('POST', '/pre-proceedings', {}, { caseId, decidedOn: '2025-01-02', decision: 'pre-proceedings' })).body.id;
    await call('POST', '/pre-proceedings/{id}/letter', { id: pre }, { sentOn: '2025-01-03' });
    const extension = { newEndDate: '2025-06-30', reason: 'The baby is due in May', decidedOn: '2025-01-20' };
    expect((await call('POST', '/pre-proceedings/{id}/extension', { id: pre }, extension)).body.extensions).toHaveLength(1);
    expect((await call('POST', '/pre-proceedings/{id}/extension', { id: pre }, extension)).status).toBe(400);

    const issued = await issueProceedings(plo, as.legal, caseId, [first]);
    const id = issued.body.proceedingsId;
    expect((await call('POST', '/proceedings/{id}/children', { id }, { childId: second, issuedOn: '2025-01-13' })).status).toBe(201);
    expect((await call('POST', '/proceedings/{id}/children', { id }, { childId: second, issuedOn: '2025-01-13' })).status).toBe(409);
    const stranger = { childId: randomUUID(), issuedOn: '2025-01-13' };
    expect((await call('POST', '/proceedings/{id}/children', { id }, stranger)).status).toBe(422);
    const baby = await announceChild(stack, caseId);
    expect((await call('POST', '/proceedings/{id}/children', { id }, { childId: baby, issuedOn: '2025-01-20' })).status).toBe(201);

    const ico = { childId: first, order: 'interim-care-order', madeOn: '2025-01-07', endsOn: '2025-02-04' };
    expect((await call('POST', '/proceedings/{id}/orders', { id }, ico)).status).toBe(201);
    const nobody = { childId: randomUUID(), order: 'interim-care-order', madeOn: '2025-01-07' };
    expect((await call('POST', '/proceedings/{id}/orders', { id }, nobody)).status).toBe(422);
    const conclusion = { outcome: 'final-order', concludedOn: '2025-01-22', finalOrder: 'care-order' };
    const concluded = await call('POST', '/proceedings/{id}/children/{childId}/conclusion', { id, childId: first }, conclusion);
    expect(concluded.body).toMatchObject({ stage: 'issued', finalOrder: { order: 'care-order' } });
    expect((await call('POST', '/proceedings/{id}/children/{childId}/conclusion', { id, childId: first }, conclusion)).status).toBe(409);
    expect((await call('POST', '/proceedings/{id}/orders', { id }, { ...ico, madeOn: '2025-01-23', endsOn: undefined })).status).toBe(409);
    const withdrawn = { outcome: 'withdrawn', concludedOn: '2025-01-23' };
    expect((await call('POST', '/proceedings/{id}/children/{childId}/conclusion', { id, childId: randomUUID() }, withdrawn)).status).toBe(
      404,
    );
    await call('POST', '/proceedings/{id}/children/{childId}/conclusion', { id, childId: second }, withdrawn);
    await call('POST', '/proceedings/{id}/children/{childId}/conclusion', { id, childId: baby }, withdrawn);

    const record = await call('GET', '/proceedings/{id}', { id });
    expect(record.body).toMatchObject({ stage: 'final-order', concludedOn: '2025-01-23' });
    expect(record.body.children.find((c: any) => c.childId === first).orders).toHaveLength(2);
  }, 60_000);

  it('the KPI figures, and a bad period', async () => {
    const query = '?from=2025-01-01&to=2025-01-20&teamId=north-1';
    const report = await call('GET', '/kpis', { query }, undefined, 'manager');
    expect(report.body.openProceedings.children).toBeGreaterThan(0);
    expect((await call('GET', '/kpis', { query: '?from=2025-01-21&to=2025-01-20&teamId=north-1' }, undefined, 'manager')).status).toBe(400);
  });

  it('covered every operation of the PLO features', () => {
    const ours = Object.entries<any>(document.paths)
      .filter(([path]) => /^\/(pre-proceedings|proceedings|court|kpis|chronology)\b/.test(path))
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(ours.filter((operation) => !checked.has(operation))).toEqual([]);
  });
});

/** The document's schemas with no field beyond those declared (the shared Problem aside: errors may carry extra detail). */
function closed(schemas: Record<string, any>): Record<string, any> {
  const close = (schema: any): any => {
    if (Array.isArray(schema)) return schema.map(close);
    if (typeof schema !== 'object' || schema === null) return schema;
    const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, close(value)]));
    return copy.properties && copy.additionalProperties === undefined ? { ...copy, additionalProperties: false } : copy;
  };
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, name === 'Problem' ? schema : close(schema)]));
}

/** A schema of the document, its references pointing into the schemas registered as `plo`. */
function rebased(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"plo#/components/schemas/'));
}
