import { randomUUID } from 'node:crypto';
import type { Role, TokenClaims } from '@plo/platform';
import { eventually, ServiceName, ServiceProcess, TestStack } from '@plo/testing';
import { newCase, request } from './api';

/**
 * Every route of every service, against every kind of caller. The policy below is the reviewed
 * statement of who may call what; the test fails when a service has a route the policy does not
 * list (or the policy lists a route that no longer exists), so no route can appear unreviewed.
 *
 * Expected statuses:
 * - no token, an expired token, a token for another audience → 401 on every route that is not public;
 * - a caller whose role (or, for systems, scope) is not allowed → 403;
 * - an allowed caller from another team or council → 404 on routes about one case or council record
 *   (its existence is not revealed); an allowed caller of the right team → neither 401, 403 nor 404
 *   for the case itself (a missing sub-record or a bad body may still answer 404 or 400).
 */
/** What a route is about: one case (by `{caseId}`), one set of proceedings (`{id}`), a council, or nothing one team owns. */
type About = 'case' | 'proceedings' | 'council' | 'none';
interface Policy {
  roles: Role[];
  scopes?: string[];
  about: About;
  /** Needs no token: its own secret (a calendar feed's token) is the credential. */
  public?: true;
}

const PEOPLE: Role[] = ['social-worker', 'team-manager', 'service-manager', 'legal', 'administrator'];
const WORKERS: Role[] = ['social-worker', 'team-manager', 'service-manager', 'administrator'];
const MANAGERS: Role[] = ['team-manager', 'service-manager', 'administrator'];
const ADMIN: Role[] = ['administrator'];
// Platform operators run the services for every council: their dead letters, and nothing else.
const DEAD_LETTER_READERS: Role[] = ['administrator', 'platform-operator'];
/** Every kind of person a token can name. */
const PERSONAS: Role[] = [...PEOPLE, 'platform-operator'];
const PLO_WRITERS: Role[] = ['legal', 'team-manager', 'service-manager'];
// Administrators run the directory and deliveries but do not read alerts (least privilege).
const ALERT_READERS: Role[] = ['social-worker', 'team-manager', 'service-manager', 'legal'];

