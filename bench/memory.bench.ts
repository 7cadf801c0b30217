/**
 * Memory benchmark (issue 8, benchmark 4): the resident memory of each service (cases, plo,
 * alerting) with 10,000 and with 1,000,000 open obligations of its own, under the same load.
 *
 *   cases     cases with two children each, each child's open visit obligation (1,000,000 = 500,000 cases)
 *   plo       proceedings at their stages with a listed hearing, one 26-week clock per child and its
 *             open completion obligation (1,000,000 = 500,000 proceedings)
 *   alerting  every child's open visit obligation, and drift alerts on one case in five
 *
 * At each size the three services are started afresh and warmed up for 10 s, then for
 * BENCH_LOAD_SECONDS (40) each gets BENCH_READ_RATE (50) reads/s of its busiest read by random team
 * managers (a case; proceedings; the team's active alerts) while cases are opened at BENCH_EVENT_RATE
 * (10)/s, whose events flow through Kafka to plo and alerting. process_resident_memory_bytes is
 * sampled every second; the peak counts. Targets: peak at 1,000,000 ≤ 1.1 × peak at 10,000, and
 * ≤ 250 MB — and only under the same load: if a service answered fewer reads/s at one size than
 * 90% of what it answered at another, the sizes are not compared as met.
 *
 *   npm run bench:memory        (BENCH_MEMORY_SIZES=2000,20000 BENCH_LOAD_SECONDS=10 for a quick look)
 */
import { ServiceProcess, TestStack } from '@plo/testing';
import { benchCase, benchTeam, BenchService, CHILDREN_PER_CASE, seed } from './bench-data';
import { BenchRequest, LoadFigures, runLoad } from './http-load';
import { metric } from '../test/api';
import { machine, writeReport } from './report';

const SIZES = (process.env.BENCH_MEMORY_SIZES ?? '10000,1000000').split(',').map(Number);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 40);
const WARM_UP_SECONDS = 10;
const READ_RATE = Number(process.env.BENCH_READ_RATE ?? 50);
const EVENT_RATE = Number(process.env.BENCH_EVENT_RATE ?? 10);
// 200 cases to a team at the largest size, as in a council; the same teams at every size, so that
// the smaller data set is the same teams with fewer cases each.
const TEAMS = 2500;
const ALERT_EVERY = 5;
const TARGET_RATIO = 1.1;
const TARGET_MB = 250;
const SERVICES: BenchService[] = ['cases', 'plo', 'alerting'];

type Headers = Record<string, string>;

function randomInt(below: number) {
  return Math.floor(Math.random() * below);
}

/** Resident memory and the JavaScript heap in use, so a peak can be told apart from a growing heap. */
async function memorySample(service: ServiceProcess): Promise<{ residentBytes: number; heapUsedBytes: number }> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return { residentBytes: metric(text, 'process_resident_memory_bytes'), heapUsedBytes: metric(text, 'nodejs_heap_size_used_bytes') };
}

/** The busiest read of each service, by the manager of the team whose record it is. */
function reads(caseCount: number, managers: Headers[]): Record<BenchService, () => BenchRequest> {
  return {
    cases: () => {
      const record = benchCase(randomInt(caseCount), TEAMS);
      return {
        path: `/cases/${record.caseId}`,
        headers: managers[record.teamIndex],
        isRightAnswer: (body) => body.startsWith(`{"id":"${record.caseId}"`) && body.includes('"obligations":[{'),
      };
    },
    plo: () => {
      const record = benchCase(randomInt(caseCount), TEAMS);
      return {
        path: `/proceedings/${record.proceedingsId}`,
        headers: managers[record.teamIndex],
        isRightAnswer: (body) => body.startsWith(`{"id":"${record.proceedingsId}"`) && body.includes('"children":[{'),
      };
    },
    alerting: () => {
      const team = randomInt(TEAMS);
      return {
        path: `/alerts?teamId=${benchTeam(team).teamId}`,
        headers: managers[team],
        isRightAnswer: (body) => body.includes(`"items":[{"id":`) && body.includes(`"teamId":"${benchTeam(team).teamId}"`),
      };
    },
  };
}

