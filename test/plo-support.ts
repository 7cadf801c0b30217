import { randomUUID } from 'node:crypto';
import { createEnvelope, EventTypes, Topics } from '@plo/contracts';
import { eventually, ServiceProcess, TestStack } from '@plo/testing';
import { request } from './api';

/** Helpers for the PLO integration tests: cases are announced on the case topic, as the cases service would. */
export async function announceCase(stack: TestStack, plo: ServiceProcess, overrides: Record<string, string> = {}) {
  const caseId = randomUUID();
  const data = {
    caseId,
    councilId: 'test-council',
    caseReference: `T-${caseId.slice(0, 8)}`,
    teamId: 'north-1',
    allocatedWorkerId: 'sw.alex',
    legalStatus: 'plo',
    openedOn: '2024-12-01',
    ...overrides,
  };
  const event = createEnvelope('urn:plo:cases', EventTypes.caseOpened, caseId, data, { correlationId: randomUUID(), actor: { kind: 'user', id: 'sw.alex' } });
  await stack.produce(Topics.caseEvents, [{ key: caseId, value: JSON.stringify(event) }]);
  await eventually(() => stack.sql('plo', 'SELECT 1 FROM known_cases WHERE case_id = $1', [caseId]), (rows) => rows.length === 1, 30_000, 'PLO to know the case');
  return data;
}

export async function setClock(plo: ServiceProcess, at: string) {
  const response = await request('PUT', `${plo.url}/test/clock`, { at });
  if (response.status !== 200) throw new Error(`could not set the clock: ${response.status}`);
}

export async function issueProceedings(plo: ServiceProcess, caseId: string, childIds: string[], overrides: Record<string, unknown> = {}) {
  return request('POST', `${plo.url}/proceedings`, {
    caseId,
    court: 'Test Family Court',
    courtCaseNumber: `TC${caseId.slice(0, 8).toUpperCase()}`,
    issuedOn: '2025-01-06',
    submittedOn: '2025-01-06',
    childIds,
    ...overrides,
  });
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
