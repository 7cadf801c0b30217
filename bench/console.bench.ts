/**
 * Console benchmark: a team manager's "My team this week" (GET /team) for a team in trouble — 200
 * open cases with 500 children and 500 active alerts (300 drift, a third acknowledged and some
 * escalated; 50 projected overruns; 150 warnings) — against the API calls the page makes, measured
 * the same way in the same run, so what the console adds (its session, fan-out and rendering) shows.
 *
 *   page      GET /team as tm.sam (north-1), through the console, HTML read to the end
 *   APIs      the same fan-out the page makes (the console's own reader: alerts per severity with
 *             their next pages, the team's cases a hundred at a time, obligations due this week),
 *             called straight from here with tm.sam's token; each call timed too
 *
 * Each is run BENCH_REQUESTS times (300) one after another, page and APIs alternating, then the same
 * number with BENCH_CONCURRENCY (4) at once. Target: page p95 ≤ 300 ms one at a time. The data is
 * written straight into the services' databases (set-based SQL, as bench-data.ts does), so seeding
 * takes a second. Writes bench/results/console.json.
 *
 *   npm run bench:console
 */
import { performance } from 'node:perf_hooks';
import { apiClients } from '@plo/api-client';
import { ConsoleUser, TestStack, textOf } from '@plo/testing';
import { londonDateOf } from '@plo/timescales';
import { readTeam } from '../apps/console/src/pages/team/team-reader';
import { uuidOf } from './bench-data';
import { machine, writeReport } from './report';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const TARGET_P95_MS = 300;
const COUNCIL = 'demo-council';
const TEAM = 'north-1';
const CASES = 200;

const WORKERS = ['alex', 'jamie', 'kim', 'lou', 'max', 'noor', 'ola', 'pip', 'quin', 'ray', 'sol', 'tess'];
const FIRST_NAMES = ['Ana', 'Ben', 'Cara', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jade', 'Kai', 'Lena', 'Milo', 'Nia', 'Omar', 'Pia'];

/**
 * The team's cases and children ($1 is today in London). Child n (0–499, in case order) is in one of
 * three situations: n % 10 < 6 its visit is overdue (drift), n % 10 = 6 its visit is weeks away but
 * its proceedings are projected to overrun, otherwise its visit falls due in a day or two (a warning).
 */
const PLAN = `
  WITH c AS (
    SELECT g, ${uuidOf("'console-case-' || g")} AS case_id, 'N1-' || lpad(g::text, 4, '0') AS case_reference,
           'sw.' || (ARRAY['${WORKERS.join("','")}'])[g % ${WORKERS.length} + 1] AS worker_id, $1::date - 30 - (g % 300) AS opened_on
      FROM generate_series(0, ${CASES - 1}) AS g),
  ch AS (
    SELECT c.*, k, (row_number() OVER (ORDER BY g, k) - 1)::int AS n, ${uuidOf("'console-child-' || g || '-' || k")} AS child_id,
           ${uuidOf("'console-visit-' || g || '-' || k")} AS visit_id
      FROM c, generate_series(1, 2 + c.g % 2) AS k),
  plan AS (
    SELECT ch.*,
           CASE WHEN n % 10 < 6 THEN 'drift' WHEN n % 10 = 6 THEN 'projected' ELSE 'warning' END AS situation,
           CASE WHEN n % 10 < 6 THEN $1::date - 1 - (n % 40) WHEN n % 10 = 6 THEN $1::date + 8 + n % 20 ELSE $1::date + 1 + n % 2 END AS visit_due
      FROM ch),
  p AS (SELECT plan.*, ((visit_due + 1)::timestamp AT TIME ZONE 'Europe/London') AS overdue_at FROM plan)`;

const VISIT = `'10 working days after the last visit (benchmark data)'`;

const CASES_SQL = [
  `${PLAN} INSERT INTO cases (id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_status, opened_on)
     SELECT case_id, '${COUNCIL}', case_reference, '${TEAM}', worker_id, 'tm.sam', 'child-protection-plan', opened_on FROM c`,
  `${PLAN} INSERT INTO children (id, case_id, first_name, last_name, date_of_birth, sex, added_on)
     SELECT child_id, case_id, (ARRAY['${FIRST_NAMES.join("','")}'])[n % ${FIRST_NAMES.length} + 1], 'Bench' || g,
            opened_on - 1000 - n, (ARRAY['female', 'male'])[k % 2 + 1], opened_on FROM ch`,
  `${PLAN} INSERT INTO obligations (id, case_id, kind, rule_id, due_date, explanation, status, child_id)
     SELECT visit_id, case_id, 'visit', 'cp-visit', visit_due, ${VISIT}, 'open', child_id FROM p`,
];

/** Alerts escalate two days from now and obligations fall due no sooner than tomorrow: the scheduler stays idle. */
const ALERTING_SQL = [
  `${PLAN} INSERT INTO case_directory (case_id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_status)
     SELECT case_id, '${COUNCIL}', case_reference, '${TEAM}', worker_id, 'tm.sam', 'child-protection-plan' FROM c`,
  `${PLAN} INSERT INTO obligations (id, case_id, council_id, child_id, kind, rule_id, due_date, overdue_at, explanation, responsible_team_id,
                                    responsible_worker_id, status, source_event_id, next_alert_at)
     SELECT visit_id, case_id, '${COUNCIL}', child_id, 'visit', 'cp-visit', visit_due, overdue_at, ${VISIT}, '${TEAM}', worker_id, 'open',
            ${uuidOf("'console-event-' || n")}, CASE situation WHEN 'drift' THEN NULL WHEN 'warning' THEN overdue_at ELSE overdue_at - interval '2 days' END
       FROM p`,
  `${PLAN}, a AS (SELECT p.*, n % 3 = 0 AS acknowledged, n % 5 = 1 AS escalated FROM p WHERE situation = 'drift')
   INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation, state, team_id,
                       worker_id, escalation_step, recipient_id, raised_at, escalates_at, acknowledged_by, acknowledged_at)
     SELECT ${uuidOf("'console-alert-' || n")}, visit_id::text, 'drift', visit_due, visit_id, case_id, '${COUNCIL}', child_id, 'visit', 'critical',
            ${VISIT}, CASE WHEN acknowledged THEN 'acknowledged' ELSE 'open' END, '${TEAM}', worker_id, CASE WHEN escalated THEN 1 ELSE 0 END,
            CASE WHEN escalated THEN 'tm.sam' ELSE worker_id END, overdue_at + interval '1 minute',
            CASE WHEN acknowledged THEN NULL ELSE now() + interval '2 days' END, CASE WHEN acknowledged THEN worker_id END,
            CASE WHEN acknowledged THEN overdue_at + interval '3 hours' END
       FROM a`,
  `${PLAN} INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation, state,
                               team_id, worker_id, recipient_id, raised_at)
     SELECT ${uuidOf("'console-alert-' || n")}, visit_id::text, 'warning-2-working-days', visit_due, visit_id, case_id, '${COUNCIL}', child_id,
            'visit', 'warning', ${VISIT}, 'open', '${TEAM}', worker_id, worker_id, now() - interval '1 hour' * (n % 30)
       FROM p WHERE situation = 'warning'`,
  `${PLAN} INSERT INTO alerts (id, subject_key, level, due_date, obligation_id, case_id, council_id, child_id, kind, severity, explanation, state,
                               team_id, worker_id, recipient_id, raised_at, escalates_at)
     SELECT ${uuidOf("'console-alert-' || n")}, child_id::text, 'projected-drift', $1::date + 60, NULL, case_id, '${COUNCIL}', child_id,
            'proceedings-completion', 'high', 'the timetable as listed ends after the 26-week limit (benchmark data)', 'open', '${TEAM}',
            worker_id, worker_id, now() - interval '1 day' * (n % 20), now() + interval '2 days'
       FROM p WHERE situation = 'projected'`,
];

interface Figures {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))].toFixed(1));
  return { requests: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: at(1) };
}

