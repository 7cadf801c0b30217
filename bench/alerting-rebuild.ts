// Rebuilding alerting's state by replaying its topics: EVENTS (default 1,000,000) synthetic case and
// proceedings events — cases opened, visits scheduled, met and re-scheduled, re-allocations, PLO's
// 26-week clocks — are produced to the topics; then the rebuild command replays them into an empty
// projection, and the benchmark reports events per second (target: 20,000 or more on 2 cores).
//
// Run from the repository root, with Kafka and Postgres up:
//   bash scripts/build.sh && KAFKA_BROKERS=127.0.0.1:9092 node dist/bench/alerting-rebuild.js
// EVENTS=200000 scales it down; PROF=1 writes a CPU profile of the rebuild process to /tmp/rebuild-prof.
// Writes bench/results/alerting-rebuild.json.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEnvelope, EventEnvelope, EventTypes, Topics } from '@plo/contracts';
import { TestStack } from '@plo/testing';
import { machine, writeReport } from './report';

const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const PER_CASE = 5;

function envelope(source: string, type: string, caseId: string, data: object): EventEnvelope {
  return createEnvelope(source, type, caseId, data, { correlationId: randomUUID(), actor: { kind: 'user', id: 'bench' } });
}

/** Five events per case, in the order the services would publish them. */
function caseStory(index: number): { topic: string; event: EventEnvelope }[] {
  const caseId = randomUUID();
  const team = `team-${index % 300}`;
  const worker = `worker-${index % 4000}`;
  const cases = (type: string, data: object) => ({ topic: Topics.caseEvents, event: envelope('urn:plo:cases', type, caseId, data) });
  const visit = (obligationId: string, dueDate: string) =>
    cases(EventTypes.obligationScheduled, {
      obligationId,
      caseId,
      councilId: `council-${index % 20}`,
      kind: 'visit',
      ruleId: 'cp-visit',
      dueDate,
      explanation: `child protection visit due ${dueDate}`,
      responsible: { teamId: team, workerId: worker },
    });
  const first = randomUUID();
  const month = String(1 + (index % 12)).padStart(2, '0');
  const story: { topic: string; event: EventEnvelope }[] = [
    cases(EventTypes.caseOpened, {
      caseId,
      councilId: `council-${index % 20}`,
      caseReference: `B-${index}`,
      teamId: team,
      allocatedWorkerId: worker,
      teamManagerId: `manager-${index % 300}`,
      legalStatus: index % 10 === 0 ? 'plo' : 'child-protection-plan',
      openedOn: '2027-01-04',
    }),
    visit(first, `2028-${month}-10`),
    cases(EventTypes.obligationSatisfied, { obligationId: first, caseId, satisfiedOn: `2028-${month}-08` }),
    visit(randomUUID(), `2028-${month}-20`),
  ];
  if (index % 10 === 0) {
    story.push({
      topic: Topics.proceedingsEvents,
      event: envelope('urn:plo:plo', EventTypes.obligationScheduled, caseId, {
        obligationId: randomUUID(),
        caseId,
        councilId: `council-${index % 20}`,
        childId: randomUUID(),
        kind: 'proceedings-completion',
        ruleId: 'proceedings-26-week-limit',
        dueDate: '2028-07-03',
        explanation: '26 weeks from issue',
        responsible: { teamId: team, workerId: worker },
      }),
    });
  } else {
    story.push(
      cases(EventTypes.caseAllocated, {
        caseId,
        teamId: team,
        allocatedWorkerId: `worker-${(index + 1) % 4000}`,
        allocatedOn: '2027-02-01',
      }),
    );
  }
  return story;
}

async function produce(stack: TestStack) {
  const producer = stack.kafka.producer();
  await producer.connect();
  const started = Date.now();
  try {
    const cases = Math.ceil(EVENTS / PER_CASE);
    // Small sends (the broker caps a request's record batch at about 1 MB), four in flight.
    const chunk = 300;
    const inFlight: Promise<unknown>[] = [];
    for (let start = 0; start < cases; start += chunk) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (let index = start; index < Math.min(cases, start + chunk); index += 1) {
        for (const { topic, event } of caseStory(index)) {
          const list = byTopic.get(topic) ?? [];
          list.push({ key: event.subject, value: JSON.stringify(event) });
          byTopic.set(topic, list);
        }
      }
      inFlight.push(
        producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic: stack.topic(topic), messages })) }),
      );
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return (Date.now() - started) / 1000;
}

async function main() {
  const stack = new TestStack();
  const alerting = stack.service('alerting', { LOG_LEVEL: 'warn' });
  try {
    // The service creates its database schema and topics; the rebuild runs with it stopped.
    await alerting.start();
    await alerting.kill('SIGTERM');
    const produceSeconds = await produce(stack);
    console.log(`produced ${EVENTS} events in ${produceSeconds.toFixed(1)} s`);

    const host = new URL(process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').host;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/rebuild-prof'] : []),
        join('dist', 'apps', 'alerting', 'src', 'rebuild.js'),
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          LOG_LEVEL: 'warn',
          DATABASE_URL: `postgres://plo:plo@${host}/${stack.database('alerting')}`,
          KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
          KAFKA_NAMESPACE: stack.namespace,
          ...(process.env.REBUILD_BATCH_SIZE ? { REBUILD_BATCH_SIZE: process.env.REBUILD_BATCH_SIZE } : {}),
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const commandSeconds = (Date.now() - started) / 1000;
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    const [counts] = await stack.sql<{ obligations: number; cases: number; processed: number }>(
      'alerting',
      `SELECT (SELECT count(*)::int FROM obligations) AS obligations, (SELECT count(*)::int FROM case_directory) AS cases,
              (SELECT count(*)::int FROM processed_events) AS processed`,
    );
    console.log(
      `rebuild: ${summary.events} events in ${summary.seconds.toFixed(1)} s = ${summary.eventsPerSecond} events/s (command ${commandSeconds.toFixed(1)} s)`,
    );
    const result = {
      benchmark: 'alerting-rebuild',
      ranAt: new Date().toISOString(),
      machine: machine(),
      events: EVENTS,
      produceSeconds,
      replay: summary,
      commandSeconds,
      state: counts,
      targetEventsPerSecond: 20_000,
      met: summary.eventsPerSecond >= 20_000 && counts.processed === EVENTS,
    };
    console.log(JSON.stringify(result, null, 2));
    writeReport('alerting-rebuild', result);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
