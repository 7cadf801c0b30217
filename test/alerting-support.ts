import { randomUUID } from 'node:crypto';
import { createEnvelope, EventEnvelope, EventTypes, Topics } from '@plo/contracts';
import { TestStack } from '@plo/testing';
import { request } from './api';

/** Synthetic producer-side events for the alerting tests, published straight to the topics. */
export class AlertingScenario {
  constructor(private readonly stack: TestStack) {}

  envelope(source: 'cases' | 'proceedings', type: string, caseId: string, data: object): EventEnvelope {
    return createEnvelope(`urn:plo:${source === 'cases' ? 'cases' : 'plo'}`, type, caseId, data, {
      correlationId: randomUUID(),
      actor: { kind: 'user', id: 'test' },
    });
  }

  async publish(topic: string, events: EventEnvelope[]) {
    for (let start = 0; start < events.length; start += 1000) {
      await this.stack.produce(
        topic,
        events.slice(start, start + 1000).map((event) => ({ key: event.subject, value: JSON.stringify(event) })),
      );
    }
  }

  caseOpened(caseId: string, overrides: Record<string, unknown> = {}) {
    return this.envelope('cases', EventTypes.caseOpened, caseId, {
      caseId,
      councilId: 'test-council',
      caseReference: `R-${caseId.slice(0, 6)}`,
      teamId: 'north-1',
      allocatedWorkerId: 'sw.alex',
      teamManagerId: 'tm.sam',
      legalStatus: 'child-protection-plan',
      openedOn: '2027-01-04',
      ...overrides,
    });
  }

  visitScheduled(caseId: string, obligationId: string, dueDate: string, workerId = 'sw.alex', teamId = 'north-1') {
    return this.envelope('cases', EventTypes.obligationScheduled, caseId, {
      obligationId,
      caseId,
      councilId: 'test-council',
      kind: 'visit',
      ruleId: 'cp-visit',
      dueDate,
      explanation: `child protection visit due ${dueDate}`,
      responsible: { teamId, workerId },
    });
  }

  satisfied(caseId: string, obligationId: string, satisfiedOn: string) {
    return this.envelope('cases', EventTypes.obligationSatisfied, caseId, { obligationId, caseId, satisfiedOn });
  }

  /** Opens a case with one visit due on `dueDate`; returns the ids. */
  async caseWithVisit(dueDate: string, overrides: Record<string, unknown> = {}) {
    const caseId = randomUUID();
    const obligationId = randomUUID();
    await this.publish(Topics.caseEvents, [this.caseOpened(caseId, overrides), this.visitScheduled(caseId, obligationId, dueDate, (overrides.allocatedWorkerId as string) ?? 'sw.alex', (overrides.teamId as string) ?? 'north-1')]);
    return { caseId, obligationId };
  }
}

export async function setClock(urls: string[], at: string) {
  for (const url of urls) {
    const response = await request('PUT', `${url}/test/clock`, { at });
    if (response.status !== 200) throw new Error(`could not set the clock of ${url}: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

export async function alertsOf(stack: TestStack, obligationOrSubject: string) {
  return stack.sql<{ id: string; level: string; state: string; resolution: string | null; escalation_step: number; recipient_id: string | null; raised_at: Date }>(
    'alerting',
    `SELECT id, level, state, resolution, escalation_step, recipient_id, raised_at FROM alerts WHERE subject_key = $1 ORDER BY raised_at, level`,
    [obligationOrSubject],
  );
}
