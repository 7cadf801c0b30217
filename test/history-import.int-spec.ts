import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventEnvelope, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';

const FIXTURE = join(__dirname, 'fixtures', 'ssd');
const tables = () =>
  Object.fromEntries(readdirSync(FIXTURE).map((file) => [file.replace(/\.csv$/, ''), readFileSync(join(FIXTURE, file), 'utf8')]));

type Data = Record<string, any>;

/**
 * A council's history from a Standard Safeguarding Dataset extract, through the real cases and
 * alerting services and the broker: every row applied or reported with its field, only what is
 * still owed when the history ends reaches alerting live (and alerts if overdue), drift the history
 * settled is kept as history and delivered to nobody, and loading it again opens nothing twice.
 * The extract's year runs January to August 2026; the clocks stand at 1 December 2026.
 */
describe('history import: a council year without noise', () => {
  jest.setTimeout(90_000);
  const stack = new TestStack();
  let cases: ServiceProcess;
  let alerting: ServiceProcess;
  const council = `c${stack.id}`;
  const admin = { subject: 'admin.jo', councilId: council, roles: ['administrator' as const], teamIds: [] };
  const manager = (team: string) => ({ subject: `tm.${team}`, councilId: council, roles: ['team-manager' as const], teamIds: [team] });
  let report: Data;

  beforeAll(async () => {
    const env = { NODE_ENV: 'test', TEST_CLOCK_ENABLED: 'true' };
    [cases, alerting] = await Promise.all([stack.service('cases', env).start(), stack.service('alerting', env).start()]);
    for (const service of [cases, alerting]) {
      const set = await request('PUT', `${service.url}/test/clock`, { at: '2026-12-01T09:00:00.000Z' }, await stack.as(admin));
      expect(set.status).toBe(200);
    }
    const imported = await request(
      'POST',
      `${cases.url}/history-imports/ssd`,
      { tables: tables(), caseReferencePrefix: 'SSD-' },
      await stack.as(admin),
    );
    expect(imported.status).toBe(200);
    report = imported.body;
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const caseEvents = async () =>
    (await stack.readTopic(Topics.caseEvents, 1, 5_000)).map((m) => JSON.parse(m.value) as EventEnvelope<Data>);
  const caseOf = (family: string) => report.cases.find((c: Data) => c.familyId === family).caseId as string;

  it('opens one case per family and reports every row it did not apply, by table, line and field', () => {
    expect(report.families).toEqual({ read: 2, opened: 2, alreadyImported: 0, failed: 0 });
    expect(report.cases.map((c: Data) => c.caseReference).sort()).toEqual(['SSD-FAM-HOLT', 'SSD-FAM-STONE']);
    const problems = report.problems.map((p: Data) => [p.table, p.line, p.outcome, p.problems.map((q: Data) => q.field).join(',')]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['ssd_person', 5, 'rejected', 'pers_dob'],
        ['ssd_person', 6, 'rejected', 'pers_dob'],
        ['ssd_family', 5, 'rejected', 'fami_person_id'],
        ['ssd_legal_status', 4, 'rejected', 'lega_legal_status'],
        ['ssd_cin_visits', 4, 'rejected', 'cinv_cin_visit_seen'],
        ['ssd_cla_reviews', 3, 'skipped', 'clar_cla_review_cancelled'],
      ]),
    );
    // Nothing else: every other row, reviews held included, went through the services.
    expect(problems).toHaveLength(6);
    expect(report.rows.rejected + report.rows.skipped).toBe(report.problems.length);
    expect(report.rows.applied).toBeGreaterThan(15);
  });

  it('records the children with their statuses per child, siblings differing, and the allocation history', async () => {
    const holt = (await request('GET', `${cases.url}/cases/${caseOf('FAM-HOLT')}`, undefined, await stack.as(admin))).body;
    const byPerson = (id: string) => holt.children.find((c: Data) => c.identifiers.some((i: Data) => i.value === id));
    expect(byPerson('P001').statusHistory.map((s: Data) => [s.status, s.basis, s.startDate, s.endDate, s.source])).toEqual([
      ['looked-after', 'interim-care-order', '2026-01-05', '2026-08-14', 'import'],
      ['looked-after', 'care-order', '2026-08-14', null, 'import'],
    ]);
    expect(byPerson('P002').statuses.map((s: Data) => s.status)).toEqual(['child-in-need']);
    expect(holt.allocations.map((a: Data) => [a.teamId, a.workerId, a.startDate])).toEqual([
      ['north-team-1', 'sw.alex', '2026-01-05'],
      ['south-team-2', 'sw.sam', '2026-07-01'],
    ]);
  });

  it('tells the broker each obligation outcome once: what history settled is marked historical, what is still owed is live', async () => {
    const imported = new Set<string>(report.cases.map((c: Data) => c.caseId));
    const events = (await caseEvents()).filter((e) => imported.has(e.subject));
    const obligationEvents = events.filter((e) => e.type.startsWith('uk.gov.plo.obligations.'));
    const byObligation = new Map<string, EventEnvelope<Data>[]>();
    for (const e of obligationEvents) byObligation.set(e.data.obligationId, [...(byObligation.get(e.data.obligationId) ?? []), e]);
    // One scheduling per obligation: no obligation was moved step by step on the wire.
    for (const [, story] of byObligation) expect(story.filter((e) => e.type === EventTypes.obligationScheduled)).toHaveLength(1);
    const settled = [...byObligation.values()].filter((story) => story.some((e) => e.type !== EventTypes.obligationScheduled));
    const live = [...byObligation.values()].filter((story) => story.every((e) => e.type === EventTypes.obligationScheduled));
    expect(settled.length).toBeGreaterThan(3);
    for (const story of settled.filter((s) => s.some((e) => e.type === EventTypes.obligationSatisfied)))
      expect(story.every((e) => e.data.historical === true)).toBe(true);
    for (const story of live) expect(story[0].data.historical).toBeUndefined();
    // Each child with a status still held owes a visit now.
    expect(live.filter((s) => s[0].data.kind === 'visit').map((s) => s[0].data.childId).length).toBe(3);
  });

  it('raises alerts only for what is still overdue, and keeps the drift history settled as history, delivered to nobody', async () => {
    const imported: string[] = report.cases.map((c: Data) => c.caseId);
    const overdueNow = async () =>
      stack.sql<{ id: string }>(
        'alerting',
        `SELECT id FROM obligations WHERE case_id = ANY($1) AND status = 'open' AND NOT historical AND due_date < '2026-12-01'`,
        [imported],
      );
    // Wait until alerting holds every overdue obligation the cases service holds open: a snapshot taken
    // while the last of them is still on its way would miss the drift it is about to raise.
    const owedInCases = await stack.sql<{ id: string }>(
      'cases',
      `SELECT id FROM obligations WHERE case_id = ANY($1) AND status = 'open' AND due_date < '2026-12-01'`,
      [imported],
    );
    expect(owedInCases.length).toBeGreaterThanOrEqual(3);
    const owed = await eventually(overdueNow, (rows) => rows.length === owedInCases.length, 30_000, 'the imported obligations in alerting');
    expect(owed.map((o) => o.id).sort()).toEqual(owedInCases.map((o) => o.id).sort());
    const overdue = owed.map((o) => o.id).sort();
    const driftOf = () =>
      stack.sql<{ obligation_id: string }>(
        'alerting',
        `SELECT DISTINCT obligation_id FROM alerts WHERE case_id = ANY($1) AND level = 'drift' AND NOT historical AND state <> 'resolved'`,
        [imported],
      );
    const raised = await eventually(driftOf, (rows) => rows.length >= overdue.length, 60_000, 'drift alerts for what is still overdue');
    expect(raised.map((a) => a.obligation_id).sort()).toEqual(overdue);
    const alerts = await stack.sql<{ historical: boolean; state: string; level: string }>(
      'alerting',
      'SELECT historical, state, level FROM alerts WHERE case_id = ANY($1)',
      [imported],
    );
    // Nothing was raised and resolved on the way: every live alert is still open, and history's drift is recorded as history.
    expect(alerts.filter((a) => !a.historical && a.state === 'resolved')).toEqual([]);
    // The CIN visit due 15 March 2026 and made on 1 April: drift on record, as history.
    expect(alerts.filter((a) => a.historical).map((a) => [a.level, a.state])).toEqual([['drift', 'resolved']]);
    const published = (await stack.readTopic(Topics.alertEvents, 1, 5_000))
      .map((m) => JSON.parse(m.value) as EventEnvelope<Data>)
      .filter((e) => imported.includes(e.data.caseId));
    expect(published.filter((e) => e.type === EventTypes.alertResolved)).toEqual([]);
    expect(
      published
        .filter((e) => e.type === EventTypes.alertRaised)
        .map((e) => e.data.obligationId)
        .sort(),
    ).toEqual(expect.arrayContaining(overdue));
    // Each manager sees the drift of the team that holds the case now, not of the team that held it in history.
    const south = (await request('GET', `${alerting.url}/alerts?state=open`, undefined, await stack.as(manager('south-team-2')))).body;
    const north = (await request('GET', `${alerting.url}/alerts?state=open`, undefined, await stack.as(manager('north-team-1')))).body;
    const casesIn = (page: Data) => new Set((page.items as Data[]).map((a) => a.caseId));
    expect([...casesIn(south)]).toEqual([caseOf('FAM-HOLT')]);
    expect([...casesIn(north)]).toEqual([caseOf('FAM-STONE')]);
  });

  it('opens nothing twice when the same extract is loaded again', async () => {
    const outboxRows = async () => Number((await stack.sql<{ n: string }>('cases', 'SELECT count(*) AS n FROM outbox'))[0].n);
    const before = await outboxRows();
    const again = await request(
      'POST',
      `${cases.url}/history-imports/ssd`,
      { tables: tables(), caseReferencePrefix: 'SSD-' },
      await stack.as(admin),
    );
    expect(again.status).toBe(200);
    expect(again.body.families).toEqual({ read: 2, opened: 0, alreadyImported: 2, failed: 0 });
    expect(again.body.problems.filter((p: Data) => p.outcome === 'skipped').length).toBeGreaterThan(10);
    // Committed before the answer: an import that wrote nothing queued nothing for the broker.
    expect(await outboxRows()).toBe(before);
  });

  it("holds an imported ICPC's plan as the start of its review conferences, but starts no core groups the extract cannot show", async () => {
    const extract = {
      ssd_person: 'pers_legacy_id,pers_person_id,pers_forename,pers_surname,pers_sex,pers_dob\nL9,P900,Eve,Moss,F,2019-05-01\n',
      ssd_family: 'fami_table_id,fami_family_id,fami_person_id\n9,FAM-MOSS,P900\n',
      ssd_involvements:
        'invo_involvements_id,invo_professional_id,invo_professional_role_id,invo_professional_team,invo_person_id,invo_involvement_start_date\nI9,sw.kai,SW,North Team 1,P900,2026-03-02\n',
      ssd_cp_plans: 'cppl_cp_plan_id,cppl_icpc_id,cppl_person_id,cppl_cp_plan_start_date\nCP9,IC9,P900,2026-03-31\n',
      ssd_initial_cp_conference: 'icpc_icpc_id,icpc_person_id,icpc_icpc_date,icpc_icpc_outcome_cp_flag\nIC9,P900,2026-03-31,Y\n',
    };
    const imported = await request(
      'POST',
      `${cases.url}/history-imports/ssd`,
      { tables: extract, caseReferencePrefix: 'SSD-' },
      await stack.as(admin),
    );
    expect(imported.status).toBe(200);
    expect(imported.body.problems).toEqual([]);
    const caseId = imported.body.cases[0].caseId;
    const reviews = (await request('GET', `${cases.url}/cases/${caseId}/reviews`, undefined, await stack.as(admin))).body as Data[];
    expect(reviews.map((r) => [r.kind, r.status])).toEqual(
      expect.arrayContaining([
        ['icpc', 'held'],
        ['cp-review', 'scheduled'],
        ['core-group', 'cancelled'],
      ]),
    );
    const open = await stack.sql<{ kind: string }>('cases', `SELECT kind FROM obligations WHERE case_id = $1 AND status = 'open'`, [
      caseId,
    ]);
    expect(open.map((o) => o.kind)).not.toContain('core-group');
  });

  it('answers a malformed extract with 400 naming the table, and a social worker with 403', async () => {
    const noPeople = await request('POST', `${cases.url}/history-imports/ssd`, { tables: { ssd_cp_plans: 'x\n' } }, await stack.as(admin));
    expect(noPeople.status).toBe(200);
    expect(noPeople.body.tableProblems.map((p: Data) => p.table)).toEqual(['ssd_cp_plans', 'ssd_person']);
    const notTables = await request('POST', `${cases.url}/history-imports/ssd`, { tables: 'ssd_person' }, await stack.as(admin));
    expect(notTables.status).toBe(400);
    expect(JSON.stringify(notTables.body)).toContain('tables');
    const worker = { subject: 'sw.alex', councilId: council, roles: ['social-worker' as const], teamIds: ['north-team-1'] };
    expect((await request('POST', `${cases.url}/history-imports/ssd`, { tables: tables() }, await stack.as(worker))).status).toBe(403);
  });
});