/** Which of the page's calls a request is, for the per-call figures. */
function callName(url: URL): string {
  const query = url.searchParams;
  if (url.pathname === '/alerts') return `GET /alerts severity=${query.get('severity')}${query.get('cursor') ? ' (next page)' : ''}`;
  if (url.pathname === '/cases') return `GET /cases page=${query.get('page')}`;
  return `GET ${url.pathname}`;
}

async function main() {
  const startedAt = Date.now();
  const stack = new TestStack();
  const quiet = { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000' };
  const cases = stack.service('cases', quiet);
  const alerting = stack.service('alerting', { ...quiet, ALERT_DIGEST_ENABLED: 'false' });
  // The team page reads cases and alerting; PLO is only named in the console's configuration.
  const plo = stack.service('plo');
  try {
    console.log('starting cases and alerting (migrations) …');
    await Promise.all([cases.start(), alerting.start()]);
    const consoleApp = await stack.console({ cases, plo, alerting }, quiet).start();
    const today = londonDateOf(new Date());
    for (const sql of CASES_SQL) await stack.sql('cases', sql, [today]);
    for (const sql of ALERTING_SQL) await stack.sql('alerting', sql, [today]);
    await Promise.all([stack.sql('cases', 'VACUUM ANALYZE'), stack.sql('alerting', 'VACUUM ANALYZE')]);

    const token = await stack.token({ subject: 'tm.sam', councilId: COUNCIL, roles: ['team-manager'], teamIds: [TEAM] });
    const calls = new Map<string, number[]>();
    const started = new WeakMap<Request, number>();
    const api = apiClients({ cases: cases.url, plo: plo.url, alerting: alerting.url }, async () => token);
    for (const client of [api.cases, api.alerting]) {
      client.use({
        onRequest: ({ request }) => void started.set(request, performance.now()),
        onResponse: ({ request }) => {
          const name = callName(new URL(request.url));
          calls.set(name, [...(calls.get(name) ?? []), performance.now() - started.get(request)!]);
        },
      });
    }
    const fanOut = async () => {
      const data = await readTeam(api, COUNCIL, TEAM);
      if (data.alerts.length !== 500 || data.cases.length !== CASES)
        throw new Error(`the APIs gave ${data.alerts.length} alerts, ${data.cases.length} cases`);
    };

    const users = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const user = new ConsoleUser(consoleApp.url);
        await user.signInAs('tm.sam');
        return user;
      }),
    );
    const page = async (user: ConsoleUser) => {
      const response = await user.request('/team');
      const html = await response.text();
      if (response.status !== 200 || !html.trimEnd().endsWith('</html>')) throw new Error(`/team answered ${response.status}`);
      return html;
    };
    const first = textOf(await page(users[0]));
    for (const shown of [
      'Open drift alerts 300',
      'Warnings and projections 200',
      'Open cases 200',
      'Critical (300)',
      'High (50)',
      'Warning (150)',
    ])
      if (!first.includes(shown)) throw new Error(`the page does not show "${shown}"`);
    console.log(
      `seeded and checked in ${((Date.now() - startedAt) / 1000).toFixed(0)} s: 200 cases, 500 children, 500 active alerts in ${TEAM}`,
    );

    const timed = async (work: () => Promise<unknown>) => {
      const start = performance.now();
      await work();
      return performance.now() - start;
    };
    // Warm-up: JIT, connection pools, Postgres caches.
    for (let i = 0; i < 20; i += 1) await Promise.all([page(users[0]), fanOut()]);
    calls.clear();

    const sequential = { page: [] as number[], apis: [] as number[] };
    for (let i = 0; i < REQUESTS; i += 1) {
      sequential.page.push(await timed(() => page(users[0])));
      sequential.apis.push(await timed(fanOut));
    }
    const sequentialCalls = new Map(calls);
    calls.clear();

    const concurrent = { page: [] as number[], apis: [] as number[] };
    const perWorker = Math.ceil(REQUESTS / CONCURRENCY);
    await Promise.all(
      users.map(async (user) => {
        for (let i = 0; i < perWorker; i += 1) concurrent.page.push(await timed(() => page(user)));
      }),
    );
    await Promise.all(
      users.map(async () => {
        for (let i = 0; i < perWorker; i += 1) concurrent.apis.push(await timed(fanOut));
      }),
    );

    const runs = {
      sequential: { page: figures(sequential.page), apis: figures(sequential.apis) },
      [`concurrency${CONCURRENCY}`]: { page: figures(concurrent.page), apis: figures(concurrent.apis) },
    };
    const perCall = Object.fromEntries(
      [...sequentialCalls].sort(([a], [b]) => a.localeCompare(b)).map(([name, samples]) => [name, figures(samples)]),
    );

    console.log(
      `\n${'run'.padEnd(16)}${'what'.padEnd(8)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}`,
    );
    for (const [run, { page: p, apis: a }] of Object.entries(runs)) {
      for (const [what, f] of [
        ['page', p],
        ['APIs', a],
      ] as const)
        console.log(
          `${run.padEnd(16)}${what.padEnd(8)}${`${f.p50Ms} ms`.padStart(10)}${`${f.p95Ms} ms`.padStart(10)}${`${f.p99Ms} ms`.padStart(10)}${`${f.maxMs} ms`.padStart(10)}`,
        );
      console.log(
        `${''.padEnd(16)}${'console'.padEnd(8)}${`+${(p.p50Ms - a.p50Ms).toFixed(1)}`.padStart(10)}${`+${(p.p95Ms - a.p95Ms).toFixed(1)}`.padStart(10)}${`+${(p.p99Ms - a.p99Ms).toFixed(1)}`.padStart(10)}`,
      );
    }
    console.log(`\neach API call, one page at a time (${REQUESTS} pages):`);
    for (const [name, f] of Object.entries(perCall))
      console.log(
        `  ${name.padEnd(42)} ×${String(f.requests / REQUESTS).padEnd(3)} p50 ${f.p50Ms} ms, p95 ${f.p95Ms} ms, p99 ${f.p99Ms} ms`,
      );
    const met = runs.sequential.page.p95Ms <= TARGET_P95_MS;
    console.log(`\npage p95 one at a time: ${runs.sequential.page.p95Ms} ms (target ≤ ${TARGET_P95_MS} ms ${met ? '✓' : '✗'})`);

    const report = {
      benchmark: 'console',
      ranAt: new Date().toISOString(),
      machine: machine(),
      data: { team: TEAM, cases: CASES, children: 500, activeAlerts: 500, pageBytes: Buffer.byteLength(await page(users[0])) },
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      runs,
      perCall,
      target: { pageP95Ms: TARGET_P95_MS, met },
      seconds: Math.round((Date.now() - startedAt) / 1000),
    };
    console.log(`wrote ${writeReport('console', report)} (${report.seconds} s)`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
