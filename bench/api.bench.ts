/**
 * API benchmark (issue 8, benchmark 3; issue 19): the busiest reads, on the real built services (Nest
 * on Fastify), beside a bare Fastify server running the same SQL and writing the same audit row
 * against the same databases, measured in the same run.
 *
 *   open alerts   GET /alerts?teamId=<team>&state=open   a team manager's open alerts (alerting)
 *   case record   GET /cases/<id>   a case with its children, legal-status and allocation histories,
 *                 placements and every obligation, met and open (cases)
 *
 * Data (BENCH_CASES cases, 100,000 by default, 200 to a team): two children per case, each with an
 * open visit and four met ones (1,000,000 obligations in cases), every child's open visit in alerting
 * and one case in four with a drift alert (50 per team, a third acknowledged). Each request is a
 * random team manager reading their own team's alerts, or one of their team's cases.
 *
 * For each read and each of service and baseline: BENCH_RATE requests/s (1,000), then
 * BENCH_STEADY_RATE (500), each for BENCH_SECONDS (15) → p50/p99, errors, non-2xx, wrong answers;
 * and as fast as they answer with 32 connections for BENCH_MAX_SECONDS (15; measured first, in two
 * rounds that alternate service and baseline) → requests/s. Targets:
 * p99 ≤ 20 ms at 1,000/s; service max ≥ 0.85 of the bare Fastify baseline's (issue 19). About five
 * minutes with the default 100,000 cases. Writes bench/results/api.json.
 *
 *   npm run bench:api            (BENCH_CASES=10000 BENCH_SECONDS=5 BENCH_MAX_SECONDS=5 for a quick look)
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TestStack } from '@plo/testing';
import { benchCase, benchTeam, seed } from './bench-data';
import { BenchRequest, LoadFigures, runLoad } from './http-load';
import { machine, writeReport } from './report';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const TEAMS = Number(process.env.BENCH_TEAMS ?? Math.max(1, Math.round(CASES / 200)));
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const STEADY_RATE = Number(process.env.BENCH_STEADY_RATE ?? 500);
const FIXED_SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 15);
const FIXED_RATE_CONNECTIONS = 32;
const MAX_CONNECTIONS = 32;
const MAX_ROUNDS = 2;
const ALERT_EVERY = 4;
const TARGET_P99_MS = 20;
const TARGET_RATIO = 0.85;

interface Read {
  name: string;
  route: string;
  serviceUrl: string;
  next: () => BenchRequest;
  /** What must be equal in the service's and the baseline's answer to one request. */
  essence: (body: any) => unknown;
}

function randomInt(below: number) {
  return Math.floor(Math.random() * below);
}

