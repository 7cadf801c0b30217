import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Admin } from 'kafkajs';
import { delay, repositoryRoot, TestStack } from '@plo/testing';
import { FaultScenario, Progress, RunResult, settle, tally } from './harness';
import type { NaiveCommit } from './naive-consumer';

const EVENTS = Number(process.env.FAULT_STREAM ?? 100) * 30;
/** Effects applied but not committed when the kill lands: each is applied again after the restart. */
const UNCOMMITTED_AT_KILL = Math.max(1, Math.round(EVENTS / 10));

/**
 * The control: a naive consumer (effect first, offset commit later, no record of processed events)
 * run through the same stream, SIGKILL and checker as the real services. The checker must see what
 * it gets wrong.
 *
 * The kill is placed, not timed: the harness has the consumer commit once a third of the stream is
 * applied, reads the group's committed offsets from the broker, and sends SIGKILL only once the
 * database holds more effects than those offsets cover. The consumer commits only when asked, so
 * nothing can be committed between that observation and the kill, and every run must duplicate.
 */
export class NaiveConsumerControl implements FaultScenario {
  readonly name = 'control: naive consumer, SIGKILL';
  readonly proves =
    'a consumer that applies an event before committing its offset, with no processed-event record, SIGKILLed between the two, applies events twice: the checker sees it';
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
    const group = `${topic}-group`;
    const admin = this.stack.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const env = {
      PATH: process.env.PATH ?? '',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
      NAIVE_TOPIC: topic,
      NAIVE_GROUP: group,
      DATABASE_URL: this.databaseUrl,
    };
    let consumer = startConsumer(env);
    const ids = Array.from({ length: EVENTS }, () => randomUUID());
    const sent: string[] = [];
    // The second half of the stream waits for the commit, so that effects always follow it.
    let commitMade!: () => void;
    const afterCommit = new Promise<void>((resolve) => (commitMade = resolve));
    const producer = this.stack.kafka.producer();
    await producer.connect();
    const producing = (async () => {
      for (let start = 0; start < EVENTS; start += 100) {
        if (start >= EVENTS / 2) await afterCommit;
        const batch = ids.slice(start, start + 100);
        await producer.send({ topic, acks: -1, messages: batch.map((id) => ({ key: id, value: JSON.stringify({ id }) })) });
        sent.push(...batch);
        await delay(20);
      }
    })();
    const applied = async () =>
      (
        await this.stack
          .sql<{ n: number }>('naive', 'SELECT count(*)::int AS n FROM naive_effects WHERE event_id = ANY($1)', [ids])
          .catch(() => [{ n: 0 }])
      )[0].n;
    try {
      await until(async () => (await applied()) >= EVENTS / 3, 'the naive consumer to apply a third of the stream');
      await commit(consumer);
      const committed = await committedOffsets(admin, group, topic);
      commitMade();
      let appliedAtKill = 0;
      await until(
        async () => (appliedAtKill = await applied()) - committed >= UNCOMMITTED_AT_KILL,
        `${UNCOMMITTED_AT_KILL} effects beyond the commit`,
      );
      consumer.kill('SIGKILL');
      progress(`naive consumer killed (SIGKILL) with ${appliedAtKill} effects applied and ${committed} offsets committed`);
      consumer = startConsumer(env);
      await producing;
      progress(`${sent.length} events produced`);
      const effects = await settle(
        async () => [
          tally(
            'naive: rows written',
            sent,
            (
              await this.stack.sql<{ event_id: string }>('naive', 'SELECT event_id FROM naive_effects WHERE event_id = ANY($1)', [sent])
            ).map((r) => r.event_id),
          ),
        ],
        { timeoutMs: 30_000, quietMs: 3000 },
      );
      return {
        effects,
        observations: { events: sent.length, committedAtKill: committed, appliedAtKill, uncommittedAtKill: appliedAtKill - committed },
      };
    } finally {
      commitMade();
      await producing.catch(() => undefined);
      await producer.disconnect();
      await admin.disconnect();
      consumer.kill('SIGKILL');
    }
  }

  async tearDown() {
    await this.stack?.stop();
  }
}

function startConsumer(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(repositoryRoot(), 'dist', 'test', 'faults', 'naive-consumer.js')], {
    env,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
}

/** Has the consumer commit the offsets of every effect it has written so far, and waits for it. */
function commit(consumer: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const exited = () => reject(new Error('the naive consumer exited before committing'));
    consumer.once('exit', exited);
    consumer.once('message', (answer: NaiveCommit) => {
      consumer.off('exit', exited);
      if ('error' in answer) reject(new Error(`the naive consumer could not commit: ${answer.error}`));
      else resolve();
    });
    consumer.send('commit');
  });
}

/** What the group resumes from after the kill, as the broker holds it: messages covered, summed over partitions. */
async function committedOffsets(admin: Admin, group: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

async function until(done: () => Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting ${timeoutMs / 1000} s for ${what}`);
    await delay(50);
  }
}
