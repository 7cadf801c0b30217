// Drift detection at national scale: 1,000,000 open obligations in Postgres, a storm of 100,000 of
// them falling due at one midnight, then an ordinary midnight. Reports how late alerts were raised
// (raised_at − overdue_at, both on the service's clock) at p50/p99/max, the storm's duration,
// duplicates, and the service's memory before and after.
//
// Baseline (issue 8): a raw SQL claim loop — FOR UPDATE SKIP LOCKED batches that claim due rows
// and write a bare alert row — drains a copy of the same storm on the same database, in the same run.
//
// Targets (issue 6): storm fully alerted within 10 s; p99 lateness ≤ 1 s on an ordinary midnight;
// zero duplicates; memory independent of the number of obligations. Issue 8: the storm drains at
// 0.3 or more of the raw baseline's rate.
//
// Run from the repository root, with Kafka and Postgres up:
//   bash scripts/build.sh && KAFKA_BROKERS=127.0.0.1:9092 node dist/bench/alerting-drift.js
// Writes bench/results/alerting-drift.json (relative to the working directory).
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { TestStack, eventually } from '@plo/testing';
import { addDays, overdueAt, parseLocalDate, type LocalDate } from '@plo/timescales';
import { setClock } from '../test/alerting-support';
import { metric } from '../test/api';
import { machine, writeReport } from './report';

const TOTAL = Number(process.env.BENCH_OBLIGATIONS ?? 1_000_000);
const STORM = Number(process.env.BENCH_STORM ?? 100_000);
const STORM_DAY = parseLocalDate('2027-01-04');
const SPREAD_DAYS = 360;

async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

async function memory(url: string) {
  const text = await metrics(url);
  return {
    rssMiB: Math.round(metric(text, 'process_resident_memory_bytes') / 2 ** 20),
    heapUsedMiB: Math.round(metric(text, 'nodejs_heap_size_used_bytes') / 2 ** 20),
  };
}

/** The storm day, the next day, then the rest spread evenly; overdue instants come from the timescales library. */
function plan(): { dueDates: string[]; overdue: string[]; counts: number[] } {
  const days: LocalDate[] = [STORM_DAY];
  for (let i = 1; i <= SPREAD_DAYS; i += 1) days.push(addDays(STORM_DAY, i));
  const perDay = Math.floor((TOTAL - STORM) / SPREAD_DAYS);
  const counts = days.map((_, index) =>
    index === 0 ? STORM : index === SPREAD_DAYS ? TOTAL - STORM - perDay * (SPREAD_DAYS - 1) : perDay,
  );
  return { dueDates: days, overdue: days.map((day) => overdueAt(day).toISOString()), counts };
}

/** Waiting polls the service's own counter, so the wait itself puts no load on the database. */
async function raisedDrift(url: string): Promise<number> {
  return metric(await metrics(url), 'alerts_raised_total', 'level="drift"');
}

/** CPU seconds (user + system) a process has used so far, from /proc: the machine is shared, so time alone says little. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // a backend that has ended since it was listed
  }
}

/**
 * What the storm costs, for a capacity model: the service's CPU (its own counter), the CPU of the
 * Postgres backends serving its database, and the WAL written (the whole server's: other work on
 * the machine adds to it).
 */
async function costMeter(stack: TestStack, url: string) {
  const database = stack.database('alerting');
  const backends = async () =>
    (
      await stack.sql<{ pid: number }>('alerting', 'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
        database,
      ])
    ).map((row) => row.pid);
  const read = async () => {
    const [{ lsn }] = await stack.sql<{ lsn: string }>('alerting', 'SELECT pg_current_wal_lsn()::text AS lsn');
    const pids = await backends();
    return {
      service: metric(await metrics(url), 'process_cpu_seconds_total'),
      postgres: new Map(pids.map((pid) => [pid, cpuSeconds(pid)])),
      lsn,
    };
  };
  const start = await read();
  return async () => {
    const end = await read();
    let postgres = 0;
    for (const [pid, seconds] of end.postgres) postgres += seconds - (start.postgres.get(pid) ?? 0);
    const [{ wal }] = await stack.sql<{ wal: string }>('alerting', 'SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::bigint::text AS wal', [
      end.lsn,
      start.lsn,
    ]);
    return {
      serviceCpuSeconds: Number((end.service - start.service).toFixed(2)),
      postgresCpuSeconds: Number(postgres.toFixed(2)),
      walBytes: Number(wal),
    };
  };
}

