// The baseline of bench/api.bench.ts: a bare node:http server answering the two reads with the
// same SQL the services run for them, against the same databases, with a connection pool of the
// services' size — but no framework, no signature check (it reads the token's claims unverified),
// no validation, no rate limiting. The ratio of the service to this is what NestJS, sign-in and the
// rest of the service's request pipeline cost.
//
// Started by the benchmark as its own process (so it gets its own share of the cores, as the service
// does): CASES_DATABASE_URL, ALERTING_DATABASE_URL, HTTP_PORT.
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { AuditTrail, canSeeCase, Principal } from '@plo/platform';
import { alertColumns, alertView } from '../apps/alerting/src/alerts/alert-row';
import { ALERTS_WITH_CASES, alertVisibilitySql } from '../apps/alerting/src/api/alert-access';

const POOL_SIZE = 10; // libs/platform/src/database.ts
const casesDb = new Pool({ connectionString: process.env.CASES_DATABASE_URL, max: POOL_SIZE });
const alertingDb = new Pool({ connectionString: process.env.ALERTING_DATABASE_URL, max: POOL_SIZE });

/** The services' own audit writer, so the audit row is written by the same statement. */
function auditTrail(pool: Pool): AuditTrail {
  return new AuditTrail({ query: (sql: string, parameters: unknown[]) => pool.query(sql, parameters).then((result) => result.rows) } as unknown as DataSource);
}
const casesAudit = auditTrail(casesDb);
const alertingAudit = auditTrail(alertingDb);

function principalOf(request: IncomingMessage): Principal {
  const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}');
  return { subject: claims.sub, kind: 'user', councilId: claims.council, teamIds: claims.teams ?? [], roles: claims.roles ?? [], scopes: [] };
}

/** GET /alerts?teamId=&state=open: AlertsService.list for one team and one state, first page. */
async function openAlerts(principal: Principal, url: URL) {
  const values: unknown[] = [];
  const conditions = [alertVisibilitySql(principal, values)];
  values.push(url.searchParams.get('state'));
  conditions.push(`a.state = $${values.length}`);
  values.push(url.searchParams.get('teamId'));
  conditions.push(`a.team_id = $${values.length}`);
  values.push(51);
  const { rows } = await alertingDb.query(
    `SELECT ${alertColumns('a')} FROM ${ALERTS_WITH_CASES} WHERE ${conditions.join(' AND ')} ORDER BY a.raised_at DESC, a.id DESC LIMIT $${values.length}`,
    values,
  );
  await alertingAudit.record({ principal, action: 'consultation', resourceType: 'alert', route: 'GET /alerts', status: 200 });
  return { teams: [url.searchParams.get('teamId')], items: rows.slice(0, 50).map(alertView) };
}

/** GET /cases/:id: CaseAccessGuard's lookup, the case's view, then the audit row. */
async function caseRecord(principal: Principal, caseId: string) {
  const { rows: facts } = await casesDb.query(
    'SELECT council_id AS "councilId", team_id AS "teamId", allocated_worker_id AS "allocatedWorkerId", legal_status AS "legalStatus" FROM cases WHERE id = $1',
    [caseId],
  );
  if (!facts[0] || !canSeeCase(principal, { ...facts[0], inPlo: facts[0].legalStatus === 'plo' })) return undefined;
  const record = await caseView(caseId);
  await casesAudit.record({ principal, action: 'consultation', resourceType: 'case', resourceId: caseId, route: 'GET /cases/:caseId', status: 200 });
  return record;
}

/** CasesService.view, in a transaction as UnitOfWork runs it; the connection goes back before the audit row is written. */
async function caseView(caseId: string) {
  const client = await casesDb.connect();
  try {
    await client.query('START TRANSACTION');
    const query = async (sql: string) => (await client.query(sql, [caseId])).rows;
    const [row] = await query(
      `SELECT id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_lead_id, legal_status,
              to_char(opened_on, 'YYYY-MM-DD') AS opened_on, to_char(closed_on, 'YYYY-MM-DD') AS closed_on, closure_reason, version
         FROM cases WHERE id = $1`,
    );
    const children = await query(
      `SELECT id, first_name AS "firstName", last_name AS "lastName", to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
              to_char(expected_date_of_birth, 'YYYY-MM-DD') AS "expectedDateOfBirth", sex, identifiers
         FROM children WHERE case_id = $1 ORDER BY last_name, first_name`,
    );
    const legalStatuses = await query(
      `SELECT legal_status AS "legalStatus", to_char(start_date, 'YYYY-MM-DD') AS "startDate", to_char(end_date, 'YYYY-MM-DD') AS "endDate"
         FROM legal_statuses WHERE case_id = $1 ORDER BY start_date, recorded_at`,
    );
    const allocations = await query(
      `SELECT team_id AS "teamId", worker_id AS "workerId", team_manager_id AS "teamManagerId", to_char(start_date, 'YYYY-MM-DD') AS "startDate",
              to_char(end_date, 'YYYY-MM-DD') AS "endDate", reason FROM allocations WHERE case_id = $1 ORDER BY start_date, recorded_at`,
    );
    const placements = await query(
      `SELECT id, child_id AS "childId", to_char(started_on, 'YYYY-MM-DD') AS "startedOn", intended_until_18 AS "intendedToLastUntil18"
         FROM placements WHERE case_id = $1 ORDER BY started_on, recorded_at`,
    );
    const obligations = await query(
      `SELECT id, kind, rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation, status,
              to_char(satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn", ended_reason AS "endedReason", child_id AS "childId", subject_id AS "subjectId"
         FROM obligations WHERE case_id = $1 ORDER BY due_date, created_at`,
    );
    await client.query('COMMIT');
    return { ...row, children, legalStatuses, allocations, placements, obligations };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function handle(request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://baseline');
  const principal = principalOf(request);
  const caseId = /^\/cases\/([0-9a-f-]{36})$/.exec(url.pathname)?.[1];
  const body = url.pathname === '/alerts' ? await openAlerts(principal, url) : caseId ? await caseRecord(principal, caseId) : undefined;
  response.writeHead(body ? 200 : 404, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body ?? { statusCode: 404 }));
}

createServer((request, response) => {
  handle(request, response).catch((error) => {
    response.writeHead(500).end(String(error));
  });
}).listen(Number(process.env.HTTP_PORT), '127.0.0.1', () => console.log('listening'));
