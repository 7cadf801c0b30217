import { ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';
import { announceCase, issueProceedings, PersonaName, setClock, signIn } from './plo-support';

/**
 * Legal staff's list: every open set of proceedings the caller may see, the most urgent child's
 * first, each with its directions named and timed as their rules set them (the bundle by 16:00).
 */
describe('PLO open proceedings', () => {
  const stack = new TestStack();
  let plo: ServiceProcess;
  let as: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    plo = stack.service('plo', { TEST_CLOCK_ENABLED: 'true' });
    [as] = await Promise.all([signIn(stack), plo.start()]);
    await setClock(stack, plo, '2025-03-10T09:00:00Z');
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const api = (method: string, path: string, body?: unknown, who: PersonaName = 'legal') =>
    request(method, `${plo.url}${path}`, body, as[who]);
  const openFor = async (who: PersonaName) => {
    const response = await api('GET', '/proceedings/open', undefined, who);
    expect(response.status).toBe(200);
    return response.body.map((p: { id: string }) => p.id);
  };

  it("lists the open proceedings each caller may see, nearest limit first, with each direction's name and time of day", async () => {
    const north = await announceCase(stack, plo);
    const south = await announceCase(stack, plo, { teamId: 'south-2', allocatedWorkerId: 'sw.robin' });
    const ended = await announceCase(stack, plo);
    const elsewhere = await announceCase(stack, plo, { councilId: 'other-council' });

    const northId = (await issueProceedings(plo, as.legal, north.caseId, north.childIds)).body.proceedingsId;
    // Issued five weeks earlier: its child's 26 weeks end first (Sun 1 Jun 2025, against Sun 6 Jul).
    const southId = (
      await issueProceedings(plo, as.legal, south.caseId, south.childIds, { issuedOn: '2024-12-02', submittedOn: '2024-12-02' })
    ).body.proceedingsId;
    const endedId = (await issueProceedings(plo, as.legal, ended.caseId, ended.childIds)).body.proceedingsId;
    expect((await api('POST', `/proceedings/${endedId}/stage`, { stage: 'withdrawn', enteredOn: '2025-03-07' })).status).toBe(200);
    const elsewhereId = (await issueProceedings(plo, as.otherCouncilLegal, elsewhere.caseId, elsewhere.childIds)).body.proceedingsId;

    expect(await openFor('legal')).toEqual([southId, northId]);
    expect(await openFor('worker')).toEqual([northId]);
    expect(await openFor('otherTeamManager')).toEqual([southId]);
    expect(await openFor('otherCouncilLegal')).toEqual([elsewhereId]);
    expect((await api('GET', '/proceedings/open', undefined, 'courtFeed')).status).toBe(403);
    expect((await request('GET', `${plo.url}/proceedings/open`)).status).toBe(401);

    // A CMH on Thu 20 Mar 2025: the bundle by 16:00 on Tue 18 Mar, the case summary by 12:00 on Wed 19 Mar (GMT).
    const hearing = await api('POST', `/proceedings/${northId}/hearings`, {
      hearingType: 'case-management',
      startsAt: '2025-03-20T10:00:00Z',
      listingStatus: 'fixed',
    });
    expect(hearing.status).toBe(201);
    const [listed] = (await api('GET', '/proceedings/open', undefined, 'worker')).body;
    expect(
      listed.obligations
        .filter((o: { hearingId: string | null }) => o.hearingId === hearing.body.id)
        .map((o: { kind: string; title: string; dueDate: string; dueAt: string | null }) => [o.kind, o.title, o.dueDate, o.dueAt]),
    ).toEqual([
      ['cmh-advocates-meeting', "Advocates' meeting before the CMH", '2025-03-18', null],
      ['hearing-bundle', 'Court bundle before a hearing', '2025-03-18', '2025-03-18T16:00:00+00:00'],
      ['hearing-case-summary', 'Case summary before a hearing', '2025-03-19', '2025-03-19T12:00:00+00:00'],
    ]);
    // The list and the single record are one view.
    expect((await api('GET', `/proceedings/${northId}`)).body).toEqual(listed);
    expect(JSON.stringify((await api('GET', '/proceedings/open', undefined, 'otherCouncilLegal')).body)).not.toContain(north.caseId);
  }, 90_000);
});