/** Sizes of the tables a storm writes, with their indexes, in MiB. */
async function tableSizes(stack: TestStack) {
  // The row counts come from the statistics, which the storm's new rows are not yet in.
  await stack.sql('alerting', 'ANALYZE obligations, alerts, alert_history, outbox, case_directory');
  const rows = await stack.sql<{ name: string; rows: number; table_mib: number; index_mib: number }>(
    'alerting',
    `SELECT c.relname AS name, c.reltuples::bigint::int AS rows,
            round(pg_table_size(c.oid) / 1048576.0, 1)::float AS table_mib, round(pg_indexes_size(c.oid) / 1048576.0, 1)::float AS index_mib
       FROM pg_class c WHERE c.relname IN ('obligations', 'alerts', 'alert_history', 'outbox', 'case_directory') AND c.relkind = 'r'
      ORDER BY c.relname`,
  );
  return Object.fromEntries(rows.map(({ name, ...size }) => [name, size]));
}

/**
 * The floor for a storm on this database: two connections claim due rows in batches with
 * FOR UPDATE SKIP LOCKED, insert a minimal alert per row and move the row's next instant on —
 * no schedule, history, outbox or deliveries. Runs on copies, so the service's tables are untouched.
 */
async function rawClaimBaseline(stack: TestStack, stormDueDate: string, midnight: string) {
  await stack.sql(
    'alerting',
    `CREATE TABLE raw_obligations AS SELECT id, status, next_alert_at FROM obligations;
     CREATE INDEX raw_obligations_next ON raw_obligations (next_alert_at) WHERE status = 'open' AND next_alert_at IS NOT NULL;
     CREATE UNIQUE INDEX raw_obligations_id ON raw_obligations (id);
     CREATE TABLE raw_alerts (obligation_id uuid PRIMARY KEY, raised_at timestamptz NOT NULL);
     ANALYZE raw_obligations`,
  );
  const claimers = [0, 1].map(() => new Client({ connectionString: stack.connectionString('alerting') }));
  await Promise.all(claimers.map((client) => client.connect()));
  const started = process.hrtime.bigint();
  try {
    await Promise.all(
      claimers.map(async (client) => {
        for (;;) {
          const { rowCount } = await client.query(
            `WITH due AS (SELECT id FROM raw_obligations WHERE status = 'open' AND next_alert_at <= $1
                           ORDER BY next_alert_at LIMIT 2000 FOR UPDATE SKIP LOCKED),
                  raised AS (INSERT INTO raw_alerts SELECT id, now() FROM due ON CONFLICT DO NOTHING)
             UPDATE raw_obligations o SET next_alert_at = NULL FROM due WHERE o.id = due.id`,
            [midnight],
          );
          if (!rowCount) return;
        }
      }),
    );
  } finally {
    await Promise.all(claimers.map((client) => client.end()));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [{ n }] = await stack.sql<{ n: number }>('alerting', 'SELECT count(*)::int AS n FROM raw_alerts');
  await stack.sql('alerting', 'DROP TABLE raw_obligations, raw_alerts');
  if (n !== STORM) throw new Error(`raw baseline claimed ${n} of ${STORM} for ${stormDueDate}`);
  return { claimed: n, seconds, perSecond: Math.round(n / seconds) };
}

async function lateness(stack: TestStack, dueDate: string) {
  const [row] = await stack.sql<{ n: number; subjects: number; p50: number; p99: number; max: number; first: Date; last: Date }>(
    'alerting',
    `SELECT count(*)::int AS n, count(DISTINCT a.subject_key)::int AS subjects,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.raised_at - o.overdue_at))::float AS p50,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.raised_at - o.overdue_at))::float AS p99,
            max(extract(epoch FROM a.raised_at - o.overdue_at))::float AS max
       FROM alerts a JOIN obligations o ON o.id = a.obligation_id
      WHERE a.level = 'drift' AND a.due_date = $1`,
    [dueDate],
  );
  return { alerts: row.n, duplicates: row.n - row.subjects, p50Seconds: row.p50, p99Seconds: row.p99, maxSeconds: row.max };
}

async function main() {
  const stack = new TestStack();
  const alerting = stack.service('alerting', {
    TEST_CLOCK_ENABLED: 'true',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ALERT_SCHEDULER_RESYNC_MS: '2000',
    // Lets a run compare the relay's compression settings (KAFKA_COMPRESSION=none npm run bench:alerting-drift).
    ...(process.env.KAFKA_COMPRESSION ? { KAFKA_COMPRESSION: process.env.KAFKA_COMPRESSION } : {}),
  });
  try {
    await alerting.start();
    await setClock(stack, [alerting.url], '2027-01-04T12:00:00Z');
    const empty = await memory(alerting.url);

    const { dueDates, overdue, counts } = plan();
    const loadStarted = Date.now();
    for (let start = 0; start < dueDates.length; start += 20) {
      await stack.sql(
        'alerting',
        // Each obligation's case is in the directory: alerts take their people from it.
        `WITH o AS (
           INSERT INTO obligations (id, case_id, council_id, kind, rule_id, due_date, overdue_at, explanation, responsible_team_id,
                                    responsible_worker_id, status, source_event_id, next_alert_at)
           SELECT gen_random_uuid(), gen_random_uuid(), 'council-' || (g % 150), 'bench-deadline', 'bench', d.due_date, d.overdue_at,
                  'benchmark obligation', 'team-' || (g % 3000), 'worker-' || (g % 40000), 'open', gen_random_uuid(), d.overdue_at
             FROM unnest($1::date[], $2::timestamptz[], $3::int[]) AS d(due_date, overdue_at, n), generate_series(1, d.n) AS g
           RETURNING case_id, council_id, responsible_team_id, responsible_worker_id)
         INSERT INTO case_directory (case_id, council_id, case_reference, team_id, allocated_worker_id)
         SELECT case_id, council_id, 'B-' || left(case_id::text, 8), responsible_team_id, responsible_worker_id FROM o`,
        [dueDates.slice(start, start + 20), overdue.slice(start, start + 20), counts.slice(start, start + 20)],
      );
    }
    await stack.sql('alerting', 'ANALYZE obligations, case_directory');
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    console.log(`loaded ${TOTAL} open obligations in ${loadSeconds.toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const loaded = await memory(alerting.url);

    const baseline = await rawClaimBaseline(stack, dueDates[0], overdue[0]);
    console.log(`raw SQL claim loop: ${baseline.claimed} in ${baseline.seconds.toFixed(2)} s (${baseline.perSecond}/s)`);

    // BENCH_WITHOUT_INDEXES=a,b drops those alert indexes first, to measure what keeping them costs a storm.
    const withoutIndexes = (process.env.BENCH_WITHOUT_INDEXES ?? '').split(',').filter(Boolean);
    for (const index of withoutIndexes) {
      if (!/^alerts_[a-z_]+$/.test(index)) throw new Error(`BENCH_WITHOUT_INDEXES: ${index} is not an alerts_ index`);
      await stack.sql('alerting', `DROP INDEX ${index}`);
    }
    if (withoutIndexes.length) console.log(`without the alert indexes ${withoutIndexes.join(', ')}`);

    // The storm: 100,000 fall due at 00:00 on 5 Jan 2027 (GMT).
    const stormCost = await costMeter(stack, alerting.url);
    await setClock(stack, [alerting.url], '2027-01-04T23:59:58Z');
    await eventually(
      () => raisedDrift(alerting.url),
      (n) => n >= STORM,
      120_000,
      'the storm to be alerted',
    );
    const storm = await lateness(stack, dueDates[0]);
    // The storm's cost includes relaying its events, which goes on after the last alert is raised.
    await eventually(
      async () => (await stack.sql<{ n: number }>('alerting', 'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n,
      (n) => n === 0,
      120_000,
      "the storm's events to be relayed",
    );
    const cost = await stormCost();
    const [written] = await stack.sql<{ alerts: number; history: number; outbox: number }>(
      'alerting',
      `SELECT (SELECT count(*) FROM alerts)::int AS alerts, (SELECT count(*) FROM alert_history)::int AS history,
              (SELECT count(*) FROM outbox)::int AS outbox`,
    );
    // Each alert also writes a new version of its obligation.
    const rowsWritten = written.alerts + written.history + written.outbox + storm.alerts;
    const capacity = {
      ...cost,
      rowsWritten,
      alertsPerServiceCpuSecond: Math.round(storm.alerts / cost.serviceCpuSeconds),
      alertsPerPostgresCpuSecond: Math.round(storm.alerts / cost.postgresCpuSeconds),
      alertsPerCpuSecond: Math.round(storm.alerts / (cost.serviceCpuSeconds + cost.postgresCpuSeconds)),
      rowsPerSecond: Math.round(rowsWritten / storm.maxSeconds),
      walBytesPerAlert: Math.round(cost.walBytes / storm.alerts),
      walMiBPerSecond: Number((cost.walBytes / 2 ** 20 / storm.maxSeconds).toFixed(1)),
    };
    console.log(
      `storm: ${storm.alerts} alerts, last raised ${storm.maxSeconds.toFixed(2)} s after midnight, p99 lateness ${storm.p99Seconds.toFixed(2)} s, duplicates ${storm.duplicates}`,
    );
    console.log(
      `storm cost: service ${capacity.serviceCpuSeconds} CPU s, its Postgres backends ${capacity.postgresCpuSeconds} CPU s → ${capacity.alertsPerCpuSecond} alerts per CPU second (${capacity.alertsPerServiceCpuSecond} per service CPU s); ${rowsWritten} rows (${capacity.rowsPerSecond}/s), WAL ${(cost.walBytes / 2 ** 20).toFixed(0)} MiB (${capacity.walBytesPerAlert} B an alert, ${capacity.walMiBPerSecond} MiB/s; the server's, other work included)`,
    );
    console.log(`storm drain against the raw claim loop: ${(baseline.seconds / storm.maxSeconds).toFixed(2)} of its rate (target 0.3)`);
    const afterStorm = await memory(alerting.url);

    // An ordinary midnight with the storm's alerts and 900,000 other obligations in the database.
    await setClock(stack, [alerting.url], '2027-01-05T23:59:58Z');
    await eventually(
      () => raisedDrift(alerting.url),
      (n) => n >= STORM + counts[1],
      60_000,
      'the ordinary midnight',
    );
    const ordinary = await lateness(stack, dueDates[1]);
    console.log(
      `ordinary midnight: ${ordinary.alerts} alerts, p50 ${ordinary.p50Seconds.toFixed(3)} s, p99 ${ordinary.p99Seconds.toFixed(3)} s, max ${ordinary.maxSeconds.toFixed(3)} s`,
    );
    const end = await memory(alerting.url);
    const sizes = await tableSizes(stack);
    console.log(
      `sizes (MiB, table + indexes): ${Object.entries(sizes)
        .map(([name, size]) => `${name} ${size.rows} rows ${size.table_mib} + ${size.index_mib}`)
        .join('; ')}`,
    );
    const [{ total_alerts }] = await stack.sql<{ total_alerts: number }>('alerting', 'SELECT count(*)::int AS total_alerts FROM alerts');

    const result = {
      benchmark: 'alerting-drift',
      ranAt: new Date().toISOString(),
      machine: machine(),
      openObligations: TOTAL,
      loadSeconds,
      storm: { obligations: STORM, ...storm, targetSeconds: 10, met: storm.maxSeconds <= 10 && storm.duplicates === 0 },
      rawClaimBaseline: baseline,
      stormCapacity: capacity,
      sizesMiB: sizes,
      stormDrainRatio: {
        value: Number((baseline.seconds / storm.maxSeconds).toFixed(2)),
        target: 0.3,
        met: baseline.seconds / storm.maxSeconds >= 0.3,
      },
      ordinaryMidnight: { obligations: counts[1], ...ordinary, targetP99Seconds: 1, met: ordinary.p99Seconds <= 1 },
      totalAlerts: total_alerts,
      memory: { empty, loaded, afterStorm, end },
    };
    console.log(JSON.stringify(result, null, 2));
    writeReport('alerting-drift', result);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
