import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { newCase, request, SIBLINGS } from './api';

type Decision = 'pre-proceedings' | 'issue-now' | 'continue-plan';

/**
 * "Legal may see this case" is one rule in cases, PLO and alerting (docs/per-child.md): a child of the
 * case has had legal involvement, which PLO announces. Whatever legal decide at the gateway, the same
 * lawyer gets the same answer from all three real services, and a case legal never touched stays
 * hidden in all three.
 */
describe('legal see a case in every service, or in none, whatever the gateway decided', () => {
  const stack = new TestStack();
  const council = `c${stack.id}`;
  let cases: ServiceProcess;
  let plo: ServiceProcess;
  let alerting: ServiceProcess;
  let legal: Record<string, string>;
  let manager: Record<string, string>;

  beforeAll(async () => {
    [cases, plo, alerting] = await Promise.all([
      stack.service('cases').start(),
      stack.service('plo').start(),
      stack.service('alerting').start(),
    ]);
    legal = await stack.as({ subject: 'law.kim', councilId: council, roles: ['legal'], teamIds: ['legal-1'] });
    manager = await stack.as({ subject: 'tm.sam', councilId: council, roles: ['team-manager'], teamIds: ['north-1'] });
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  /** What the lawyer is answered by each service about the case (and its gateway decision, in PLO). */
  const answers = async (caseId: string, preProceedingsId: string | undefined) => ({
    cases: (await request('GET', `${cases.url}/cases/${caseId}`, undefined, legal)).status,
    plo: preProceedingsId ? (await request('GET', `${plo.url}/pre-proceedings/${preProceedingsId}`, undefined, legal)).status : 404,
    alerting: (await request('GET', `${alerting.url}/obligations?caseId=${caseId}`, undefined, legal)).status,
  });
  const hidden = { cases: 404, plo: 404, alerting: 404 };
  const seen = { cases: 200, plo: 200, alerting: 200 };

  /** A case of two children, opened in cases and known to PLO and alerting. */
  const openCase = async () => {
    const opened = await request(
      'POST',
      `${cases.url}/cases`,
      newCase({
        councilId: council,
        children: SIBLINGS,
      }),
      manager,
    );
    expect(opened.status).toBe(201);
    const caseId: string = opened.body.id;
    await eventually(
      async () => [
        await stack.sql('plo', 'SELECT 1 FROM known_case_children WHERE case_id = $1', [caseId]),
        await stack.sql('alerting', 'SELECT 1 FROM case_directory WHERE case_id = $1', [caseId]),
      ],
      ([children, known]) => children.length === 2 && known.length === 1,
      30_000,
      'PLO and alerting to know the case and its children',
    );
    return { caseId, childIds: (opened.body.children as { id: string }[]).map((c) => c.id) };
  };

  const decide = async (caseId: string, decision: Decision) => {
    const decided = await request(
      'POST',
      `${plo.url}/pre-proceedings`,
      {
        caseId,
        decidedOn: '2026-11-16',
        decision,
        ...(decision === 'issue-now' ? { shortNoticeReason: 'the children are at immediate risk' } : {}),
      },
      legal,
    );
    expect(decided.status).toBe(201);
    return decided.body.id as string;
  };

  /** The children's pre-proceedings statuses in cases, as [start, end] per child. */
  const preProceedingsIn = async (caseId: string) => {
    const record = await request<any>('GET', `${cases.url}/cases/${caseId}`, undefined, manager);
    return (record.body.children as any[]).map((child) =>
      (child.statusHistory as any[]).filter((s) => s.status === 'pre-proceedings').map((s) => [s.startDate, s.endDate]),
    );
  };

  it.each<Decision>(['pre-proceedings', 'issue-now', 'continue-plan'])(
    'a gateway decision to %s shows the case to legal in cases, PLO and alerting alike',
    async (decision) => {
      const { caseId } = await openCase();
      expect(await answers(caseId, undefined)).toEqual(hidden);
      const preProceedingsId = await decide(caseId, decision);
      // PLO answers at once; cases and alerting once they have followed PLO's events.
      const after = await eventually(
        () => answers(caseId, preProceedingsId),
        (a) => a.cases === 200 && a.alerting === 200,
        30_000,
        `legal to see the case after ${decision}`,
      );
      expect(after).toEqual(seen);
      const expected = decision === 'continue-plan' ? ['2026-11-16', '2026-11-16'] : ['2026-11-16', null];
      const statuses = await eventually(
        () => preProceedingsIn(caseId),
        (s) => s.every((child) => child.length === 1 && child[0][1] === expected[1]),
        30_000,
        `each child's pre-proceedings status after ${decision}`,
      );
      expect(statuses).toEqual([[expected], [expected]]);
      // However the involvement stands, the case stays visible to legal in all three ("has had").
      expect(await answers(caseId, preProceedingsId)).toEqual(seen);
    },
    90_000,
  );

  it('a decision to issue now involves legal until the proceedings are issued, then care proceedings do', async () => {
    const { caseId, childIds } = await openCase();
    const preProceedingsId = await decide(caseId, 'issue-now');
    const issued = await request(
      'POST',
      `${plo.url}/proceedings`,
      {
        caseId,
        court: 'Test Family Court',
        courtCaseNumber: `IN${caseId.slice(0, 8).toUpperCase()}`,
        issuedOn: '2026-11-18',
        submittedOn: '2026-11-18',
        childIds,
      },
      legal,
    );
    expect(issued.status).toBe(201);
    const statuses = await eventually(
      () => preProceedingsIn(caseId),
      (s) => s.every((child) => child.length === 1 && child[0][1] !== null),
      30_000,
      'the pre-proceedings involvement ended by the issue',
    );
    expect(statuses).toEqual([[['2026-11-16', '2026-11-18']], [['2026-11-16', '2026-11-18']]]);
    expect(await answers(caseId, preProceedingsId)).toEqual(seen);
  }, 90_000);

  it('a case legal were never involved in stays hidden from legal in all three services', async () => {
    const { caseId } = await openCase();
    // A decision on another case, so the events have flowed past this one.
    const other = await openCase();
    await decide(other.caseId, 'continue-plan');
    await eventually(
      () => answers(other.caseId, undefined),
      (a) => a.cases === 200 && a.alerting === 200,
      30_000,
      'legal to see the other case',
    );
    expect(await answers(caseId, undefined)).toEqual(hidden);
    const [{ n }] = await stack.sql<{ n: number }>('plo', 'SELECT count(*)::int AS n FROM legal_involvements WHERE case_id = $1', [caseId]);
    expect(n).toBe(0);
  }, 90_000);
});
