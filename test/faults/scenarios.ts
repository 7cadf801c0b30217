import { randomUUID } from 'node:crypto';
import { deadLetterTopic, EventEnvelope, Topics } from '@plo/contracts';
import { delay, PrivateBroker, PrivatePostgres, ServiceName, ServiceProcess } from '@plo/testing';
import { AlertingScenario, setClock } from '../alerting-support';
import { metric, request } from '../api';
import { clusterScenarios } from './cluster-scenarios';
import { FaultScenario, Progress, RunResult, settle, tally } from './harness';
import { NaiveConsumerControl } from './naive-control';
import { Pipeline } from './pipeline';

/** Cases opened per run through the API; FAULT_STREAM scales every scenario's stream. */
const STREAM = Number(process.env.FAULT_STREAM ?? 100);

function pipelineScenario(
  name: string,
  proves: string,
  options: ConstructorParameters<typeof Pipeline>[0],
  fault: (pipeline: Pipeline, progress: Progress) => Promise<Record<string, number> | void>,
  around: {
    before?: () => Promise<void>;
    after?: () => Promise<void>;
    mustBeAtLeast?: Record<string, number>;
    /** The stream's count is a minimum: it runs on until the fault is over. */
    streamUntilFaultOver?: boolean;
  } = {},
): FaultScenario {
  let pipeline: Pipeline;
  return {
    name,
    proves,
    mustBeAtLeast: around.mustBeAtLeast,
    async setUp() {
      await around.before?.();
      pipeline = new Pipeline(options);
      await pipeline.start();
    },
    async run(progress) {
      let observations: Record<string, number> = {};
      const acknowledged = await pipeline.stream(
        STREAM,
        Math.round(STREAM * 0.4),
        async () => void (observations = (await fault(pipeline, progress)) ?? {}),
        progress,
        { throughoutFault: around.streamUntilFaultOver },
      );
      const effects = await pipeline.checkCases(acknowledged);
      if (effects.some((e) => e.lost > 0)) progress(`effects missing; diagnostics:\n${await pipeline.diagnose()}`);
      return { effects, observations: { acknowledged: acknowledged.length, ...observations } };
    },
    async tearDown() {
      await pipeline?.stop();
      await around.after?.();
    },
  };
}

function sigkill(service: ServiceName): FaultScenario {
  return pipelineScenario(
    `SIGKILL ${service}`,
    `${service} dies without warning mid-stream and is restarted: every acknowledged case still reaches every service and raises one alert and one webhook`,
    {},
    (pipeline, progress) => pipeline.killAndRestart(service, progress),
  );
}

function brokerRestart(): FaultScenario {
  const broker = new PrivateBroker(19_192);
  return pipelineScenario(
    'SIGKILL Kafka broker',
    'the (private) broker is SIGKILLed mid-stream and restarted 2 s later: the outboxes hold what it could not take, nothing lost or applied twice',
    { brokers: broker.brokers },
    async (_pipeline, progress) => {
      await broker.kill();
      progress('broker killed (SIGKILL)');
      await delay(2000);
      await broker.start();
      progress('broker restarted');
    },
    { before: () => broker.start(), after: () => broker.destroy() },
  );
}

function postgresRestart(): FaultScenario {
  const server = new PrivatePostgres(15_433);
  return pipelineScenario(
    'Postgres immediate restart',
    'the (private) PostgreSQL server every service uses crashes (pg_ctl restart -m immediate) mid-stream: transactions in flight roll back and are retried, nothing committed is lost',
    { postgresAdminUrl: server.adminUrl },
    async (_pipeline, progress) => {
      await server.restartImmediately();
      progress('postgres restarted in immediate mode');
    },
    { before: () => server.start(), after: () => server.destroy() },
  );
}

function duplicateDelivery(): FaultScenario {
  return pipelineScenario(
    'duplicate delivery',
    'every case event already on the topic is produced again mid-stream: both consumers recognise each copy and apply nothing twice',
    {},
    async (pipeline, progress) => {
      const absorbedBefore = await pipeline.duplicatesAbsorbed();
      const published = await pipeline.stack.readTopic(Topics.caseEvents);
      await pipeline.stack.produce(
        Topics.caseEvents,
        published.map(({ key, value }) => ({ key: key!, value })),
      );
      progress(`${published.length} case events produced a second time`);
      // plo and alerting each consume every copy.
      const expected = 2 * published.length;
      let absorbed: number;
      const deadline = Date.now() + 60_000;
      while ((absorbed = (await pipeline.duplicatesAbsorbed()) - absorbedBefore) < expected && Date.now() < deadline) await delay(250);
      return { redelivered: published.length, duplicatesRecognised: absorbed };
    },
  );
}

