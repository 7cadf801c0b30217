/**
 * Event pipeline, end to end, beside a raw Kafka baseline measured in the same run on the same broker.
 *
 *   pipeline: obligation events committed to the cases service's outbox (in transactions of
 *             BATCH events, as the service would commit them) → relayed to Kafka by the cases
 *             service → consumed and applied by the alerting service (exactly once in effect).
 *   baseline: the same messages produced with raw kafkajs and consumed with raw kafkajs (no
 *             database, no idempotency) — the ceiling of this broker and client on this machine.
 *
 * Prints events/s, end-to-end latency p50/p99 and the ratio; writes bench/results/pipeline.json.
 *   npm run bench:pipeline            (EVENTS=50000 by default)
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ObligationScheduledV1, Topics } from '@plo/contracts';
import { resolveInfrastructure, TestStack } from '@plo/testing';
import { obligationEvents } from './bench-data';
import { machine, writeReport } from './report';

const EVENTS = Number(process.env.EVENTS ?? 50_000);
const BATCH = Number(process.env.BATCH ?? 200);
const CASES = 10_000;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function progress(label: string, done: number, total: number, startedAt: number) {
  const seconds = (Date.now() - startedAt) / 1000;
  process.stdout.write(
    `  ${label}: ${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} (${Math.round(done / Math.max(seconds, 0.001)).toLocaleString('en-GB')}/s)\n`,
  );
}

async function baseline(stack: TestStack, messages: { key: string; value: string }[]) {
  const topic = stack.topic(`bench.baseline.${randomUUID().slice(0, 8)}`);
  const admin = stack.kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6, replicationFactor: 1 }] });
  await admin.disconnect();
  const consumer = stack.kafka.consumer({ groupId: `bench-${randomUUID()}` });
  const latencies: number[] = [];
  let consumed = 0;
  let lastAt = 0;
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) latencies.push(now - Number(message.headers!.sentAt!.toString()));
      consumed += batch.messages.length;
      lastAt = now;
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 3000)); // let the group settle before timing
  const producer = stack.kafka.producer();
  await producer.connect();
  const startedAt = Date.now();
  for (let i = 0; i < messages.length; i += BATCH) {
    const sentAt = String(Date.now());
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + BATCH).map((m) => ({ ...m, headers: { sentAt } })) });
  }
  while (consumed < messages.length) await new Promise((resolve) => setTimeout(resolve, 20));
  await producer.disconnect();
  await consumer.disconnect();
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSecond: Math.round(messages.length / ((lastAt - startedAt) / 1000)),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

async function pipeline(stack: TestStack, events: ReturnType<typeof obligationEvents>) {
  const cases = await stack
    .service('cases', {
      OUTBOX_BATCH_SIZE: process.env.OUTBOX_BATCH_SIZE ?? '1000',
      OUTBOX_POLL_INTERVAL_MS: '20',
      // Lets a run compare the relay's compression settings (KAFKA_COMPRESSION=none npm run bench:pipeline).
      ...(process.env.KAFKA_COMPRESSION ? { KAFKA_COMPRESSION: process.env.KAFKA_COMPRESSION } : {}),
    })
    .start();
  await stack.service('alerting', { CONSUMER_BATCH_SIZE: '1000' }).start();
  const casesDb = new Client({ connectionString: `postgres://plo:plo@127.0.0.1:5432/${stack.database('cases')}` });
  const alertingDb = new Client({ connectionString: `postgres://plo:plo@127.0.0.1:5432/${stack.database('alerting')}` });
  await casesDb.connect();
  await alertingDb.connect();
  // Alerting takes an obligation's people from its copy of the case: the cases are known before timing starts.
  const caseIds = [...new Set(events.map((event) => event.subject))];
  await alertingDb.query(
    `INSERT INTO case_directory (case_id, council_id, case_reference, team_id, allocated_worker_id)
     SELECT id, 'bench-council', 'B-' || left(id::text, 8), 'team-1', 'sw-1' FROM unnest($1::uuid[]) AS id`,
    [caseIds],
  );
  const startedAt = Date.now();
  const committedAt = new Map<string, number>();
  for (let i = 0; i < events.length; i += BATCH) {
    const slice = events.slice(i, i + BATCH);
    await casesDb.query(
      `INSERT INTO outbox (topic, message_key, value, event_id, event_type) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        slice.map(() => stack.topic(Topics.caseEvents)),
        slice.map((e) => e.subject),
        slice.map((e) => JSON.stringify(e)),
        slice.map((e) => e.id),
        slice.map((e) => e.type),
      ],
    );
    const now = Date.now();
    for (const event of slice) committedAt.set((event.data as ObligationScheduledV1).obligationId, now);
    if ((i / BATCH) % 50 === 0) progress('committed to the outbox', i + slice.length, events.length, startedAt);
  }
  let applied = 0;
  let lastReport = 0;
  while (applied < events.length) {
    applied = (await alertingDb.query('SELECT count(*)::int AS n FROM obligations')).rows[0].n;
    if (Date.now() - lastReport > 2000) {
      progress('applied by alerting', applied, events.length, startedAt);
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const rows = (await alertingDb.query(`SELECT id, extract(epoch FROM updated_at) * 1000 AS at FROM obligations`)).rows as {
    id: string;
    at: string;
  }[];
  const finishedAt = Math.max(...rows.map((r) => Number(r.at)));
  // Which stage set the pace: the last commit to the outbox, the last relay to Kafka, the last apply.
  const [stages] = (
    await casesDb.query(
      `SELECT extract(epoch FROM max(created_at)) * 1000 AS committed, extract(epoch FROM max(published_at)) * 1000 AS relayed FROM outbox`,
    )
  ).rows as { committed: string; relayed: string }[];
  const rate = (at: number) => Math.round(events.length / ((at - startedAt) / 1000));
  console.log(
    `  stages (events/s to the last of each): committed ${rate(Number(stages.committed))}, relayed ${rate(Number(stages.relayed))}, applied ${rate(finishedAt)}`,
  );
  const latencies = rows.map((r) => Number(r.at) - committedAt.get(r.id)!).sort((a, b) => a - b);
  await casesDb.end();
  await alertingDb.end();
  void cases;
  return {
    eventsPerSecond: Math.round(events.length / ((finishedAt - startedAt) / 1000)),
    p50Ms: Math.round(percentile(latencies, 50)),
    p99Ms: Math.round(percentile(latencies, 99)),
  };
}

async function main() {
  const infrastructure = await resolveInfrastructure();
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  process.env.PG_ADMIN_URL = infrastructure.postgresAdminUrl;
  console.log(
    `Event pipeline benchmark: ${EVENTS.toLocaleString('en-GB')} obligation events, ${BATCH} per commit, ${CASES.toLocaleString('en-GB')} cases`,
  );
  const stack = new TestStack();
  try {
    const events = obligationEvents(EVENTS, CASES);
    console.log('baseline: raw kafkajs produce → consume');
    const raw = await baseline(
      stack,
      events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    );
    console.log(`  ${raw.eventsPerSecond.toLocaleString('en-GB')} events/s, p50 ${raw.p50Ms} ms, p99 ${raw.p99Ms} ms`);
    console.log('pipeline: outbox → relay → Kafka → alerting inbox → obligations');
    const ours = await pipeline(stack, events);
    console.log(`  ${ours.eventsPerSecond.toLocaleString('en-GB')} events/s, p50 ${ours.p50Ms} ms, p99 ${ours.p99Ms} ms`);
    const ratio = ours.eventsPerSecond / raw.eventsPerSecond;
    console.log(`ratio pipeline / baseline: ${ratio.toFixed(2)} (target ≥ 0.5, issue 19)`);
    const results = {
      benchmark: 'pipeline',
      measuredAt: new Date().toISOString(),
      machine: machine(),
      events: EVENTS,
      batch: BATCH,
      baseline: raw,
      pipeline: ours,
      ratio: Number(ratio.toFixed(3)),
    };
    console.log(`Wrote ${writeReport('pipeline', results)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(`benchmark failed: ${(error as Error).stack}`);
  process.exit(1);
});