function serviceDatabaseUrl(stack: TestStack, service: 'cases' | 'alerting') {
  const admin = new URL(process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  return `postgres://plo:plo@${admin.host}/${stack.database(service)}`;
}

async function startBaseline(stack: TestStack, port: number): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, 'api-baseline-server.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      HTTP_PORT: String(port),
      CASES_DATABASE_URL: serviceDatabaseUrl(stack, 'cases'),
      ALERTING_DATABASE_URL: serviceDatabaseUrl(stack, 'alerting'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the baseline server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

/** The same requests to service and baseline must get the same records, else the ratio means nothing. */
async function assertSameAnswers(read: Read, baselineUrl: string) {
  for (let i = 0; i < 20; i += 1) {
    const request = read.next();
    const [service, baseline] = await Promise.all(
      [read.serviceUrl, baselineUrl].map(async (url) => {
        const response = await fetch(url + request.path, { headers: request.headers });
        const body = await response.text();
        if (response.status !== 200 || !request.isRightAnswer(body))
          throw new Error(`${read.name}: ${url}${request.path} answered ${response.status}: ${body.slice(0, 300)}`);
        return JSON.stringify(read.essence(JSON.parse(body)));
      }),
    );
    if (service !== baseline) throw new Error(`${read.name}: service and baseline disagree on ${request.path}:\n${service}\n${baseline}`);
  }
}

async function measure(read: Read, target: 'service' | 'baseline', url: string) {
  console.log(`  ${read.name} — ${target}: ${RATE}/s for ${FIXED_SECONDS} s`);
  const atRate = async (rate: number) => {
    const figures = await runLoad({
      title: `${target} at ${rate}/s`,
      url,
      seconds: FIXED_SECONDS,
      connections: FIXED_RATE_CONNECTIONS,
      rate,
      next: read.next,
    });
    console.log(
      `    p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ${figures.requestsPerSecond}/s, non-2xx ${figures.non2xx}, errors ${figures.errors}, wrong ${figures.wrongAnswers}`,
    );
    return figures;
  };
  const fixedRate = await atRate(RATE);
  console.log(`  ${read.name} — ${target}: ${STEADY_RATE}/s for ${FIXED_SECONDS} s`);
  const steadyRate = await atRate(STEADY_RATE);
  return { fixedRate, steadyRate };
}

/**
 * Most requests/s of service and baseline in alternating rounds (service first, then baseline first),
 * so that a machine whose speed drifts during the run (Postgres settling after the seed, neighbours on
 * the cores) weighs on both alike.
 */
async function maxSideBySide(read: Read, urls: Record<'service' | 'baseline', string>) {
  const rounds: Record<'service' | 'baseline', LoadFigures[]> = { service: [], baseline: [] };
  const seconds = Math.max(1, Math.round(MAX_SECONDS / MAX_ROUNDS));
  for (const target of ['service', 'baseline'] as const)
    await runLoad({
      title: `${read.name}, ${target}, warm-up`,
      url: urls[target],
      seconds: 3,
      connections: 8,
      next: read.next,
      progressEverySeconds: 0,
    });
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (['service', 'baseline'] as const) : (['baseline', 'service'] as const);
    for (const target of order) {
      console.log(
        `  ${read.name} — ${target}: as fast as it answers, ${MAX_CONNECTIONS} connections for ${seconds} s (round ${round + 1})`,
      );
      const figures = await runLoad({ title: `${target} max`, url: urls[target], seconds, connections: MAX_CONNECTIONS, next: read.next });
      console.log(
        `    ${figures.requestsPerSecond}/s (p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms), non-2xx ${figures.non2xx}, errors ${figures.errors}, wrong ${figures.wrongAnswers}`,
      );
      rounds[target].push(figures);
    }
  }
  const combine = (all: LoadFigures[]): LoadFigures & { rounds: number[] } => ({
    requests: sum(all.map((f) => f.requests)),
    requestsPerSecond: Math.round(sum(all.map((f) => f.requests)) / (seconds * all.length)),
    // Percentiles do not average: the worst round's.
    p50Ms: Math.max(...all.map((f) => f.p50Ms)),
    p90Ms: Math.max(...all.map((f) => f.p90Ms)),
    p99Ms: Math.max(...all.map((f) => f.p99Ms)),
    maxMs: Math.max(...all.map((f) => f.maxMs)),
    non2xx: sum(all.map((f) => f.non2xx)),
    errors: sum(all.map((f) => f.errors)),
    timeouts: sum(all.map((f) => f.timeouts)),
    wrongAnswers: sum(all.map((f) => f.wrongAnswers)),
    rounds: all.map((f) => f.requestsPerSecond),
  });
  return { service: combine(rounds.service), baseline: combine(rounds.baseline) };
}

function sum(values: number[]) {
  return values.reduce((total, value) => total + value, 0);
}

function clean(figures: LoadFigures) {
  return figures.requests > 0 && figures.non2xx === 0 && figures.errors === 0 && figures.wrongAnswers === 0;
}

async function main() {
  const startedAt = Date.now();
  const stack = new TestStack();
  // BENCH_SERVICE_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the services under this load.
  const profiling: Record<string, string> = process.env.BENCH_SERVICE_NODE_OPTIONS
    ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS }
    : {};
  const quiet = { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', ...profiling };
  const cases = stack.service('cases', quiet);
  // Digests are a once-a-day burst of writes, not part of a read benchmark.
  const alerting = stack.service('alerting', { ...quiet, ALERT_DIGEST_ENABLED: 'false' });
  let baseline: ChildProcess | undefined;
  try {
    console.log(`starting cases and alerting (migrations) …`);
    await Promise.all([cases.start(), alerting.start()]);
    console.log(`seeding ${CASES.toLocaleString('en-GB')} cases in ${TEAMS} teams …`);
    await Promise.all([
      seed(stack, 'cases', { from: 0, to: CASES, teams: TEAMS }, { history: 4 }),
      seed(stack, 'alerting', { from: 0, to: CASES, teams: TEAMS }, { alertEvery: ALERT_EVERY }),
    ]);
    const [{ obligations }] = await stack.sql<{ obligations: number }>('cases', 'SELECT count(*)::int AS obligations FROM obligations');
    const [{ alerts }] = await stack.sql<{ alerts: number }>('alerting', `SELECT count(*)::int AS alerts FROM alerts WHERE state = 'open'`);
    console.log(
      `seeded in ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${obligations.toLocaleString('en-GB')} obligations in cases, ${alerts.toLocaleString('en-GB')} open alerts`,
    );

    // One after another: the first may create the development key file, which must not race.
    const managers: (ReturnType<typeof benchTeam> & { headers: Record<string, string> })[] = [];
    for (let t = 0; t < TEAMS; t += 1) {
      const team = benchTeam(t);
      managers.push({
        ...team,
        headers: await stack.as({ subject: team.managerId, councilId: team.councilId, roles: ['team-manager'], teamIds: [team.teamId] }),
      });
    }
    const started = await startBaseline(stack, 13_900 + (process.pid % 90));
    baseline = started.process;

    const reads: Read[] = [
      {
        name: 'open alerts',
        route: 'GET /alerts?teamId=…&state=open',
        serviceUrl: alerting.url,
        next: () => {
          const manager = managers[randomInt(TEAMS)];
          return {
            path: `/alerts?teamId=${manager.teamId}&state=open`,
            headers: manager.headers,
            isRightAnswer: (body) =>
              body.includes(`"items":[{"id":`) && body.includes(`"teamId":"${manager.teamId}"`) && !body.includes('"state":"acknowledged"'),
          };
        },
        essence: (body) => body.items.map((alert: { id: string; state: string }) => [alert.id, alert.state]),
      },
      {
        name: 'case record',
        route: 'GET /cases/{id}',
        serviceUrl: cases.url,
        next: () => {
          const record = benchCase(randomInt(CASES), TEAMS);
          return {
            path: `/cases/${record.caseId}`,
            headers: managers[record.teamIndex].headers,
            isRightAnswer: (body) =>
              body.startsWith(`{"id":"${record.caseId}"`) && body.includes('"children":[{') && body.includes('"obligations":[{'),
          };
        },
        // Obligations due the same day and created in the same transaction have no defined order.
        essence: (body) => [
          body.id,
          body.children.map((c: { id: string }) => c.id),
          body.obligations.map((o: { id: string }) => o.id).sort(),
        ],
      },
    ];

    const results = [];
    for (const read of reads) {
      await assertSameAnswers(read, started.url);
      console.log(`${read.name} (${read.route}): service and baseline give the same answers`);
      const maxima = await maxSideBySide(read, { service: read.serviceUrl, baseline: started.url });
      const service = { ...(await measure(read, 'service', read.serviceUrl)), max: maxima.service };
      const bare = { ...(await measure(read, 'baseline', started.url)), max: maxima.baseline };
      if (!clean(bare.fixedRate) || !clean(bare.steadyRate) || !clean(bare.max))
        throw new Error(`${read.name}: the baseline failed requests, so there is nothing to compare with`);
      const ratio = service.max.requestsPerSecond / bare.max.requestsPerSecond;
      results.push({
        read: read.name,
        route: read.route,
        service,
        baseline: bare,
        maxThroughputRatio: Number(ratio.toFixed(2)),
        targets: {
          p99Ms: TARGET_P99_MS,
          p99Met:
            service.fixedRate.p99Ms <= TARGET_P99_MS && service.fixedRate.requestsPerSecond >= RATE * 0.95 && clean(service.fixedRate),
          ratio: TARGET_RATIO,
          ratioMet: ratio >= TARGET_RATIO && clean(service.max),
        },
      });
    }

    console.log(
      `\n${'read'.padEnd(14)}${'target'.padEnd(10)}${`at ${RATE}/s: got`.padStart(16)}${'p50'.padStart(9)}${'p99'.padStart(9)}${`p99 at ${STEADY_RATE}/s`.padStart(16)}${'max req/s'.padStart(11)}${'bad'.padStart(6)}`,
    );
    for (const result of results) {
      for (const [target, figures] of [
        ['service', result.service],
        ['baseline', result.baseline],
      ] as const) {
        const bad = [figures.fixedRate, figures.steadyRate, figures.max].reduce((sum, f) => sum + f.non2xx + f.errors + f.wrongAnswers, 0);
        console.log(
          `${result.read.padEnd(14)}${target.padEnd(10)}${`${figures.fixedRate.requestsPerSecond}/s`.padStart(16)}${`${figures.fixedRate.p50Ms} ms`.padStart(9)}${`${figures.fixedRate.p99Ms} ms`.padStart(9)}${`${figures.steadyRate.p99Ms} ms`.padStart(16)}${String(figures.max.requestsPerSecond).padStart(11)}${String(bad).padStart(6)}`,
        );
      }
      console.log(
        `${''.padEnd(14)}ratio ${result.maxThroughputRatio} (target ≥ ${TARGET_RATIO} ${result.targets.ratioMet ? '✓' : '✗'}), p99 target ≤ ${TARGET_P99_MS} ms ${result.targets.p99Met ? '✓' : '✗'}`,
      );
    }

    const report = {
      benchmark: 'api',
      ranAt: new Date().toISOString(),
      machine: machine(),
      data: { cases: CASES, teams: TEAMS, caseObligations: obligations, openAlerts: alerts },
      rate: RATE,
      steadyRate: STEADY_RATE,
      fixedRateSeconds: FIXED_SECONDS,
      maxSeconds: MAX_SECONDS,
      maxConnections: MAX_CONNECTIONS,
      results,
      seconds: Math.round((Date.now() - startedAt) / 1000),
    };
    console.log(`\nwrote ${writeReport('api', report)} (${report.seconds} s)`);
  } finally {
    baseline?.kill();
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
