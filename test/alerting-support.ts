import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEnvelope, EventEnvelope, EventTypes, Topics } from '@plo/contracts';
import type { Role } from '@plo/platform';
import { TestStack } from '@plo/testing';
import { request } from './api';

export const COUNCIL = 'test-council';

/** An Authorization header for a person of the test council (or another). */
export function as(stack: TestStack, subject: string, roles: Role[], teamIds: string[] = [], councilId = COUNCIL) {
  return stack.as({ subject, councilId, roles, teamIds });
}

export const administrator = (stack: TestStack) => as(stack, 'admin.jo', ['administrator']);

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

  visitScheduled(caseId: string, obligationId: string, dueDate: string, workerId = 'sw.alex', teamId = 'north-1', councilId = COUNCIL) {
    return this.envelope('cases', EventTypes.obligationScheduled, caseId, {
      obligationId,
      caseId,
      councilId,
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
    await this.publish(Topics.caseEvents, [
      this.caseOpened(caseId, overrides),
      this.visitScheduled(
        caseId,
        obligationId,
        dueDate,
        (overrides.allocatedWorkerId as string) ?? 'sw.alex',
        (overrides.teamId as string) ?? 'north-1',
        (overrides.councilId as string) ?? COUNCIL,
      ),
    ]);
    return { caseId, obligationId };
  }
}

export async function setClock(stack: TestStack, urls: string[], at: string) {
  const headers = await administrator(stack);
  for (const url of urls) {
    const response = await request('PUT', `${url}/test/clock`, { at }, headers);
    if (response.status !== 200) throw new Error(`could not set the clock of ${url}: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

export async function alertsOf(stack: TestStack, obligationOrSubject: string) {
  return stack.sql<{
    id: string;
    level: string;
    state: string;
    resolution: string | null;
    escalation_step: number;
    recipient_id: string | null;
    raised_at: Date;
  }>(
    'alerting',
    `SELECT id, level, state, resolution, escalation_step, recipient_id, raised_at FROM alerts WHERE subject_key = $1 ORDER BY raised_at, level`,
    [obligationOrSubject],
  );
}

/** Runs the rebuild command against the stack's alerting database and topics; returns its summary. */
export async function rebuildAlerting(
  stack: TestStack,
): Promise<{ events: number; eventsPerSecond: number; byTopic: Record<string, number> }> {
  const host = new URL(process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').host;
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, '..', 'dist', 'apps', 'alerting', 'src', 'rebuild.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      DATABASE_URL: `postgres://plo:plo@${host}/${stack.database('alerting')}`,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      KAFKA_NAMESPACE: stack.namespace,
    },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/**
 * Alerting's state as rows in a fixed order, without bookkeeping times (when a row was written says
 * nothing about what it says): what a rebuild must reproduce, and what it must leave alone.
 */
export async function alertingState(stack: TestStack) {
  const tables: Record<string, string> = {
    obligations: `SELECT id, case_id, council_id, child_id, kind, rule_id, due_date::text, overdue_at, explanation, responsible_team_id,
                         responsible_worker_id, status, satisfied_on::text, ended_reason, source_event_id, next_alert_at, due_at, historical
                    FROM obligations ORDER BY id`,
    caseDirectory: 'SELECT * FROM case_directory ORDER BY case_id',
    earlyOutcomes: 'SELECT * FROM early_outcomes ORDER BY obligation_id',
    processedEvents:
      'SELECT consumer, message_id, outcome, topic, kafka_partition, kafka_offset FROM processed_events ORDER BY consumer, message_id',
    alerts: 'SELECT * FROM alerts ORDER BY id',
    alertHistory: 'SELECT * FROM alert_history ORDER BY id',
    outbox: 'SELECT position, topic, message_key, event_id FROM outbox ORDER BY position',
    deliveries: 'SELECT id, channel, purpose, alert_id, subscription_id, recipient_id FROM deliveries ORDER BY id',
  };
  const state: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(tables)) state[name] = JSON.parse(JSON.stringify(await stack.sql('alerting', sql)));
  return state;
}
