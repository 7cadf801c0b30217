/**
 * One instance of the consuming service against two, in the same run, on the same broker and database:
 *
 *   pipeline: EVENTS obligation events committed to the cases outbox, relayed by one cases instance,
 *             consumed and applied by 1, then 2, alerting instances (one consumer group); events/s
 *             from the first commit to the last apply.
 *   storm:    STORM open obligations falling due at one midnight, claimed by 1, then 2, alerting
 *             schedulers (FOR UPDATE SKIP LOCKED); seconds from midnight to the last alert, duplicates.
 *
 * Each phase samples the CPU time of every service process and of the whole machine (/proc), so the
 * figures say whether a second instance had a core to run on. ROUNDS repeats 1-then-2 (A/B in turns).
 *
 *   npm run bench:instances          (EVENTS=20000 STORM=20000 ROUNDS=1)
 * Writes bench/results/instances.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { Topics } from '@plo/contracts';
import { eventually, resolveInfrastructure, ServiceProcess, TestStack } from '@plo/testing';
import { setClock } from '../test/alerting-support';
import { metric } from '../test/api';
import { obligationEvents } from './bench-data';
import { machine, writeReport } from './report';

const EVENTS = Number(process.env.EVENTS ?? 20_000);
const STORM = Number(process.env.STORM ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
const BATCH = 200;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by each process whose command name is `comm` (all of Postgres's backends, say). */
function cpuSecondsOf(comm: string): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm) used.set(Number(pid), cpuSeconds(Number(pid)));
    } catch {
      // the process ended while being read
    }
  }
  return used;
}

/** CPU seconds used between two readings by the processes alive at both (one that came or went is left out). */
function usedBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) if (before.has(pid)) total += seconds - before.get(pid)!;
  return total;
}

