import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { delay, repositoryRoot, TestStack } from '@plo/testing';
import { FaultScenario, Progress, RunResult, settle, tally } from './harness';

const EVENTS = Number(process.env.FAULT_STREAM ?? 100) * 30;

/**
 * The control: a naive consumer (auto-commit, no record of processed events) run through the same
 * stream, SIGKILL and checker as the real services. The checker must see what it gets wrong.
 */
export class NaiveConsumerControl implements FaultScenario {
  readonly name = 'control: naive consumer, SIGKILL';
  readonly proves = 'a consumer with auto-commit and no processed-event record, SIGKILLed mid-stream, applies events twice: the checker sees it';
  readonly control = true;
  private stack!: TestStack;
  private databaseUrl!: string;
  private runs = 0;

  async setUp() {
    this.stack = new TestStack();
    this.databaseUrl = this.stack.ensureDatabase('naive');
  }

  async run(progress: Progress): Promise<RunResult> {
    this.runs += 1;
    const topic = this.stack.topic(`naive-${this.runs}`);
    const admin = this.stack.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();

    const env = { PATH: process.env.PATH ?? '', KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', NAIVE_TOPIC: topic, NAIVE_GROUP: `${topic}-group`, DATABASE_URL: this.databaseUrl };
    let consumer = startConsumer(env);
    const sent: string[] = [];
    const producer = this.stack.kafka.producer();
    await producer.connect();
    const producing = (async () => {
      for (let start = 0; start < EVENTS; start += 100) {
        const ids = Array.from({ length: Math.min(100, EVENTS - start) }, () => randomUUID());
        await producer.send({ topic, acks: -1, messages: ids.map((id) => ({ key: id, value: JSON.stringify({ id }) })) });
        sent.push(...ids);
        await delay(20);
      }
    })();
    const applied = async () => (await this.stack.sql<{ n: number }>('naive', 'SELECT count(*)::int AS n FROM naive_effects'))[0].n;
    try {
      const before = await applied().catch(() => 0);
      const deadline = Date.now() + 60_000;
      while ((await applied().catch(() => 0)) - before < EVENTS / 3) {
        if (Date.now() > deadline) throw new Error('the naive consumer applied nothing for a minute');
        await delay(50);
      }
      consumer.kill('SIGKILL');
      progress(`naive consumer killed (SIGKILL) after ${(await applied()) - before} effects`);
      consumer = startConsumer(env);
      await producing;
      progress(`${sent.length} events produced`);
      const effects = await settle(
        async () => [tally('naive: rows written', sent, (await this.stack.sql<{ event_id: string }>('naive', 'SELECT event_id FROM naive_effects WHERE event_id = ANY($1)', [sent])).map((r) => r.event_id))],
        { timeoutMs: 30_000, quietMs: 3000 },
      );
      return { effects, observations: { events: sent.length } };
    } finally {
      await producer.disconnect();
      consumer.kill('SIGKILL');
    }
  }

  async tearDown() {
    await this.stack?.stop();
  }
}

function startConsumer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(repositoryRoot(), 'dist', 'test', 'faults', 'naive-consumer.js')], { env, stdio: 'ignore' });
}
