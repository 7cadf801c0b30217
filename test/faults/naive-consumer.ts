// The consumer the fault suite's control runs: what a first attempt at a Kafka consumer often looks
// like. Offsets are committed automatically every second, the effect is written as each message
// arrives, and nothing records which events were already applied. SIGKILLed between an effect and
// the next commit, it applies those messages again when it comes back.
//
//   KAFKA_BROKERS, NAIVE_TOPIC, NAIVE_GROUP, DATABASE_URL
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

async function main() {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  await pool.query('CREATE TABLE IF NOT EXISTS naive_effects (event_id text NOT NULL)');
  const kafka = new Kafka({ clientId: 'naive-consumer', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: process.env.NAIVE_GROUP!, rebalanceTimeout: 5000, sessionTimeout: 6000 });
  await consumer.connect();
  await consumer.subscribe({ topic: process.env.NAIVE_TOPIC!, fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: 1000,
    eachMessage: async ({ message }) => {
      await pool.query('INSERT INTO naive_effects (event_id) VALUES ($1)', [JSON.parse(message.value!.toString()).id]);
    },
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