/** Busy and total CPU seconds of the whole machine so far (every core). */
function machineSeconds(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = ticks.reduce((sum, n) => sum + n, 0);
  const idle = ticks[3] + ticks[4];
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** Starts timing CPU; the returned function gives each process's share of one core, and the machine's busy share. */
function sampleCpu(processes: Record<string, ServiceProcess>) {
  const before = Object.fromEntries(Object.entries(processes).map(([name, p]) => [name, cpuSeconds(p.pid!)]));
  const machineBefore = machineSeconds();
  const shared = { postgres: cpuSecondsOf('postgres'), kafka: cpuSecondsOf('java') };
  const started = Date.now();
  return () => {
    const wall = (Date.now() - started) / 1000;
    const machineAfter = machineSeconds();
    const perProcess = Object.fromEntries(
      Object.entries(processes).map(([name, p]) => [name, Math.round(((cpuSeconds(p.pid!) - before[name]) / wall) * 100)]),
    );
    // Every Postgres backend and every JVM on the machine, other work's included: they show how much is left.
    perProcess['postgres (all)'] = Math.round((usedBetween(shared.postgres, cpuSecondsOf('postgres')) / wall) * 100);
    perProcess['java (Kafka, all)'] = Math.round((usedBetween(shared.kafka, cpuSecondsOf('java')) / wall) * 100);
    const busy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
    return { percentOfOneCore: perProcess, machineBusyPercent: Math.round(busy * 100) };
  };
}

function describeCpu(cpu: ReturnType<ReturnType<typeof sampleCpu>>) {
  const each = Object.entries(cpu.percentOfOneCore)
    .map(([name, percent]) => `${name} ${percent}%`)
    .join(', ');
  return `CPU (of one core): ${each}; machine busy ${cpu.machineBusyPercent}% of its ${machine().cpus} cores`;
}

async function pipeline(consumers: number) {
  const stack = new TestStack();
  try {
    const cases = await stack.service('cases', { OUTBOX_BATCH_SIZE: '1000', OUTBOX_POLL_INTERVAL_MS: '20' }).start();
    const alerting: ServiceProcess[] = [];
    for (let i = 0; i < consumers; i += 1) alerting.push(await stack.service('alerting', { CONSUMER_BATCH_SIZE: '1000' }).start());
    const events = obligationEvents(EVENTS, 2000);
    const casesDb = new Client({ connectionString: stack.connectionString('cases') });
    await casesDb.connect();
    await stack.sql(
      'alerting',
      `INSERT INTO case_directory (case_id, council_id, case_reference, team_id, allocated_worker_id)
       SELECT id, 'bench-council', 'B-' || left(id::text, 8), 'team-1', 'sw-1' FROM unnest($1::uuid[]) AS id`,
      [[...new Set(events.map((event) => event.subject))]],
    );
    // Every consumer has joined the group and holds partitions before timing starts.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const cpu = sampleCpu({ cases: cases, ...Object.fromEntries(alerting.map((p, i) => [`alerting-${i + 1}`, p])) });
    const startedAt = Date.now();
    for (let i = 0; i < events.length; i += BATCH) {
      const slice = events.slice(i, i + BATCH);
      await casesDb.query(
        `INSERT INTO outbox (topic, message_key, value, event_id, event_type)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
        [
          slice.map(() => stack.topic(Topics.caseEvents)),
          slice.map((e) => e.subject),
          slice.map((e) => JSON.stringify(e)),
          slice.map((e) => e.id),
          slice.map((e) => e.type),
        ],
      );
    }
    await casesDb.end();
    await eventually(
      async () => (await stack.sql<{ n: number }>('alerting', 'SELECT count(*)::int AS n FROM obligations'))[0].n,
      (n) => n >= EVENTS,
      300_000,
      'every event applied',
    );
    const [{ last }] = await stack.sql<{ last: number }>(
      'alerting',
      'SELECT extract(epoch FROM max(updated_at)) * 1000 AS last FROM obligations',
    );
    const usage = cpu();
    const applied = await Promise.all(
      alerting.map(async (p) =>
        metric(await (await fetch(`${p.url}/metrics`)).text(), 'consumer_handler_seconds_count', 'outcome="applied"'),
      ),
    );
    return { consumers, eventsPerSecond: Math.round(EVENTS / ((Number(last) - startedAt) / 1000)), appliedByInstance: applied, cpu: usage };
  } finally {
    await stack.stop();
  }
}

async function storm(schedulers: number) {
  const stack = new TestStack();
  try {
    const alerting: ServiceProcess[] = [];
    for (let i = 0; i < schedulers; i += 1)
      alerting.push(
        await stack.service('alerting', { TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'test', ALERT_SCHEDULER_RESYNC_MS: '2000' }).start(),
      );
    const urls = alerting.map((p) => p.url);
    await setClock(stack, urls, '2027-01-04T12:00:00Z');
    await stack.sql(
      'alerting',
      `WITH o AS (
         INSERT INTO obligations (id, case_id, council_id, kind, rule_id, due_date, overdue_at, explanation, responsible_team_id,
                                  responsible_worker_id, status, source_event_id, next_alert_at)
         SELECT gen_random_uuid(), gen_random_uuid(), 'council-' || (g % 150), 'bench-deadline', 'bench', '2027-01-04',
                '2027-01-05T00:00:00Z', 'benchmark obligation', 'team-' || (g % 3000), 'worker-' || (g % 40000), 'open',
                gen_random_uuid(), '2027-01-05T00:00:00Z'
           FROM generate_series(1, $1::int) AS g
         RETURNING case_id, council_id, responsible_team_id, responsible_worker_id)
       INSERT INTO case_directory (case_id, council_id, case_reference, team_id, allocated_worker_id)
       SELECT case_id, council_id, 'B-' || left(case_id::text, 8), responsible_team_id, responsible_worker_id FROM o`,
      [STORM],
    );
    await stack.sql('alerting', 'ANALYZE obligations, case_directory');
    // The schedulers learn of the new obligations at their next resync.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const cpu = sampleCpu(Object.fromEntries(alerting.map((p, i) => [`alerting-${i + 1}`, p])));
    await setClock(stack, urls, '2027-01-04T23:59:58Z');
    const raisedByEach = async () =>
      Promise.all(urls.map(async (url) => metric(await (await fetch(`${url}/metrics`)).text(), 'alerts_raised_total', 'level="drift"')));
    const raised = await eventually(raisedByEach, (counts) => counts.reduce((a, b) => a + b, 0) >= STORM, 180_000, 'the storm alerted');
    const usage = cpu();
    const [row] = await stack.sql<{ n: number; subjects: number; last: number }>(
      'alerting',
      `SELECT count(*)::int AS n, count(DISTINCT a.subject_key)::int AS subjects,
              max(extract(epoch FROM a.raised_at - o.overdue_at))::float AS last
         FROM alerts a JOIN obligations o ON o.id = a.obligation_id WHERE a.level = 'drift'`,
    );
    return { schedulers, alerts: row.n, duplicates: row.n - row.subjects, seconds: row.last, raisedByInstance: raised, cpu: usage };
  } finally {
    await stack.stop();
  }
}

async function main() {
  const infrastructure = await resolveInfrastructure();
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  process.env.PG_ADMIN_URL = infrastructure.postgresAdminUrl;
  console.log(`Several instances: ${EVENTS} pipeline events, a storm of ${STORM}, ${ROUNDS} round(s) of 1 then 2 instances`);
  const pipelines = [];
  const storms = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const instances of [1, 2]) {
      const result = await pipeline(instances);
      pipelines.push(result);
      console.log(
        `pipeline, ${instances} alerting instance(s): ${result.eventsPerSecond} events/s; applied per instance ${result.appliedByInstance.join(' / ')}`,
      );
      console.log(`  ${describeCpu(result.cpu)}`);
    }
    for (const instances of [1, 2]) {
      const result = await storm(instances);
      storms.push(result);
      console.log(
        `storm, ${instances} scheduler(s): ${result.alerts} alerts, last ${result.seconds.toFixed(2)} s after midnight, duplicates ${result.duplicates}; raised per instance ${result.raisedByInstance.join(' / ')}`,
      );
      console.log(`  ${describeCpu(result.cpu)}`);
    }
  }
  const report = {
    benchmark: 'instances',
    ranAt: new Date().toISOString(),
    machine: machine(),
    events: EVENTS,
    storm: STORM,
    pipelines,
    storms,
  };
  console.log(`Wrote ${writeReport('instances', report)}`);
}

main().catch((error) => {
  console.error(`benchmark failed: ${(error as Error).stack}`);
  process.exit(1);
});