/**
 * Two instances of every service, and a third of each started once the stream is under way and
 * stopped (SIGTERM) once it has done work of its own: plo's and alerting's consumer groups rebalance
 * twice, the cases instances take the outbox relay's lock in turns, and alerting's schedulers claim
 * the overdue visits together. The stream runs until the third instances have left and the others
 * have carried on without them, however long the newcomers took to start on a loaded machine.
 */
function severalInstances(): FaultScenario {
  const SERVICES: ServiceName[] = ['cases', 'plo', 'alerting'];
  const WORK: Record<ServiceName, [sample: string, labels?: string]> = {
    cases: ['outbox_published_total'],
    plo: ['consumer_handler_seconds_count', 'outcome="applied"'],
    alerting: ['consumer_handler_seconds_count', 'outcome="applied"'],
  };
  const sum = (counts: number[]) => counts.reduce((total, n) => total + n, 0);
  return pipelineScenario(
    'several instances',
    'two instances of each service, a third of each started mid-stream, stopped (SIGTERM) once it has done work of its own, and the stream carried on by the others: consumer groups rebalance, the relay moves between instances, the schedulers share the drift; nothing lost or applied twice',
    // Their rate limits shared through the local Redis (scripts/redis.sh), as several instances would run.
    { instances: 2, env: { RATE_LIMIT_STORE: process.env.RATE_LIMIT_STORE ?? 'redis://127.0.0.1:6379' } },
    async (pipeline, progress) => {
      const third = new Map<ServiceName, ServiceProcess>();
      const started = Date.now();
      // Together, so that they join sooner; each waits for its own readiness.
      await Promise.all(SERVICES.map(async (name) => third.set(name, await pipeline.addInstance(name))));
      const observed: Record<string, number> = { thirdStartSeconds: Math.round((Date.now() - started) / 1000) };
      progress(`a third instance of cases, plo and alerting healthy after ${observed.thirdStartSeconds} s`);
      const own = async (name: ServiceName) => {
        const [sample, labels] = WORK[name];
        return metric(await (await fetch(`${third.get(name)!.url}/metrics`)).text(), sample, labels);
      };
      // Stopped only once each has done work of its own (the stream runs on meanwhile); bounded, so an
      // idle newcomer shows as 0 below rather than hanging the run.
      const deadline = Date.now() + 90_000;
      const done = new Map<ServiceName, number>();
      while (Date.now() < deadline) {
        for (const name of SERVICES) done.set(name, await own(name));
        if ([...done.values()].every((n) => n > 0)) break;
        await delay(250);
      }
      observed.thirdCasesPublished = done.get('cases')!;
      observed.thirdPloApplied = done.get('plo')!;
      observed.thirdAlertingApplied = done.get('alerting')!;
      progress(`the third instances did ${JSON.stringify(Object.fromEntries(done))}`);
      const sample = async () => {
        const busy = (counts: number[]) => counts.filter((n) => n > 0).length;
        return {
          casesInstancesPublishing: busy(await pipeline.metricOfEach('cases', 'outbox_published_total')),
          ploInstancesApplying: busy(await pipeline.metricOfEach('plo', ...WORK.plo)),
          alertingInstancesApplying: busy(await pipeline.metricOfEach('alerting', ...WORK.alerting)),
          alertingInstancesRaisingDrift: busy(await pipeline.metricOfEach('alerting', 'alerts_raised_total', 'level="drift"')),
        };
      };
      Object.assign(observed, await sample());
      for (const name of SERVICES) await pipeline.stopInstance(name, third.get(name)!);
      progress('the third instances stopped (SIGTERM)');
      // The two left must carry on: more cases acknowledged, and applied by the remaining consumers
      // (the checker then finds every acknowledged case, those written after the stop included).
      const acknowledgedAtStop = pipeline.acknowledgedSoFar;
      const appliedAtStop = {
        plo: sum(await pipeline.metricOfEach('plo', ...WORK.plo)),
        alerting: sum(await pipeline.metricOfEach('alerting', ...WORK.alerting)),
      };
      const after = async () => ({
        acknowledgedAfterThirdLeft: pipeline.acknowledgedSoFar - acknowledgedAtStop,
        ploAppliedAfterThirdLeft: sum(await pipeline.metricOfEach('plo', ...WORK.plo)) - appliedAtStop.plo,
        alertingAppliedAfterThirdLeft: sum(await pipeline.metricOfEach('alerting', ...WORK.alerting)) - appliedAtStop.alerting,
      });
      const carriedOnBy = Date.now() + 60_000;
      let carried = await after();
      while (
        Date.now() < carriedOnBy &&
        !(carried.acknowledgedAfterThirdLeft >= 10 && carried.ploAppliedAfterThirdLeft > 0 && carried.alertingAppliedAfterThirdLeft > 0)
      ) {
        await delay(250);
        carried = await after();
      }
      Object.assign(observed, carried);
      // The counters only grow: the most instances that had done some of each.
      for (const [key, value] of Object.entries(await sample())) observed[key] = Math.max(observed[key], value);
      return observed;
    },
    {
      streamUntilFaultOver: true,
      mustBeAtLeast: {
        // Two of each at least: one instance doing everything would prove nothing about sharing.
        casesInstancesPublishing: 2,
        ploInstancesApplying: 2,
        alertingInstancesApplying: 2,
        alertingInstancesRaisingDrift: 2,
        // The newcomer of each consuming service took a share before it left.
        thirdPloApplied: 1,
        thirdAlertingApplied: 1,
        // And the others carried on without it.
        acknowledgedAfterThirdLeft: 10,
        ploAppliedAfterThirdLeft: 1,
        alertingAppliedAfterThirdLeft: 1,
      },
    },
  );
}

