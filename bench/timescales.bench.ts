// Throughput of working-day deadline computation, the hot path when alerting recomputes ~10^6 open
// deadlines (e.g. after a bank-holiday table update). Target: ≥ 1,000,000 deadlines/s on one core.
//
// Run from the repository root:
//   npx swc bench libs -d dist --config-file .swcrc && node dist/bench/timescales.bench.js
// Writes bench/results/timescales.json (relative to the working directory).
import {
  type LocalDate,
  RulePack,
  type StandardRuleId,
  computeDeadline,
  defaultCalendar,
  fromEpochDay,
  toEpochDay,
} from '../libs/timescales/src';
import { machine, writeReport } from './report';

const DEADLINES = 1_000_000;
const PROGRESS_EVERY = 200_000;
const TARGET_PER_SECOND = 1_000_000;
const WORKING_DAY_RULES: readonly StandardRuleId[] = [
  'referral-decision',
  'referral-next-step',
  'assessment-completion',
  'icpc',
  'first-core-group',
  'lac-review-first',
  'cp-visit',
  'cmh-advocates-meeting',
  'hearing-bundle',
  'hearing-case-summary',
  'irh-advocates-meeting',
  'visit-due-warning',
];

/** Deterministic inputs (mulberry32), so runs are comparable. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Inputs {
  readonly anchors: LocalDate[];
  readonly offsets: Int32Array;
  readonly ruleIds: StandardRuleId[];
}

// Anchors 2019–2029 keep ±90 working days inside the table's 2018–2030 coverage.
function makeInputs(count: number): Inputs {
  const random = randomSource(20250106);
  const firstAnchor = toEpochDay('2019-01-01' as LocalDate);
  const anchorSpan = toEpochDay('2029-12-31' as LocalDate) - firstAnchor;
  const anchors: LocalDate[] = new Array(count);
  const offsets = new Int32Array(count);
  const ruleIds: StandardRuleId[] = new Array(count);
  for (let i = 0; i < count; i++) {
    anchors[i] = fromEpochDay(firstAnchor + Math.floor(random() * anchorSpan));
    offsets[i] = (Math.floor(random() * 90) + 1) * (random() < 0.25 ? -1 : 1);
    ruleIds[i] = WORKING_DAY_RULES[Math.floor(random() * WORKING_DAY_RULES.length)];
  }
  return { anchors, offsets, ruleIds };
}

interface Measurement {
  readonly name: string;
  readonly operations: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly checksum: number;
}

function measure(name: string, count: number, operation: (index: number) => string): Measurement {
  // Warm up so the JIT has compiled the path before it is timed.
  for (let i = 0; i < Math.min(count, 50_000); i++) operation(i);
  let checksum = 0;
  const started = process.hrtime.bigint();
  let lastProgress = started;
  for (let i = 0; i < count; i++) {
    // Consuming each result keeps the work from being optimised away.
    checksum = (checksum + operation(i).charCodeAt(9)) | 0;
    if ((i + 1) % PROGRESS_EVERY === 0) {
      const now = process.hrtime.bigint();
      const rate = PROGRESS_EVERY / (Number(now - lastProgress) / 1e9);
      console.log(`  ${name}: ${(i + 1).toLocaleString('en-GB')} done, ${Math.round(rate).toLocaleString('en-GB')}/s`);
      lastProgress = now;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name, operations: count, seconds, perSecond: count / seconds, checksum };
}

function main(): void {
  const calendar = defaultCalendar();
  const pack = RulePack.standard(calendar);
  console.log(`Bank-holiday table: ${calendar.table.origin} (${calendar.coverage.from} to ${calendar.coverage.to})`);
  const inputs = makeInputs(DEADLINES);

  console.log(`Computing ${DEADLINES.toLocaleString('en-GB')} working-day deadlines, twice:`);
  const results = [
    measure('addWorkingDays (varied anchors, offsets ±1–90)', DEADLINES, (i) =>
      calendar.addWorkingDays(inputs.anchors[i], inputs.offsets[i]),
    ),
    measure(
      'computeDeadline (working-day rules, with explanation)',
      DEADLINES,
      (i) => computeDeadline(inputs.ruleIds[i], inputs.anchors[i], pack).dueDate,
    ),
  ];

  for (const result of results) {
    const verdict = result.perSecond >= TARGET_PER_SECOND ? 'meets' : 'MISSES';
    console.log(
      `${result.name}: ${Math.round(result.perSecond).toLocaleString('en-GB')} deadlines/s ` +
        `(${result.seconds.toFixed(3)} s; ${verdict} the ${TARGET_PER_SECOND.toLocaleString('en-GB')}/s target)`,
    );
  }

  const report = {
    benchmark: 'timescales',
    measuredAt: new Date().toISOString(),
    machine: machine(),
    targetPerSecond: TARGET_PER_SECOND,
    results: results.map((result) => ({
      ...result,
      perSecond: Math.round(result.perSecond),
      meetsTarget: result.perSecond >= TARGET_PER_SECOND,
    })),
  };
  console.log(`Wrote ${writeReport('timescales', report)}`);
}

main();
