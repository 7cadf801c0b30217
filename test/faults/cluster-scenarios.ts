import { Topics } from '@plo/contracts';
import { delay } from '@plo/testing';
import { FaultScenario, Progress, RunResult } from './harness';
import { KafkaCluster } from './kafka-cluster';
import { Pipeline } from './pipeline';

/** Milliseconds the writer waits between cases: a steady load, not a flood the fault drowns in. */
const PAUSE_MS = Number(process.env.FAULT_CLUSTER_PAUSE_MS ?? 20);
/** How long the stopped broker stays away in the outage scenario. */
const OUTAGE_MS = Number(process.env.FAULT_CLUSTER_OUTAGE_MS ?? 60_000);

type ClusterFault = (cluster: KafkaCluster, pipeline: Pipeline, progress: Progress) => Promise<Record<string, number>>;

/**
 * The three services on the three-broker cluster, their topics created with three copies and two in
 * sync required. Cases are opened throughout the fault and until it is repaired (the ISR full again);
 * then the run waits for every consumer group's lag to be 0, and counts.
 */
function clusterScenario(cluster: KafkaCluster, name: string, proves: string, stream: number, fault: ClusterFault): FaultScenario {
  let pipeline: Pipeline | undefined;
  return {
    name: `cluster: ${name}`,
    proves,
    async setUp(progress) {
      if (await cluster.ensure()) progress('three-broker cluster started');
      await cluster.waitForFullIsr();
      pipeline = new Pipeline({ brokers: cluster.brokers, env: { KAFKA_REPLICATION_FACTOR: '3' } });
      await pipeline.start();
    },
    async run(progress): Promise<RunResult> {
      const running = pipeline!;
      let observations: Record<string, number> = {};
      let faultStarted = new Date();
      const acknowledged = await running.stream(
        stream,
        Math.round(stream * 0.4),
        async () => {
          faultStarted = new Date();
          observations = await fault(cluster, running, progress);
          observations.faultMs = Date.now() - faultStarted.getTime();
        },
        progress,
        { throughoutFault: true, pauseMs: PAUSE_MS },
      );
      const lagZeroMs = await running.waitForZeroLag();
      progress(`${acknowledged.length} cases acknowledged; consumer lag 0 after ${(lagZeroMs / 1000).toFixed(1)} s`);
      const pauses = await running.longestPauses(faultStarted, new Date());
      const effects = await running.checkCases(acknowledged);
      if (effects.some((e) => e.lost > 0)) progress(`effects missing; diagnostics:\n${await running.diagnose()}`);
      return { effects, observations: { acknowledged: acknowledged.length, ...observations, ...pauses, lagZeroMs } };
    },
    async tearDown() {
      await pipeline?.stop();
      pipeline = undefined;
    },
  };
}

export function leaderKill(cluster: KafkaCluster, stream: number): FaultScenario {
  return clusterScenario(
    cluster,
    'SIGKILL the busiest leader',
    'the broker leading the busiest case-events partition is SIGKILLed mid-stream and restarted: the other two elect new leaders, every acknowledged event was already on two brokers, nothing lost or applied twice',
    stream,
    async (cluster, pipeline, progress) => {
      const { node, partition } = await cluster.leaderOfBusiestPartition(pipeline.stack.topic(Topics.caseEvents));
      await cluster.kill(node);
      progress(`broker ${node} (leader of case-events partition ${partition}) killed (SIGKILL)`);
      const killed = Date.now();
      await cluster.startOne(node);
      const restartMs = Date.now() - killed;
      progress(`broker ${node} restarted after ${(restartMs / 1000).toFixed(1)} s`);
      const isrFullMs = await cluster.waitForFullIsr();
      return { killedNode: node, restartMs, isrFullMs };
    },
  );
}

function rollingRestart(cluster: KafkaCluster, stream: number): FaultScenario {
  return clusterScenario(
    cluster,
    'rolling restart',
    'each broker in turn is stopped and started again, the next only once every partition has all three copies in sync: the services carry on throughout, nothing lost or applied twice',
    stream,
    async (cluster, _pipeline, progress) => {
      let longestIsrMs = 0;
      for (const node of [1, 2, 3]) {
        await cluster.stopOne(node);
        progress(`broker ${node} stopped`);
        await cluster.startOne(node);
        longestIsrMs = Math.max(longestIsrMs, await cluster.waitForFullIsr());
        progress(`broker ${node} back, every partition in sync`);
      }
      return { longestIsrMs };
    },
  );
}

function brokerOutage(cluster: KafkaCluster, stream: number): FaultScenario {
  return clusterScenario(
    cluster,
    'one broker away for a minute',
    `the broker leading the busiest case-events partition is stopped for ${OUTAGE_MS / 1000} s while cases keep coming: two copies remain in sync, writes and reads carry on, and the broker catches up when it returns`,
    stream,
    async (cluster, pipeline, progress) => {
      const { node } = await cluster.leaderOfBusiestPartition(pipeline.stack.topic(Topics.caseEvents));
      await cluster.stopOne(node);
      progress(`broker ${node} stopped for ${OUTAGE_MS / 1000} s`);
      await delay(OUTAGE_MS);
      await cluster.startOne(node);
      const isrFullMs = await cluster.waitForFullIsr();
      progress(`broker ${node} back, in sync after ${(isrFullMs / 1000).toFixed(1)} s`);
      return { stoppedNode: node, isrFullMs };
    },
  );
}

/** The cluster every cluster scenario of a suite run shares; the suite releases it at the end. */
export const sharedCluster = new KafkaCluster();

export function clusterScenarios(stream: number): FaultScenario[] {
  return [leaderKill(sharedCluster, stream), rollingRestart(sharedCluster, stream), brokerOutage(sharedCluster, stream)];
}