const POLICY: Partial<Record<ServiceName, Record<string, Policy>>> = {
  cases: {
    'POST /cases': { roles: WORKERS, about: 'none' },
    'GET /cases': { roles: PEOPLE, about: 'none' },
    'GET /cases/{caseId}': { roles: PEOPLE, about: 'case' },
    'PATCH /cases/{caseId}': { roles: MANAGERS, about: 'case' },
    'POST /cases/{caseId}/allocations': { roles: MANAGERS, about: 'case' },
    'POST /cases/{caseId}/legal-status': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/children': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/children': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/children/{childId}/statuses': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/children/{childId}/statuses/{statusId}/end': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/placements': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/visits': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/visits': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/closure': { roles: MANAGERS, about: 'case' },
    'GET /cases/{caseId}/reviews': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/reviews': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/reviews/{reviewId}': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/reviews/{reviewId}/held': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/reviews/{reviewId}/reschedule': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/reviews/{reviewId}/cancellation': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/plans': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/plans': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/plans/{planId}': { roles: PEOPLE, about: 'case' },
    'PUT /cases/{caseId}/plans/{planId}': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/plans/{planId}/sign-offs': { roles: MANAGERS, about: 'case' },
    'POST /cases/{caseId}/reviews/{reviewId}/sign-offs': { roles: MANAGERS, about: 'case' },
    'GET /cases/{caseId}/sign-offs': { roles: PEOPLE, about: 'case' },
    'GET /cases/{caseId}/referrals': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/referrals': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/referrals/{referralId}/decision': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/assessments': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/assessments': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/assessments/{assessmentId}': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/assessments/{assessmentId}/completion': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/assessments/{assessmentId}/cancellation': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/notes': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/notes': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/notes/{noteId}/amendments': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/children/{childId}/chronology': { roles: PEOPLE, about: 'case' },
    'GET /cases/{caseId}/children/{childId}/chronology.csv': { roles: PEOPLE, about: 'case' },
    'GET /cases/{caseId}/children/{childId}/chronology.pdf': { roles: PEOPLE, about: 'case' },
    'GET /cases/{caseId}/strategy-discussions': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/strategy-discussions': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/section-47-enquiries': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/section-47-enquiries': { roles: WORKERS, about: 'case' },
    'POST /cases/{caseId}/section-47-enquiries/{enquiryId}/conclusion': { roles: WORKERS, about: 'case' },
    'GET /cases/{caseId}/supervisions': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/supervisions': { roles: MANAGERS, about: 'case' },
    'GET /cases/{caseId}/supervisions/{supervisionId}': { roles: PEOPLE, about: 'case' },
    'POST /cases/{caseId}/supervisions/{supervisionId}/actions/{actionId}/done': { roles: WORKERS, about: 'case' },
    'GET /kpis': { roles: MANAGERS, about: 'none' },
    'POST /history-imports/ssd': { roles: ADMIN, about: 'none' },
    'GET /councils/{councilId}/rules': { roles: PEOPLE, about: 'council' },
    'GET /councils/{councilId}/rules/history': { roles: PEOPLE, about: 'council' },
    'PUT /councils/{councilId}/rules/{ruleId}': { roles: ADMIN, about: 'council' },
    'DELETE /councils/{councilId}/rules/{ruleId}': { roles: ADMIN, about: 'council' },
    'POST /councils/{councilId}/rules/{ruleId}/preview': { roles: ADMIN, about: 'council' },
    'GET /admin/audit': { roles: ADMIN, about: 'none' },
    'GET /admin/dead-letters': { roles: DEAD_LETTER_READERS, about: 'none' },
    'POST /admin/dead-letters/{id}/replay': { roles: DEAD_LETTER_READERS, about: 'none' },
  },
  plo: {
    'POST /proceedings': { roles: PLO_WRITERS, about: 'none' },
    'GET /proceedings': { roles: PEOPLE, about: 'none' },
    'GET /proceedings/open': { roles: PEOPLE, about: 'none' },
    'GET /chronology': { roles: PEOPLE, about: 'none' },
    'GET /proceedings/{id}': { roles: PEOPLE, about: 'proceedings' },
    'GET /proceedings/{id}/timetable': { roles: PEOPLE, scopes: ['timetable:read'], about: 'proceedings' },
    'POST /proceedings/{id}/stage': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/children/{childId}/extensions': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/children': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/children/{childId}/conclusion': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/orders': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/tasks/{obligationId}/done': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/hearings': { roles: PLO_WRITERS, about: 'proceedings' },
    'PATCH /proceedings/{id}/hearings/{hearingId}': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/hearings/{hearingId}/move': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/hearings/{hearingId}/vacate': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/hearings/{hearingId}/adjourn': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/hearings/{hearingId}/held': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /proceedings/{id}/hearings/{hearingId}/draft-order': { roles: PLO_WRITERS, about: 'proceedings' },
    'POST /pre-proceedings': { roles: PLO_WRITERS, about: 'none' },
    'GET /pre-proceedings/{id}': { roles: PEOPLE, about: 'none' },
    'POST /pre-proceedings/{id}/letter': { roles: PLO_WRITERS, about: 'none' },
    'POST /pre-proceedings/{id}/meetings': { roles: PLO_WRITERS, about: 'none' },
    'POST /pre-proceedings/{id}/outcome': { roles: PLO_WRITERS, about: 'none' },
    'POST /pre-proceedings/{id}/extension': { roles: PLO_WRITERS, about: 'none' },
    'POST /court/hearing-updates': { roles: ['legal'], scopes: ['hearings:write'], about: 'none' },
    'POST /court/hearing-updates/import': { roles: ['legal'], scopes: ['hearings:write'], about: 'none' },
    'GET /court/exceptions': { roles: ['legal', 'administrator'], about: 'none' },
    'POST /court/exceptions/{id}/retry': { roles: ['legal'], about: 'none' },
    'POST /court/exceptions/{id}/dismiss': { roles: ['legal'], about: 'none' },
    'POST /calendar-feeds': { roles: PEOPLE, about: 'none' },
    'GET /calendar-feeds': { roles: PEOPLE, about: 'none' },
    'DELETE /calendar-feeds/{id}': { roles: PEOPLE, about: 'none' },
    'GET /calendar/{file}': { roles: [], about: 'none', public: true },
    'GET /kpis': { roles: MANAGERS, about: 'none' },
    'GET /admin/audit': { roles: ADMIN, about: 'none' },
    'GET /admin/dead-letters': { roles: DEAD_LETTER_READERS, about: 'none' },
    'POST /admin/dead-letters/{id}/replay': { roles: DEAD_LETTER_READERS, about: 'none' },
  },
  alerting: {
    'GET /obligations': { roles: ALERT_READERS, about: 'none' },
    'GET /obligations/due': { roles: ALERT_READERS, about: 'none' },
    'GET /alerts': { roles: ALERT_READERS, about: 'none' },
    'GET /alerts/dashboard': { roles: ALERT_READERS, about: 'none' },
    'GET /alerts/teams': { roles: ALERT_READERS, about: 'none' },
    'GET /alerts/{id}': { roles: ALERT_READERS, about: 'none' },
    'GET /alerts/{id}/history': { roles: ALERT_READERS, about: 'none' },
    'POST /alerts/{id}/acknowledge': { roles: ['social-worker', 'team-manager', 'service-manager'], about: 'none' },
    'POST /alerts/{id}/resolve': { roles: ['team-manager', 'service-manager'], about: 'none' },
    'PUT /admin/teams/{teamId}': { roles: ADMIN, about: 'none' },
    'GET /admin/teams': { roles: ADMIN, about: 'none' },
    'PUT /admin/people/{personId}': { roles: ADMIN, about: 'none' },
    'POST /webhook-subscriptions': { roles: ADMIN, about: 'none' },
    'GET /webhook-subscriptions': { roles: ADMIN, about: 'none' },
    'DELETE /webhook-subscriptions/{id}': { roles: ADMIN, about: 'none' },
    'GET /deliveries': { roles: ADMIN, about: 'none' },
    'GET /deliveries/{id}/attempts': { roles: ADMIN, about: 'none' },
    'GET /admin/audit': { roles: ADMIN, about: 'none' },
    'GET /admin/dead-letters': { roles: DEAD_LETTER_READERS, about: 'none' },
    'POST /admin/dead-letters/{id}/replay': { roles: DEAD_LETTER_READERS, about: 'none' },
  },
};

