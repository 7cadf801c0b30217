// Drift detection at national scale: 1,000,000 open obligations in Postgres, a storm of 100,000 of
// them falling due at one midnight, then an ordinary midnight. Reports how late alerts were raised
// (raised_at − overdue_at, both on the service's clock) at p50/p99/max, the storm's duration,
// duplicates, and the service's memory before and after.
//
// Targets (issue 6): storm fully alerted within 10 s; p99 lateness ≤ 1 s on an ordinary midnight;
// zero duplicates; memory independent of the number of obligations.
//
// Run from the repository root, with Kafka and Postgres up:
//   bash scripts/build.sh && KAFKA_BROKERS=127.0.0.1:9092 node dist/bench/alerting-drift.js
// Writes bench/results/alerting-drift.json (relative to the working directory).
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { TestStack, eventually } from '@plo/testing';
import { addDays, overdueAt, parseLocalDate, type LocalDate } from '@plo/timescales';

const TOTAL = Number(process.env.BENCH_OBLIGATIONS ?? 1_000_000);
const STORM = Number(process.env.BENCH_STORM ?? 100_000);
const STORM_DAY = parseLocalDate('2027-01-04');
const SPREAD_DAYS = 360;

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : Number.NaN;
}

async function memory(url: string) {
  return { rssMiB: Math.round((await metric(url, 'process_resident_memory_bytes')) / 2 ** 20), heapUsedMiB: Math.round((await metric(url, 'nodejs_heap_size_used_bytes')) / 2 ** 20) };
}

async function setClock(stack: TestStack, url: string, at: string) {
  const authorization = await stack.as({ subject: 'bench.admin', councilId: 'bench', roles: ['administrator'] });
  const response = await fetch(`${url}/test/clock`, { method: 'PUT', headers: { 'content-type': 'application/json', ...authorization }, body: JSON.stringify({ at }) });
  if (!response.ok) throw new Error(`clock refused: ${response.status}`);
}

/** The storm day, the next day, then the rest spread evenly; overdue instants come from the timescales library. */
function plan(): { dueDates: string[]; overdue: string[]; counts: number[] } {
  const days: LocalDate[] = [STORM_DAY];
  for (let i = 1; i <= SPREAD_DAYS; i += 1) days.push(addDays(STORM_DAY, i));
  const perDay = Math.floor((TOTAL - STORM) / SPREAD_DAYS);
  const counts = days.map((_, index) => (index === 0 ? STORM : index === SPREAD_DAYS ? TOTAL - STORM - perDay * (SPREAD_DAYS - 1) : perDay));
  return { dueDates: days, overdue: days.map((day) => overdueAt(day).toISOString()), counts };
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
  const alerting = stack.service('alerting', { TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'test', LOG_LEVEL: 'warn', ALERT_SCHEDULER_RESYNC_MS: '2000' });
  try {
    await alerting.start();
    await setClock(stack, alerting.url, '2027-01-04T12:00:00Z');
    const empty = await memory(alerting.url);

    const { dueDates, overdue, counts } = plan();
    const loadStarted = Date.now();
    for (let start = 0; start < dueDates.length; start += 20) {
      await stack.sql(
        'alerting',
        `INSERT INTO obligations (id, case_id, council_id, kind, rule_id, due_date, overdue_at, explanation, responsible_team_id,
                                  responsible_worker_id, status, source_event_id, next_alert_at)
         SELECT gen_random_uuid(), gen_random_uuid(), 'council-' || (g % 150), 'bench-deadline', 'bench', d.due_date, d.overdue_at,
                'benchmark obligation', 'team-' || (g % 3000), 'worker-' || (g % 40000), 'open', gen_random_uuid(), d.overdue_at
           FROM unnest($1::date[], $2::timestamptz[], $3::int[]) AS d(due_date, overdue_at, n), generate_series(1, d.n) AS g`,
        [dueDates.slice(start, start + 20), overdue.slice(start, start + 20), counts.slice(start, start + 20)],
      );
    }
    await stack.sql('alerting', 'ANALYZE obligations');
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    console.log(`loaded ${TOTAL} open obligations in ${loadSeconds.toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const loaded = await memory(alerting.url);

    // The storm: 100,000 fall due at 00:00 on 5 Jan 2027 (GMT).
    await setClock(stack, alerting.url, '2027-01-04T23:59:58Z');
    const storm = await eventually(() => lateness(stack, dueDates[0]), (l) => l.alerts >= STORM, 120_000, 'the storm to be alerted');
    console.log(`storm: ${storm.alerts} alerts, last raised ${storm.maxSeconds.toFixed(2)} s after midnight, p99 lateness ${storm.p99Seconds.toFixed(2)} s, duplicates ${storm.duplicates}`);
    const afterStorm = await memory(alerting.url);

    // An ordinary midnight with the storm's alerts and 900,000 other obligations in the database.
    await setClock(stack, alerting.url, '2027-01-05T23:59:58Z');
    const ordinary = await eventually(() => lateness(stack, dueDates[1]), (l) => l.alerts >= counts[1], 60_000, 'the ordinary midnight');
    console.log(`ordinary midnight: ${ordinary.alerts} alerts, p50 ${ordinary.p50Seconds.toFixed(3)} s, p99 ${ordinary.p99Seconds.toFixed(3)} s, max ${ordinary.maxSeconds.toFixed(3)} s`);
    const end = await memory(alerting.url);
    const [{ total_alerts }] = await stack.sql<{ total_alerts: number }>('alerting', 'SELECT count(*)::int AS total_alerts FROM alerts');

    const result = {
      benchmark: 'alerting-drift',
      ranAt: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
      openObligations: TOTAL,
      loadSeconds,
      storm: { obligations: STORM, ...storm, targetSeconds: 10, met: storm.maxSeconds <= 10 && storm.duplicates === 0 },
      ordinaryMidnight: { obligations: counts[1], ...ordinary, targetP99Seconds: 1, met: ordinary.p99Seconds <= 1 },
      totalAlerts: total_alerts,
      memory: { empty, loaded, afterStorm, end },
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync(join('bench', 'results'), { recursive: true });
    writeFileSync(join('bench', 'results', 'alerting-drift.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
