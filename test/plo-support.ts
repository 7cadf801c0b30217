import { randomUUID } from 'node:crypto';
import { createEnvelope, EventTypes, Topics } from '@plo/contracts';
import type { TokenClaims } from '@plo/platform';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';

export const COUNCIL = 'test-council';

/** The people and systems the PLO tests act as. */
export const PERSONAS = {
  legal: { subject: 'legal.kim', councilId: COUNCIL, roles: ['legal'], teamIds: ['legal-1'] },
  manager: { subject: 'tm.sam', councilId: COUNCIL, roles: ['team-manager'], teamIds: ['north-1'] },
  worker: { subject: 'sw.alex', councilId: COUNCIL, roles: ['social-worker'], teamIds: ['north-1'] },
  otherTeamWorker: { subject: 'sw.robin', councilId: COUNCIL, roles: ['social-worker'], teamIds: ['south-2'] },
  otherTeamManager: { subject: 'tm.jo', councilId: COUNCIL, roles: ['team-manager'], teamIds: ['south-2'] },
  admin: { subject: 'admin.ada', councilId: COUNCIL, roles: ['administrator'] },
  otherCouncilLegal: { subject: 'legal.lee', councilId: 'other-council', roles: ['legal'], teamIds: ['legal-9'] },
  courtFeed: { subject: 'hmcts-hmc', councilId: COUNCIL, roles: ['service'], scopes: ['hearings:write'] },
  courtTimetable: { subject: 'hmcts-timetable', councilId: COUNCIL, roles: ['service'], scopes: ['timetable:read'] },
} satisfies Record<string, TokenClaims>;
export type PersonaName = keyof typeof PERSONAS;

/** Authorization headers for every persona, minted once per test file. */
export async function signIn(stack: TestStack): Promise<Record<PersonaName, Record<string, string>>> {
  const entries = await Promise.all(Object.entries(PERSONAS).map(async ([name, claims]) => [name, await stack.as(claims)] as const));
  return Object.fromEntries(entries) as Record<PersonaName, Record<string, string>>;
}

/**
 * Helpers for the PLO integration tests: cases are announced on the case topic, as the cases service
 * would, with a child (legal see a case through its children's legal involvement).
 */
export async function announceCase(stack: TestStack, plo: ServiceProcess, overrides: Record<string, unknown> = {}) {
  const caseId = randomUUID();
  const data = {
    caseId,
    councilId: COUNCIL,
    caseReference: `T-${caseId.slice(0, 8)}`,
    teamId: 'north-1',
    allocatedWorkerId: 'sw.alex',
    legalStatus: 'plo',
    openedOn: '2024-12-01',
    childIds: [randomUUID()],
    ...overrides,
  };
  const event = createEnvelope('urn:plo:cases', EventTypes.caseOpened, caseId, data, {
    correlationId: randomUUID(),
    actor: { kind: 'user', id: 'sw.alex' },
  });
  await stack.produce(Topics.caseEvents, [{ key: caseId, value: JSON.stringify(event) }]);
  await eventually(
    () => stack.sql('plo', 'SELECT 1 FROM known_cases WHERE case_id = $1', [caseId]),
    (rows) => rows.length === 1,
    30_000,
    'PLO to know the case',
  );
  return data;
}

/** A child added to a case (a baby born, say), announced as the cases service would (at `at`, by its clock). */
export async function announceChild(stack: TestStack, caseId: string, childId = randomUUID(), at = new Date()) {
  const event = createEnvelope(
    'urn:plo:cases',
    EventTypes.childAdded,
    caseId,
    { caseId, childId },
    { correlationId: randomUUID(), actor: { kind: 'user', id: 'sw.alex' } },
    at,
  );
  await stack.produce(Topics.caseEvents, [{ key: caseId, value: JSON.stringify(event) }]);
  await eventually(
    () => stack.sql('plo', 'SELECT 1 FROM known_case_children WHERE case_id = $1 AND child_id = $2', [caseId, childId]),
    (rows) => rows.length === 1,
    30_000,
    'PLO to know the child',
  );
  return childId;
}

/** Only an administrator may set a test deployment's clock. */
export async function setClock(stack: TestStack, plo: ServiceProcess, at: string) {
  const response = await request('PUT', `${plo.url}/test/clock`, { at }, await stack.as(PERSONAS.admin));
  if (response.status !== 200) throw new Error(`could not set the clock: ${response.status}`);
}

export async function issueProceedings(
  plo: ServiceProcess,
  as: Record<string, string>,
  caseId: string,
  childIds: string[],
  overrides: Record<string, unknown> = {},
) {
  return request(
    'POST',
    `${plo.url}/proceedings`,
    {
      caseId,
      court: 'Test Family Court',
      courtCaseNumber: `TC${caseId.slice(0, 8).toUpperCase()}`,
      issuedOn: '2025-01-06',
      submittedOn: '2025-01-06',
      childIds,
      ...overrides,
    },
    as,
  );
}

/** The events of one case on a topic, in order, parsed. */
export async function eventsOf(stack: TestStack, topic: string, caseId: string, minimum = 0) {
  return eventually(
    async () => (await stack.readTopic(topic)).filter((m) => m.key === caseId).map((m) => JSON.parse(m.value)),
    (events) => events.length >= minimum,
    30_000,
    `${minimum} events of case ${caseId} on ${topic}`,
  );
}

export async function auditRows(stack: TestStack): Promise<number> {
  const [{ n }] = await stack.sql<{ n: number }>('plo', 'SELECT count(*)::int AS n FROM audit_log');
  return n;
}
