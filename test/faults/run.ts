// The fault suite: every scenario in test/faults/scenarios.ts, FAULT_RUNS times each (default 3),
// with progress on stderr, a table of sent / arrived / lost / duplicated per run, and
// bench/results/faults.json. Exits non-zero if a real scenario lost or duplicated anything, or if the
// naive control showed nothing (then the checker could not be trusted either).
//
//   npm run faults                       (builds, ensures Kafka and Postgres, runs everything)
//   FAULT_RUNS=1 FAULT_ONLY=poison npm run faults
//   FAULT_STREAM=100                     cases per run (other streams scale with it)
//   FAULT_ONLY=cluster                   the three-broker cluster's scenarios (started here if down,
//                                        and stopped again at the end if so)
//   FAULT_CLUSTER_OUTAGE_MS=60000        how long the outage scenario keeps a broker away
import { anomalies, EffectCount, FaultScenario } from './harness';
import { sharedCluster } from './cluster-scenarios';
import { faultScenarios } from './scenarios';
import { machine, writeReport } from '../../bench/report';

const RUNS = Number(process.env.FAULT_RUNS ?? 3);
const ONLY = process.env.FAULT_ONLY?.toLowerCase();

interface Row {
  scenario: string;
  run: number;
  seconds: number;
  effects: EffectCount[];
  observations: Record<string, number>;
  anomalies: number;
  error?: string;
}

async function main() {
  const started = Date.now();
  const scenarios = faultScenarios({ withCluster: true }).filter((s) => !ONLY || s.name.toLowerCase().includes(ONLY));
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    const progress = (line: string) => console.error(`[${elapsed(started)}] ${scenario.name}: ${line}`);
    progress('setting up');
    try {
      await scenario.setUp(progress);
      for (let run = 1; run <= RUNS; run += 1) {
        const runStarted = Date.now();
        progress(`run ${run}/${RUNS}`);
        try {
          const result = await scenario.run(progress);
          const row = {
            scenario: scenario.name,
            run,
            seconds: (Date.now() - runStarted) / 1000,
            ...result,
            anomalies: anomalies(scenario, result),
          };
          rows.push(row);
          progress(`run ${run}: ${summary(row.effects)}${row.anomalies ? ` (${row.anomalies} anomalies)` : ''}`);
          progress(
            `run ${run} observed: ${Object.entries(row.observations)
              .map(([key, value]) => `${key}=${value}`)
              .join(' ')}`,
          );
        } catch (error) {
          rows.push({
            scenario: scenario.name,
            run,
            seconds: (Date.now() - runStarted) / 1000,
            effects: [],
            observations: {},
            anomalies: 0,
            error: String(error),
          });
          progress(`run ${run} failed: ${String(error)}`);
        }
      }
    } catch (error) {
      rows.push({ scenario: scenario.name, run: 0, seconds: 0, effects: [], observations: {}, anomalies: 0, error: String(error) });
      progress(`set-up failed: ${String(error)}`);
    } finally {
      progress('tearing down');
      await scenario.tearDown().catch((error) => progress(`tear-down failed: ${String(error)}`));
    }
  }

  await sharedCluster.release().catch((error) => console.error(`stopping the three-broker cluster failed: ${String(error)}`));
  printTable(rows);
  const verdicts = scenarios.map((scenario) =>
    verdict(
      scenario,
      rows.filter((r) => r.scenario === scenario.name),
    ),
  );
  for (const v of verdicts) console.log(`${v.ok ? 'ok  ' : 'FAIL'} ${v.scenario}: ${v.why}`);
  const result = {
    benchmark: 'faults',
    ranAt: new Date().toISOString(),
    machine: machine(),
    runsPerScenario: RUNS,
    totalSeconds: (Date.now() - started) / 1000,
    scenarios: scenarios.map((s) => ({
      name: s.name,
      proves: s.proves,
      control: Boolean(s.control),
      ...verdicts.find((v) => v.scenario === s.name),
    })),
    runs: rows,
  };
  console.log(`${scenarios.length} scenarios × ${RUNS} runs in ${elapsed(started)}; written to ${writeReport('faults', result)}`);
  process.exit(verdicts.every((v) => v.ok) ? 0 : 1);
}

/** A real scenario passes with no anomaly in any run; the control passes when every run shows some. */
function verdict(scenario: FaultScenario, runs: Row[]) {
  const failed = runs.filter((r) => r.error);
  if (failed.length || runs.length < RUNS)
    return { scenario: scenario.name, ok: false, why: `${failed.length} run(s) did not complete: ${failed[0]?.error ?? 'missing'}` };
  const total = runs.reduce((sum, r) => sum + r.anomalies, 0);
  if (scenario.control) {
    const blind = runs.filter((r) => r.anomalies === 0).length;
    return {
      scenario: scenario.name,
      ok: blind === 0,
      why: blind ? `${blind} run(s) showed no anomaly: the checker cannot be trusted` : `${total} anomalies seen, as expected`,
    };
  }
  return {
    scenario: scenario.name,
    ok: total === 0,
    why: total ? `${total} effects lost or duplicated` : 'nothing lost, nothing duplicated',
  };
}

function summary(effects: EffectCount[]) {
  const sum = (key: 'sent' | 'arrived' | 'lost' | 'duplicated') => effects.reduce((total, e) => total + e[key], 0);
  return `sent ${sum('sent')}, arrived ${sum('arrived')}, lost ${sum('lost')}, duplicated ${sum('duplicated')} over ${effects.length} effect kinds`;
}

function printTable(rows: Row[]) {
  const lines = [['scenario', 'run', 'effect', 'sent', 'arrived', 'lost', 'duplicated', 'seconds']];
  for (const row of rows) {
    if (row.error) lines.push([row.scenario, String(row.run), `ERROR ${row.error.slice(0, 60)}`, '', '', '', '', row.seconds.toFixed(1)]);
    for (const e of row.effects)
      lines.push([
        row.scenario,
        String(row.run),
        e.effect,
        String(e.sent),
        String(e.arrived),
        String(e.lost),
        String(e.duplicated),
        row.seconds.toFixed(1),
      ]);
  }
  const widths = lines[0].map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  for (const line of lines)
    console.log(line.map((cell, column) => (column >= 3 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  '));
}

function elapsed(since: number) {
  const seconds = Math.round((Date.now() - since) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
