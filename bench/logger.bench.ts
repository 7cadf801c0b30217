// Lines per second through our JsonLogger and through pino (bare, and behind nestjs-pino's Nest
// LoggerService), each writing one JSON line per call with a correlation id to /dev/null.
//
// Run from the repository root:
//   bash scripts/build.sh && node dist/bench/logger.bench.js
// LOGGER_BENCH_LINES (default 200000) lines per run, LOGGER_BENCH_ROUNDS (default 5) runs per logger;
// each run is a fresh process whose stdout is /dev/null, so loggers cannot warm up each other's JIT.
// Prints the median per logger (lines per CPU-second of the logging process, and per wall-clock second)
// and writes bench/results/logger.json.
import { fork } from 'node:child_process';
import { openSync } from 'node:fs';
import { PinoLogger, Logger as NestPinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { JsonLogger } from '../libs/platform/src/json-logger';
import { runWithContext } from '../libs/platform/src/request-context';
import { machine, writeReport } from './report';

const LINES = Number(process.env.LOGGER_BENCH_LINES ?? 200_000);
const ROUNDS = Number(process.env.LOGGER_BENCH_ROUNDS ?? 5);
// A request or consumed event logs a handful of lines under one correlation id.
const LINES_PER_CORRELATION = 5;
const WARM_UP_LINES = 20_000;
const YIELD_EVERY_LINES = 500;

interface Rates {
  wall: number;
  cpu: number;
}

/** The same record shape from every logger: ISO time, level label, service, context, correlation id, message, fields. */
const pinoOptions: pino.LoggerOptions = {
  base: { service: 'bench' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  messageKey: 'msg',
};
const REDACTED = { ...pinoOptions, redact: ['authorization', 'council.token'] };

type Writer = (correlationId: string, lines: number) => void;

const fields = (i: number) => ({ msg: 'obligation scheduled', caseId: 'c-0001', obligationId: `o-${i}`, dueDate: '2027-01-15' });

const LOGGERS: Record<string, { what: string; make: () => Writer }> = {
  'json-logger': {
    what: 'libs/platform JsonLogger (LoggerService), correlation id from AsyncLocalStorage',
    make: () => {
      const logger = new JsonLogger('bench');
      return (correlationId, lines) =>
        runWithContext({ correlationId }, () => {
          for (let i = 0; i < lines; i++) logger.log(fields(i), 'Bench');
        });
    },
  },
  'nestjs-pino': {
    what: 'nestjs-pino Logger (LoggerService) over pino, sync destination, correlation id bound per context',
    make: () => nestPino(pinoOptions, true),
  },
  'nestjs-pino-async': {
    what: 'the same with an asynchronous 4 KiB-buffered destination (lines lost if the process dies)',
    make: () => nestPino(pinoOptions, false),
  },
  'nestjs-pino-redact': {
    what: 'nestjs-pino, sync, with two redaction paths',
    make: () => nestPino(REDACTED, true),
  },
  'pino-child': {
    what: 'bare pino child logger per correlation id, sync destination',
    make: () => {
      const root = pino(pinoOptions, pino.destination({ dest: 1, sync: true }));
      return (correlationId, lines) => {
        const logger = root.child({ context: 'Bench', correlationId });
        for (let i = 0; i < lines; i++) logger.info(fields(i));
      };
    },
  },
};

function nestPino(options: pino.LoggerOptions, sync: boolean): Writer {
  const destination = pino.destination({ dest: 1, sync, minLength: sync ? 0 : 4096 });
  const params = { pinoHttp: [options, destination] as [pino.LoggerOptions, pino.DestinationStream] };
  const pinoLogger = new PinoLogger(params);
  const logger = new NestPinoLogger(pinoLogger, params);
  process.once('beforeExit', () => destination.flushSync());
  return (correlationId, lines) =>
    pinoLogger.runInContext(
      () => {
        for (let i = 0; i < lines; i++) logger.log(fields(i), 'Bench');
      },
      { bindings: { correlationId } },
    );
}

/** Lines per second of wall time and per second of this process's CPU time (steadier on a shared machine). */
async function measure(name: string): Promise<Rates> {
  const write = LOGGERS[name].make();
  const run = async (lines: number) => {
    for (let done = 0; done < lines; done += LINES_PER_CORRELATION) {
      write(`corr-${done}`, LINES_PER_CORRELATION);
      // A service logs between I/O waits; yielding lets an asynchronous destination drain as it would there.
      if (done % YIELD_EVERY_LINES === 0) await new Promise(setImmediate);
    }
  };
  await run(WARM_UP_LINES);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  await run(LINES);
  const cpu = process.cpuUsage(cpuBefore);
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { wall: LINES / wallSeconds, cpu: LINES / ((cpu.user + cpu.system) / 1e6) };
}

async function runInChild(name: string): Promise<Rates> {
  const devNull = openSync('/dev/null', 'w');
  const child = fork(__filename, [name], { stdio: ['ignore', devNull, 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (linesPerSecond) => resolve(linesPerSecond as Rates));
    child.once('exit', (code) => code !== 0 && reject(new Error(`${name} exited with ${code}`)));
  });
}

async function main() {
  const child = process.argv[2];
  if (child) {
    process.send!(await measure(child));
    return;
  }
  const runs: Record<string, Rates[]> = Object.fromEntries(Object.keys(LOGGERS).map((name) => [name, []]));
  // Interleaved rounds, so a burst of load on a shared machine hits every logger alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(LOGGERS)) runs[name].push(await runInChild(name));
  }
  const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
  const results = Object.entries(runs).map(([name, rates]) => ({
    logger: name,
    what: LOGGERS[name].what,
    medianLinesPerCpuSecond: median(rates.map((rate) => rate.cpu)),
    medianLinesPerSecond: median(rates.map((rate) => rate.wall)),
    runs: rates.map((rate) => ({ cpu: Math.round(rate.cpu), wall: Math.round(rate.wall) })),
  }));
  const baseline = results[0].medianLinesPerCpuSecond;
  console.log(`${'logger'.padEnd(20)} ${'lines/CPU-s'.padStart(11)} ${'lines/s'.padStart(9)}  vs ours`);
  for (const result of results) {
    const ratio = (result.medianLinesPerCpuSecond / baseline).toFixed(2);
    console.log(
      `${result.logger.padEnd(20)} ${String(result.medianLinesPerCpuSecond).padStart(11)} ${String(result.medianLinesPerSecond).padStart(9)}  x${ratio}  ${result.what}`,
    );
  }
  const path = writeReport('logger', {
    machine: machine(),
    lines: LINES,
    rounds: ROUNDS,
    linesPerCorrelation: LINES_PER_CORRELATION,
    results,
  });
  console.log(`report: ${path}`);
}

void main();