/** 1 % of obligation events cannot be applied (an impossible date, or no obligation id). */
function poison(): FaultScenario {
  let pipeline: Pipeline;
  let events: AlertingScenario;
  return {
    name: '1% poison messages',
    proves:
      'one message in a hundred is invalid: each is dead-lettered (table and topic) by both consumers, every good event behind it is applied once',
    async setUp() {
      pipeline = new Pipeline({ services: ['alerting', 'plo'] });
      await pipeline.start();
      events = new AlertingScenario(pipeline.stack);
    },
    async run(progress): Promise<RunResult> {
      const good: string[] = [];
      const bad: string[] = [];
      const goodCases: string[] = [];
      const messages: EventEnvelope[] = [];
      for (let i = 0; i < STREAM * 5; i += 1) {
        const caseId = randomUUID();
        const visit = events.visitScheduled(caseId, randomUUID(), '2026-11-16');
        // One obligation in fifty is one message in a hundred.
        if (i % 50 === 25) {
          Object.assign(visit.data as object, i % 100 === 25 ? { dueDate: '2026-02-30' } : { obligationId: undefined });
          bad.push(visit.id);
        } else {
          good.push(visit.id);
          goodCases.push(caseId);
        }
        messages.push(events.caseOpened(caseId), visit);
      }
      for (let start = 0; start < messages.length; start += 100) {
        await events.publish(Topics.caseEvents, messages.slice(start, start + 100));
        await delay(20);
      }
      progress(`${messages.length} events produced, ${bad.length} of the obligations poisoned`);
      const processed = async (service: ServiceName, outcome: string) =>
        (
          await pipeline.stack.sql<{ message_id: string }>(
            service,
            'SELECT message_id FROM processed_events WHERE outcome = $1 AND message_id = ANY($2)',
            [outcome, [...good, ...bad]],
          )
        ).map((r) => r.message_id);
      const deadLettered = async (service: ServiceName) =>
        (
          await pipeline.stack.sql<{ message_id: string }>(service, 'SELECT message_id FROM dead_letters WHERE message_id = ANY($1)', [bad])
        ).map((r) => r.message_id);
      const onDeadLetterTopic = async (service: ServiceName) =>
        (await pipeline.watch(deadLetterTopic(service))).map((value) => JSON.parse(JSON.parse(value).original.value).id as string);
      const effects = await settle(async () => [
        tally('alerting: good obligations applied', good, await processed('alerting', 'applied')),
        ...(await pipeline.alertEffects(goodCases)),
        tally('alerting: poison dead-lettered', bad, await deadLettered('alerting')),
        tally('alerting: poison on dead-letter topic', bad, await onDeadLetterTopic('alerting')),
        tally('plo: good obligations passed', good, await processed('plo', 'ignored')),
        tally('plo: poison dead-lettered', bad, await deadLettered('plo')),
      ]);
      return { effects, observations: { events: messages.length, poison: bad.length } };
    },
    tearDown: () => pipeline?.stop(),
  };
}

