// The baseline of bench/api.bench.ts: a bare Fastify server answering the two reads with the same
// SQL the services run for them, against the same databases, with a connection pool of the
// services' size and the same audit row — but no Nest, no signature check (it reads the token's
// claims unverified), no validation, no rate limiting, no security headers. The services run on
// Fastify under Nest, so the ratio of the service to this is what Nest, sign-in and the rest of the
// service's own request pipeline cost, not the HTTP server underneath.
//
// Started by the benchmark as its own process (so it gets its own share of the cores, as the service
// does): CASES_DATABASE_URL, ALERTING_DATABASE_URL, HTTP_PORT.
import fastify from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { AuditTrail, canSeeCase, Principal } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { CASE_RECORD_SQL } from '../apps/cases/src/case-record/case-record.store';
import { caseRecordView } from '../apps/cases/src/case-record/case-record.view';
import { alertColumns, alertView } from '../apps/alerting/src/alerts/alert-row';
import { ALERTS_WITH_CASES, alertVisibilitySql } from '../apps/alerting/src/alerts/alert-access';

const POOL_SIZE = 10; // libs/platform/src/database.ts
const casesDb = new Pool({ connectionString: process.env.CASES_DATABASE_URL, max: POOL_SIZE });
const alertingDb = new Pool({ connectionString: process.env.ALERTING_DATABASE_URL, max: POOL_SIZE });

/** The services' own audit writer, so the audit row is written by the same statement. */
function auditTrail(pool: Pool): AuditTrail {
  return new AuditTrail({
    query: (sql: string, parameters: unknown[]) => pool.query(sql, parameters).then((result) => result.rows),
  } as unknown as DataSource);
}
const casesAudit = auditTrail(casesDb);
const alertingAudit = auditTrail(alertingDb);

function principalOf(headers: IncomingHttpHeaders): Principal {
  const token = (headers.authorization ?? '').replace(/^Bearer /, '');
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}');
  return {
    subject: claims.sub,
    kind: 'user',
    councilId: claims.council,
    teamIds: claims.teams ?? [],
    roles: claims.roles ?? [],
    scopes: [],
  };
}

/** GET /alerts?teamId=&state=open: AlertsService.list for one team and one state, first page. */
async function openAlerts(principal: Principal, query: { teamId?: string; state?: string }) {
  const values: unknown[] = [];
  const conditions = [alertVisibilitySql(principal, values)];
  values.push(query.state);
  conditions.push(`a.state = $${values.length}`);
  values.push(query.teamId);
  conditions.push(`a.team_id = $${values.length}`);
  values.push(51);
  const { rows } = await alertingDb.query(
    `SELECT ${alertColumns('a')} FROM ${ALERTS_WITH_CASES} WHERE ${conditions.join(' AND ')} ORDER BY a.raised_at DESC, a.id DESC LIMIT $${values.length}`,
    values,
  );
  await alertingAudit.record({ principal, action: 'consultation', resourceType: 'alert', route: 'GET /alerts', status: 200 });
  return { teams: [query.teamId], items: rows.slice(0, 50).map(alertView) };
}

/** GET /cases/:id: CaseAccessGuard's lookup, the case's view, then the audit row. */
async function caseRecord(principal: Principal, caseId: string) {
  const { rows: facts } = await casesDb.query(
    'SELECT council_id AS "councilId", team_id AS "teamId", allocated_worker_id AS "allocatedWorkerId", legal_status AS "legalStatus" FROM cases WHERE id = $1',
    [caseId],
  );
  if (!facts[0] || !canSeeCase(principal, { ...facts[0], inPlo: facts[0].legalStatus === 'plo' })) return undefined;
  const record = await caseView(caseId);
  await casesAudit.record({
    principal,
    action: 'consultation',
    resourceType: 'case',
    resourceId: caseId,
    route: 'GET /cases/:caseId',
    status: 200,
  });
  return record;
}

/** CasesService.get: the case record's one statement, outside a transaction as the service runs it. */
async function caseView(caseId: string) {
  const { rows } = await casesDb.query(CASE_RECORD_SQL, [caseId]);
  return caseRecordView(rows[0], caseId, londonDateOf(new Date()));
}

const server = fastify();
server.get<{ Querystring: { teamId?: string; state?: string } }>('/alerts', (request) =>
  openAlerts(principalOf(request.headers), request.query),
);
server.get<{ Params: { caseId: string } }>('/cases/:caseId', async (request, reply) => {
  const record = await caseRecord(principalOf(request.headers), request.params.caseId);
  return record ?? reply.code(404).send({ statusCode: 404 });
});
server.listen({ port: Number(process.env.HTTP_PORT), host: '127.0.0.1' }).then(() => console.log('listening'));
