import { randomUUID } from 'node:crypto';
import { ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, issueProceedings, PersonaName, setClock, signIn } from './plo-support';

/**
 * A case's PLO chronology (GET /chronology?caseId=): every dated fact of its pre-proceedings and
 * proceedings, oldest first, a moved hearing with the date it moved from, for whoever may see the
 * case's proceedings and nobody else.
 */
describe('PLO chronology of a case', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;
  let as: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true' });
    [as] = await Promise.all([signIn(stack), plo.start()]);
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const api = async (method: string, path: string, body?: unknown, who: PersonaName = 'legal') => {
    const response = await request(method, `${plo.url}${path}`, body, as[who]);
    if (method !== 'GET' && response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  };

  it('tells what happened, oldest first: pre-proceedings, issue, stages, hearings listed, moved, vacated and held, extensions, orders and conclusions', async () => {
    await setClock(stack, plo, '2025-01-20T10:00:00Z');
    const [ana, ben] = [randomUUID(), randomUUID()];
    const { caseId } = await announceCase(stack, plo, { childIds: [ana, ben] });
    const pre = (await api('POST', '/pre-proceedings', { caseId, decidedOn: '2024-11-04', decision: 'pre-proceedings' })).body.id;
    await api('POST', `/pre-proceedings/${pre}/letter`, { sentOn: '2024-11-06' });
    await api('POST', `/pre-proceedings/${pre}/meetings`, { heldOn: '2024-11-20' });
    await api('POST', `/pre-proceedings/${pre}/extension`, {
      newEndDate: '2025-03-31',
      reason: 'Assessment of the father',
      decidedOn: '2024-12-02',
    });
    await api('POST', `/pre-proceedings/${pre}/outcome`, { outcome: 'issue', decidedOn: '2025-01-03' });

    const id = (await issueProceedings(plo, as.legal, caseId, [ana])).body.proceedingsId;
    await api('POST', `/proceedings/${id}/stage`, { stage: 'gatekeeping', enteredOn: '2025-01-07' });
    await api('POST', `/proceedings/${id}/orders`, { childId: ana, order: 'interim-care-order', madeOn: '2025-01-07' });
    await api('POST', `/proceedings/${id}/children`, { childId: ben, issuedOn: '2025-01-13' });
    const cmh = (
      await api('POST', `/proceedings/${id}/hearings`, {
        hearingType: 'case-management',
        startsAt: '2025-01-22T10:00:00Z',
        listingStatus: 'fixed',
      })
    ).body.id;
    await api('POST', `/proceedings/${id}/hearings/${cmh}/move`, { startsAt: '2025-01-24T10:00:00Z' });
    const irh = (
      await api('POST', `/proceedings/${id}/hearings`, {
        hearingType: 'issue-resolution',
        startsAt: '2025-03-10T10:00:00Z',
        listingStatus: 'provisional',
      })
    ).body.id;
    await api('POST', `/proceedings/${id}/hearings/${irh}/vacate`);
    await api('POST', `/proceedings/${id}/children/${ana}/extensions`, {
      grantedOn: '2025-01-20',
      extendBy: '8 weeks',
      reason: 'timetable-for-child',
    });
    await setClock(stack, plo, '2025-01-24T15:00:00Z');
    await api('POST', `/proceedings/${id}/hearings/${cmh}/held`, { outcome: 'Directions given' });
    await api('POST', `/proceedings/${id}/hearings/${cmh}/draft-order`, { uploadedOn: '2025-01-24' });
    await api('POST', `/proceedings/${id}/children/${ben}/conclusion`, { outcome: 'withdrawn', concludedOn: '2025-01-24' });

    const chronology = await api('GET', `/chronology?caseId=${caseId}`, undefined, 'manager');
    expect(chronology.status).toBe(200);
    const who = (childId: string | null) => (childId === ana ? 'Ana' : childId === ben ? 'Ben' : null);
    expect(
      chronology.body.map((e: any) => [e.date, e.event, e.detail ?? e.reason, who(e.childId), e.hearingType, e.fromDate, e.toDate]),
    ).toEqual([
      ['2024-11-04', 'gateway-decision', 'pre-proceedings', null, null, null, null],
      ['2024-11-06', 'letter-before-proceedings', null, null, null, null, null],
      ['2024-11-20', 'pre-proceedings-meeting', '1', null, null, null, null],
      ['2024-12-02', 'pre-proceedings-extended', 'Assessment of the father', null, null, '2025-02-26', '2025-03-31'],
      ['2025-01-03', 'pre-proceedings-ended', 'issue', null, null, null, null],
      ['2025-01-06', 'proceedings-issued', `TC${caseId.slice(0, 8).toUpperCase()}`, null, null, null, null],
      ['2025-01-07', 'stage-entered', 'gatekeeping', null, null, null, null],
      ['2025-01-07', 'order-made', 'interim-care-order', 'Ana', null, null, null],
      ['2025-01-13', 'child-joined-proceedings', null, 'Ben', null, null, null],
      ['2025-01-20', 'hearing-listed', null, null, 'case-management', null, '2025-01-22'],
      ['2025-01-20', 'hearing-listed', null, null, 'issue-resolution', null, '2025-03-10'],
      ['2025-01-20', 'hearing-moved', null, null, 'case-management', '2025-01-22', '2025-01-24'],
      ['2025-01-20', 'hearing-vacated', null, null, 'issue-resolution', null, '2025-03-10'],
      ['2025-01-20', 'extension-granted', 'timetable-for-child', 'Ana', null, '2025-07-06', '2025-08-31'],
      ['2025-01-24', 'hearing-held', null, null, 'case-management', null, '2025-01-24'],
      ['2025-01-24', 'draft-order-uploaded', null, null, 'case-management', null, '2025-01-24'],
      ['2025-01-24', 'child-proceedings-concluded', 'withdrawn', 'Ben', null, null, null],
    ]);
    const moved = chronology.body.find((e: any) => e.event === 'hearing-moved');
    expect(moved).toMatchObject({ proceedingsId: id, hearingId: cmh, recordedAt: expect.stringMatching(/^2025-01-20T10:/) });

    // Those who may see the case's proceedings see its chronology; others get none, as from its proceedings list.
    expect((await api('GET', `/chronology?caseId=${caseId}`, undefined, 'worker')).body).toHaveLength(chronology.body.length);
    for (const who of ['otherTeamWorker', 'otherTeamManager', 'otherCouncilLegal'] as const) {
      expect([who, (await api('GET', `/chronology?caseId=${caseId}`, undefined, who)).body]).toEqual([who, []]);
      expect([who, (await api('GET', `/proceedings?caseId=${caseId}`, undefined, who)).body]).toEqual([who, []]);
    }
    expect((await api('GET', `/chronology?caseId=${randomUUID()}`)).body).toEqual([]);
    const malformed = await api('GET', '/chronology?caseId=not-a-case');
    expect([malformed.status, malformed.body.fields.map((f: any) => f.field)]).toEqual([400, ['caseId']]);
    expect((await api('GET', `/chronology?caseId=${caseId}`, undefined, 'courtFeed')).status).toBe(403);
  }, 90_000);
});
