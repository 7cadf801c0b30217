// The consumer the fault suite's control runs: what a first attempt at a Kafka consumer often looks
// like. The effect is written as each message arrives, the offsets are committed some time later,
// and nothing records which events were already applied. SIGKILLed between an effect and the next
// commit, it applies those messages again when it comes back.
//
// Its commits come when the harness asks (an IPC 'commit' message) rather than from kafkajs's
// auto-commit timer: with a timer the kill could land just after a commit with nothing left
// uncommitted, and the control would show nothing by chance. It answers with the offsets committed.
//
//   KAFKA_BROKERS, NAIVE_TOPIC, NAIVE_GROUP, DATABASE_URL
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

/** The answer to 'commit': messages now covered, summed over partitions (new topic: offsets from 0). */
export type NaiveCommit = { committed: number } | { error: string };

async function main() {
  const topic = process.env.NAIVE_TOPIC!;
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  await pool.query('CREATE TABLE IF NOT EXISTS naive_effects (event_id text NOT NULL)');
  const kafka = new Kafka({ clientId: 'naive-consumer', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: process.env.NAIVE_GROUP!, rebalanceTimeout: 5000, sessionTimeout: 6000 });
  // The next offset to read on each partition, moved only once that message's effect is written.
  const applied = new Map<number, number>();
  process.on('message', async (request) => {
    if (request !== 'commit') return;
    const offsets = [...applied].map(([partition, next]) => ({ topic, partition, offset: String(next) }));
    const answer: NaiveCommit = await consumer.commitOffsets(offsets).then(
      () => ({ committed: offsets.reduce((sum, o) => sum + Number(o.offset), 0) }),
      (error) => ({ error: String(error) }),
    );
    process.send!(answer);
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      await pool.query('INSERT INTO naive_effects (event_id) VALUES ($1)', [JSON.parse(message.value!.toString()).id]);
      applied.set(partition, Number(message.offset) + 1);
    },
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