/**
 * The alerting service's clock jumps forward an hour, across the midnight at which half the stream's
 * visits become overdue, while obligations keep arriving. Each run starts two days after the last.
 */
function clockJump(): FaultScenario {
  let pipeline: Pipeline;
  let events: AlertingScenario;
  let day = Date.UTC(2027, 1, 1);
  return {
    name: 'clock jump +1 h',
    proves:
      "alerting's clock jumps an hour across the midnight its obligations fall due, mid-stream: each overdue obligation is alerted exactly once, none not yet due is alerted",
    mustBeZero: ['alertsBeforeDue'],
    async setUp() {
      pipeline = new Pipeline({ services: ['alerting'], alertingEnv: { TEST_CLOCK_ENABLED: 'true', NODE_ENV: 'test' } });
      await pipeline.start();
      events = new AlertingScenario(pipeline.stack);
    },
    async run(progress): Promise<RunResult> {
      day += 2 * 86_400_000;
      const dueDate = new Date(day).toISOString().slice(0, 10);
      const nextDay = new Date(day + 86_400_000).toISOString().slice(0, 10);
      await setClock(pipeline.stack, [pipeline.url('alerting')], `${dueDate}T23:15:00Z`);
      const falling: string[] = [];
      const later: string[] = [];
      for (let chunk = 0; chunk < 10; chunk += 1) {
        if (chunk === 5) {
          const jumped = await request(
            'PUT',
            `${pipeline.url('alerting')}/test/clock`,
            { advanceMs: 3_600_000 },
            await pipeline.administrator(),
          );
          progress(`clock jumped to ${jumped.body.now}`);
        }
        const batch: EventEnvelope[] = [];
        for (let i = 0; i < STREAM / 5; i += 1) {
          const caseId = randomUUID();
          const dueLater = i % 4 === 0;
          (dueLater ? later : falling).push(caseId);
          batch.push(events.caseOpened(caseId), events.visitScheduled(caseId, randomUUID(), dueLater ? nextDay : dueDate));
        }
        await events.publish(Topics.caseEvents, batch);
        await delay(100);
      }
      progress(`${falling.length} obligations due ${dueDate}, ${later.length} due ${nextDay}`);
      const effects = await settle(async () => [
        tally(
          'alerting: obligations',
          [...falling, ...later],
          (
            await pipeline.stack.sql<{ case_id: string }>('alerting', 'SELECT case_id FROM obligations WHERE case_id = ANY($1)', [
              [...falling, ...later],
            ])
          ).map((r) => r.case_id),
        ),
        ...(await pipeline.alertEffects(falling)),
      ]);
      const [early] = await pipeline.stack.sql<{ n: number }>(
        'alerting',
        `SELECT count(*)::int AS n FROM alerts WHERE level = 'drift' AND case_id = ANY($1)`,
        [later],
      );
      return { effects, observations: { alertsBeforeDue: early.n } };
    },
    tearDown: () => pipeline?.stop(),
  };
}

/**
 * Every scenario, the real ones first and the control last; a new set of objects per call. The
 * three-broker cluster's scenarios take minutes and a cluster, so only the suite asks for them.
 */
export function faultScenarios({ withCluster = false } = {}): FaultScenario[] {
  return [
    sigkill('cases'),
    sigkill('plo'),
    sigkill('alerting'),
    brokerRestart(),
    postgresRestart(),
    duplicateDelivery(),
    poison(),
    clockJump(),
    severalInstances(),
    ...(withCluster ? clusterScenarios(STREAM) : []),
    new NaiveConsumerControl(),
  ];
}
