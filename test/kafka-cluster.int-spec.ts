import { leaderKill } from './faults/cluster-scenarios';
import { KafkaCluster } from './faults/kafka-cluster';

/**
 * The short one of the three-broker cluster's fault scenarios (`FAULT_ONLY=cluster npm run faults`
 * runs them all): the leader of the busiest partition is SIGKILLed under load and restarted. The test
 * starts the cluster if it is down, and stops it again if so.
 */
describe('three-broker Kafka cluster: SIGKILL the busiest leader', () => {
  const cluster = new KafkaCluster();
  const scenario = leaderKill(cluster, 60);
  const progress = () => undefined;

  // Ceilings for a loaded machine (a broker restart has taken 100 s there); on a quiet one it takes about two minutes.
  beforeAll(() => scenario.setUp(progress), 600_000);
  afterAll(async () => {
    await scenario.tearDown();
    await cluster.release();
  }, 300_000);

  it('loses nothing, applies nothing twice, and the consumers catch up', async () => {
    const { effects, observations } = await scenario.run(progress);
    for (const effect of effects) expect(effect.sent).toBeGreaterThanOrEqual(60);
    expect(effects.filter((effect) => effect.lost > 0 || effect.duplicated > 0)).toEqual([]);
    // The run waited for every consumer group's lag to be 0 (it throws otherwise), and the writer
    // kept going until the killed broker was back and every partition in sync.
    expect(observations.lagZeroMs).toBeGreaterThanOrEqual(0);
    expect(observations.isrFullMs).toBeGreaterThanOrEqual(0);
    expect([1, 2, 3]).toContain(observations.killedNode);
  }, 900_000);
});