/** Cases opened through the API at a steady rate: their events are the stream plo and alerting consume. */
function openCasesSteadily(cases: ServiceProcess, managers: Headers[], perSecond: number) {
  const outcomes = { opened: 0, failed: 0 };
  let sequence = 0;
  const timer = setInterval(() => {
    sequence += 1;
    const team = benchTeam(sequence % TEAMS);
    const body = {
      councilId: team.councilId,
      caseReference: `LOAD-${Date.now()}-${sequence}`,
      teamId: team.teamId,
      allocatedWorkerId: `sw-${sequence % TEAMS}-0`,
      teamManagerId: team.managerId,
      legalStatus: 'child-protection-plan',
      openedOn: new Date().toISOString().slice(0, 10),
      children: [1, 2].map((k) => ({ firstName: `Load${k}`, lastName: `Bench${sequence}`, dateOfBirth: '2019-04-01', sex: 'female' })),
    };
    fetch(`${cases.url}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...managers[sequence % TEAMS] },
      body: JSON.stringify(body),
    })
      .then((response) => (response.status === 201 ? (outcomes.opened += 1) : (outcomes.failed += 1)))
      .catch(() => (outcomes.failed += 1));
  }, 1000 / perSecond);
  return { outcomes, stop: () => clearInterval(timer) };
}

interface SizeResult {
  openObligations: number;
  seedSeconds: number;
  /** `timeline`: [second of the load, resident MiB, JavaScript heap used MiB], one a second. */
  services: Record<BenchService, { peakMiB: number; endMiB: number; reads: LoadFigures; timeline: [number, number, number][] }>;
  casesOpened: number;
  casesRefused: number;
}

async function measureAtSize(services: Record<BenchService, ServiceProcess>, managers: Headers[], size: number) {
  await Promise.all(SERVICES.map((name) => services[name].start()));
  const next = reads(size / CHILDREN_PER_CASE, managers);
  console.log(`  warm-up for ${WARM_UP_SECONDS} s`);
  await Promise.all(
    SERVICES.map((name) =>
      runLoad({
        title: `${name} warm-up`,
        url: services[name].url,
        seconds: WARM_UP_SECONDS,
        connections: 8,
        rate: READ_RATE,
        next: next[name],
        progressEverySeconds: 0,
      }),
    ),
  );
  const peak: Record<BenchService, number> = { cases: 0, plo: 0, alerting: 0 };
  const timeline: Record<BenchService, [number, number, number][]> = { cases: [], plo: [], alerting: [] };
  const loadStarted = Date.now();
  const sampler = setInterval(() => {
    for (const name of SERVICES) {
      memorySample(services[name])
        .then(({ residentBytes: bytes, heapUsedBytes }) => {
          peak[name] = Math.max(peak[name], bytes);
          timeline[name].push([
            Math.round((Date.now() - loadStarted) / 1000),
            Math.round(bytes / 2 ** 20),
            Math.round(heapUsedBytes / 2 ** 20),
          ]);
        })
        .catch(() => undefined);
    }
  }, 1000);
  const events = openCasesSteadily(services.cases, managers, EVENT_RATE);
  console.log(`  load for ${LOAD_SECONDS} s: ${READ_RATE} reads/s on each service, ${EVENT_RATE} cases opened/s`);
  const figures = await Promise.all(
    SERVICES.map((name) =>
      runLoad({
        title: `${name} reads`,
        url: services[name].url,
        seconds: LOAD_SECONDS,
        connections: 8,
        rate: READ_RATE,
        next: next[name],
        progressEverySeconds: name === 'cases' ? 10 : 0,
      }),
    ),
  );
  events.stop();
  clearInterval(sampler);
  const result = {} as SizeResult['services'];
  for (const [index, name] of SERVICES.entries()) {
    const { residentBytes: end } = await memorySample(services[name]);
    result[name] = {
      peakMiB: Math.round(Math.max(peak[name], end) / 2 ** 20),
      endMiB: Math.round(end / 2 ** 20),
      reads: figures[index],
      timeline: timeline[name],
    };
    const bad = figures[index].non2xx + figures[index].errors + figures[index].wrongAnswers;
    console.log(
      `    ${name.padEnd(9)} peak ${result[name].peakMiB} MiB, at the end ${result[name].endMiB} MiB; ${figures[index].requestsPerSecond} reads/s, p99 ${figures[index].p99Ms} ms, ${bad} bad`,
    );
  }
  await Promise.all(SERVICES.map((name) => services[name].kill('SIGTERM')));
  return { services: result, casesOpened: events.outcomes.opened, casesRefused: events.outcomes.failed };
}

async function main() {
  const startedAt = Date.now();
  const stack = new TestStack();
  const quiet = { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000' };
  const services: Record<BenchService, ServiceProcess> = {
    cases: stack.service('cases', quiet),
    plo: stack.service('plo', quiet),
    // Digests are a once-a-day burst, the same at any size; left out so both sizes see the same load.
    alerting: stack.service('alerting', { ...quiet, ALERT_DIGEST_ENABLED: 'false' }),
  };
  try {
    console.log('creating the schemas (each service migrates its database at start-up) …');
    await Promise.all(SERVICES.map((name) => services[name].start()));
    await Promise.all(SERVICES.map((name) => services[name].kill('SIGTERM')));
    const managers: Headers[] = [];
    for (let t = 0; t < TEAMS; t += 1) {
      const team = benchTeam(t);
      managers.push(
        await stack.as({ subject: team.managerId, councilId: team.councilId, roles: ['team-manager'], teamIds: [team.teamId] }),
      );
    }

    const results: SizeResult[] = [];
    let seededCases = 0;
    for (const size of SIZES) {
      const caseCount = size / CHILDREN_PER_CASE;
      console.log(
        `${size.toLocaleString('en-GB')} open obligations per service: seeding cases ${seededCases.toLocaleString('en-GB')}–${caseCount.toLocaleString('en-GB')} …`,
      );
      const seedStartedAt = Date.now();
      const range = { from: seededCases, to: caseCount, teams: TEAMS };
      await Promise.all(SERVICES.map((name) => seed(stack, name, range, { alertEvery: ALERT_EVERY })));
      seededCases = caseCount;
      const seedSeconds = Math.round((Date.now() - seedStartedAt) / 1000);
      console.log(`  seeded in ${seedSeconds} s; starting the services afresh`);
      results.push({ openObligations: size, seedSeconds, ...(await measureAtSize(services, managers, size)) });
    }

    const [smallest, largest] = [results[0], results[results.length - 1]];
    const summary = Object.fromEntries(
      SERVICES.map((name) => {
        const ratio = largest.services[name].peakMiB / smallest.services[name].peakMiB;
        const peakMB = Math.round((Math.max(...results.map((r) => r.services[name].peakMiB)) * 2 ** 20) / 1e6);
        const readsClean = results.every(
          (r) => r.services[name].reads.non2xx + r.services[name].reads.errors + r.services[name].reads.wrongAnswers === 0,
        );
        const rates = results.map((r) => r.services[name].reads.requestsPerSecond);
        const sameLoad = Math.min(...rates) >= 0.9 * Math.max(...rates);
        return [
          name,
          {
            ratio: Number(ratio.toFixed(2)),
            peakMB,
            met: ratio <= TARGET_RATIO && peakMB <= TARGET_MB && readsClean && sameLoad,
            readsClean,
            sameLoad,
          },
        ];
      }),
    );
    console.log(
      `\n${'service'.padEnd(10)}${results.map((r) => `${r.openObligations.toLocaleString('en-GB')} open`.padStart(16)).join('')}${'ratio'.padStart(8)}  target ≤ ${TARGET_RATIO} and ≤ ${TARGET_MB} MB`,
    );
    for (const name of SERVICES) {
      console.log(
        `${name.padEnd(10)}${results.map((r) => `${r.services[name].peakMiB} MiB`.padStart(16)).join('')}${String(summary[name].ratio).padStart(8)}  ${summary[name].met ? '✓' : '✗'}${summary[name].readsClean ? '' : ' (reads failed)'}${summary[name].sameLoad ? '' : ' (not the same load at every size)'}`,
      );
    }

    const report = {
      benchmark: 'memory',
      ranAt: new Date().toISOString(),
      machine: machine(),
      load: { seconds: LOAD_SECONDS, readsPerSecondPerService: READ_RATE, casesOpenedPerSecond: EVENT_RATE, teams: TEAMS },
      targets: { ratio: TARGET_RATIO, peakMB: TARGET_MB },
      sizes: results,
      summary,
      seconds: Math.round((Date.now() - startedAt) / 1000),
    };
    console.log(`\nwrote ${writeReport('memory', report)} (${report.seconds} s)`);
  } finally {
    await stack.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