describe('access matrix: every route × every kind of caller', () => {
  const stack = new TestStack();
  const council = `c${stack.id}`;
  const services = new Map<ServiceName, ServiceProcess>();
  let caseId: string;
  let proceedingsId: string;

  const person = (role: Role, councilId = council, teamIds = ['north-1']): TokenClaims => ({
    subject: `${role}.person`,
    councilId,
    roles: [role],
    teamIds,
  });

  beforeAll(async () => {
    for (const name of Object.keys(POLICY) as ServiceName[]) services.set(name, await stack.service(name).start());
    const opened = await request(
      'POST',
      `${services.get('cases')!.url}/cases`,
      newCase({ councilId: council, teamId: 'north-1', legalStatus: 'child-protection-plan' }),
      await stack.as(person('team-manager')),
    );
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
    const issue = () =>
      request(
        'POST',
        `${services.get('plo')!.url}/proceedings`,
        {
          caseId,
          court: 'Test Family Court',
          courtCaseNumber: `TC${stack.id}`,
          issuedOn: '2026-11-02',
          submittedOn: '2026-11-02',
          childIds: opened.body.children.map((c: { id: string }) => c.id),
        },
        headersOfLegal,
      );
    const headersOfLegal = await stack.as(person('legal'));
    const issued = await eventually(issue, (r) => r.status !== 404, 30_000, 'PLO to learn of the case');
    expect(issued.status).toBe(201);
    proceedingsId = issued.body.proceedingsId;
    // Legal sees the case in cases once PLO's legal-involvement-started has reached it (needs PLO's per-child events).
    await eventually(
      async () => (await request('GET', `${services.get('cases')!.url}/cases/${caseId}`, undefined, headersOfLegal)).status,
      (status) => status === 200,
      30_000,
      'cases to learn that legal is involved',
    );
  }, 120_000);

  afterAll(() => stack.stop(), 60_000);

  const routesOf = async (service: ServiceProcess) => {
    const document = (await request('GET', `${service.url}/docs/openapi.json`)).body as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
  };

  it.each(Object.keys(POLICY) as ServiceName[])('%s: the policy lists exactly the routes the service has', async (name) => {
    expect((await routesOf(services.get(name)!)).sort()).toEqual(Object.keys(POLICY[name]!).sort());
  });

  it.each(Object.keys(POLICY) as ServiceName[])(
    '%s: every route answers every caller as the policy says',
    async (name) => {
      const service = services.get(name)!;
      const mismatches: string[] = [];
      const now = Math.floor(Date.now() / 1000);
      const credentials = {
        none: {},
        expired: {
          authorization: `Bearer ${await stack.token(person('administrator'), { issuedAt: now - 7200, expiresInSeconds: 3600 })}`,
        },
        wrongAudience: { authorization: `Bearer ${await stack.token(person('administrator'), { audience: 'someone-else' })}` },
        courtSystem: await stack.as({
          subject: 'court-listing',
          councilId: council,
          roles: ['service'],
          scopes: ['hearings:write', 'timetable:read'],
        }),
      };
      for (const [route, policy] of Object.entries(POLICY[name]!)) {
        const [method, template] = route.split(' ');
        const path = template
          .replace('{caseId}', caseId)
          .replace('{councilId}', council)
          .replace('{id}', policy.about === 'proceedings' ? proceedingsId : '{id}')
          .replace(/\{[^}]+\}/g, () => randomUUID());
        const send = (headers: Record<string, string>) =>
          request(
            method,
            `${service.url}${path}${method === 'GET' ? `?councilId=${council}&teamId=north-1&from=2026-11-01` : ''}`,
            method === 'GET' || method === 'DELETE' ? undefined : {},
            headers,
          ).then((r) => r.status);
        // Whoever calls and whatever they send (here an empty body and unknown ids), never a 5xx.
        const expect_ = (who: string, status: number, ok: (status: number) => boolean) => {
          if (!ok(status) || status >= 500) mismatches.push(`${route} as ${who} → ${status}`);
        };
        if (policy.public) {
          for (const [who, headers] of Object.entries(credentials)) expect_(who, await send(headers), (s) => s !== 401 && s !== 403);
          continue;
        }
        for (const [who, headers] of Object.entries(credentials)) {
          const status = await send(headers);
          if (who === 'courtSystem') expect_(who, status, (s) => (policy.scopes?.length ? s !== 401 && s !== 403 : s === 403));
          else expect_(who, status, (s) => s === 401);
        }
        for (const role of PERSONAS) {
          const allowed = policy.roles.includes(role);
          const aboutOneRecord = policy.about === 'case' || policy.about === 'proceedings';
          const subRecord = template.split('{').length > 2;
          expect_(`${role} of the team`, await send(await stack.as(person(role))), (s) =>
            allowed ? s !== 401 && s !== 403 && (!aboutOneRecord || subRecord || s !== 404) : s === 403,
          );
          if (!allowed || policy.about === 'none') continue;
          // A write with an empty body may be refused as malformed (400) before the record is looked up;
          // that answer is the same whether or not the record exists, so it reveals nothing.
          const hidden = (s: number) => s === 404 || (method !== 'GET' && s === 400);
          expect_(`${role} of another council`, await send(await stack.as(person(role, `other-${council}`))), hidden);
          if (aboutOneRecord && role !== 'administrator' && role !== 'legal') {
            expect_(`${role} of another team`, await send(await stack.as(person(role, council, ['east-3']))), hidden);
          }
        }
      }
      expect(mismatches).toEqual([]);
    },
    300_000,
  );

  it('an allowed caller of the right team really reads the case', async () => {
    expect(
      (await request('GET', `${services.get('cases')!.url}/cases/${caseId}`, undefined, await stack.as(person('social-worker')))).status,
    ).toBe(200);
  });
});
