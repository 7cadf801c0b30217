import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { delay, repositoryRoot } from '@plo/testing';

const run = promisify(execFile);
const SCRIPT = join(repositoryRoot(), 'scripts', 'kafka.sh');

/**
 * The three-broker cluster of `scripts/kafka.sh cluster` (node ids 1-3, each a broker and a KRaft
 * voter). Whoever finds it down starts it, and only they stop it again.
 */
export class KafkaCluster {
  readonly brokers = '127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094';
  private readonly kafka = new Kafka({ clientId: 'fault-cluster-admin', brokers: this.brokers.split(','), logLevel: logLevel.NOTHING });
  private startedHere = false;

  /** Starts the brokers that are not running; true when this call started the cluster. */
  async ensure(): Promise<boolean> {
    if (await this.allUp()) return false;
    await this.script('cluster');
    this.startedHere = true;
    return true;
  }

  /** Stops the cluster if `ensure` started it. */
  async release(): Promise<void> {
    if (this.startedHere) await this.script('cluster-stop');
    this.startedHere = false;
  }

  kill(node: number) {
    return this.script('cluster-kill', String(node));
  }

  stopOne(node: number) {
    return this.script('cluster-stop-one', String(node));
  }

  startOne(node: number) {
    return this.script('cluster-start', String(node));
  }

  /** The broker leading the partition of `topic` that holds the most messages. */
  async leaderOfBusiestPartition(topic: string): Promise<{ node: number; partition: number }> {
    return this.withAdmin(async (admin) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      const busiest = offsets.reduce((a, b) => (BigInt(b.high) - BigInt(b.low) > BigInt(a.high) - BigInt(a.low) ? b : a));
      const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const leader = metadata.partitions.find((p) => p.partitionId === busiest.partition)!.leader;
      return { node: leader, partition: busiest.partition };
    });
  }

  /**
   * Waits until every partition of every topic (the consumer offsets too) has all its replicas in
   * sync again: only then may the next broker go without a partition falling below two copies.
   */
  async waitForFullIsr(timeoutMs = 300_000): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const behind = await this.withAdmin(async (admin) => {
        const { topics } = await admin.fetchTopicMetadata({ topics: await admin.listTopics() });
        return topics.flatMap((t) => t.partitions).filter((p) => p.isr.length < p.replicas.length).length;
      }).catch(() => -1);
      if (behind === 0) return Date.now() - started;
      await delay(500);
    }
    throw new Error(`partitions still under-replicated after ${timeoutMs / 1000} s`);
  }

  private async allUp(): Promise<boolean> {
    try {
      await this.script('cluster-status');
      return true;
    } catch {
      return false;
    }
  }

  private async withAdmin<T>(work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }

  private async script(...args: string[]) {
    await run('bash', [SCRIPT, ...args], { timeout: 420_000 });
  }
}
