import { CompressionTypes, Kafka, KafkaConfig, logLevel, LogEntry, Message, Producer } from 'kafkajs';
import { chosenPartitions, JavaCompatiblePartitioner } from './partitioner';
import { Logger } from '@nestjs/common';

export interface KafkaConnectionSettings {
  brokers: string[];
  clientId: string;
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

/**
 * The only place the kafkajs client is constructed: another client library could replace it here
 * without touching the services.
 */
export function createKafka(settings: KafkaConnectionSettings): Kafka {
  const logger = new Logger('kafkajs');
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    ssl: settings.ssl,
    ...(settings.sasl ? { sasl: settings.sasl as KafkaConfig['sasl'] } : {}),
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, correlationId: kafkaCorrelationId, ...extra } = log as Record<string, unknown>;
        const line = { msg: `kafkajs: ${String(message)}`, kafkaCorrelationId, ...extra };
        if (level === logLevel.ERROR) logger.error(line);
        else if (level === logLevel.WARN) logger.warn(line);
        else logger.debug(line);
      },
  };
  return new Kafka(config);
}

/**
 * One in-flight request keeps a partition's messages in the order the outbox relay sends them, even
 * across retries; `acks: -1` is set per send, so a send is acknowledged only once every in-sync
 * replica has it. Idempotence lets the producer retry a send whose answer was lost (a leader killed
 * mid-request) without writing it twice, and carries the relay across a leader change. Keys go to the partitions the Java client would choose.
 */
export function createOrderedProducer(kafka: Kafka): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
    // Retried until it succeeds (what idempotence needs), at most a second apart: a partition whose
    // leader was lost gets its new one within seconds, and the relay should notice at once.
    retry: { initialRetryTime: 200, maxRetryTime: 1000, retries: Number.MAX_SAFE_INTEGER },
    createPartitioner: JavaCompatiblePartitioner,
  });
}

/**
 * Sends with `acks: -1` and fails unless a broker acknowledged every partition the messages went to.
 * kafkajs (2.2.4) can report a batch sent when it was not: it remembers which brokers answered, and
 * when a failed broker's partitions move to one that had already answered for others, the retry sends
 * them nowhere. A rolling restart of the three-broker cluster lost events that way, marked published
 * by the outbox relay. Failing instead makes the relay send the rows again (a repeat the inbox
 * recognises). The producer must partition with JavaCompatiblePartitioner, which notes each choice.
 */
export async function sendEveryMessage(
  producer: Producer,
  topicMessages: { topic: string; messages: Message[] }[],
  compression?: CompressionTypes,
): Promise<void> {
  const acknowledged = new Set(
    (await producer.sendBatch({ acks: -1, topicMessages, compression })).map((r) => `${r.topicName}:${r.partition}`),
  );
  for (const { topic, messages } of topicMessages)
    for (const message of messages) {
      const partition = chosenPartitions.get(message);
      if (partition === undefined || !acknowledged.has(`${topic}:${partition}`))
        throw new Error(`no broker acknowledged ${topic} partition ${partition ?? '(none chosen)'}; the batch will be sent again`);
    }
}

/**
 * The topic configuration for a replication factor: with three copies or more a write must reach two
 * before it is acknowledged, so losing the leader right after never loses an acknowledged event. With
 * fewer, one copy is enough, said explicitly: a cluster whose default is two (scripts/kafka.sh
 * cluster) would otherwise refuse every write to a single-copy topic.
 */
export function topicConfig(replicationFactor: number): { name: string; value: string }[] {
  return [{ name: 'min.insync.replicas', value: replicationFactor >= 3 ? '2' : '1' }];
}

/**
 * Creates any missing topic; existing topics are left as they are. Returns once the broker serves
 * every one of them. A broker that has just started, or a topic another service created a moment
 * ago, answers "does not host this topic-partition" for a while: a service started beside them
 * keeps asking (up to `attempts` times, `delayMs` apart) instead of exiting. An error the broker
 * marks as not worth retrying (a bad replication factor, say) fails at once.
 */
export async function ensureTopics(
  kafka: Pick<Kafka, 'admin'>,
  topics: string[],
  numPartitions: number,
  replicationFactor: number,
  { attempts = 100, delayMs = 300 }: { attempts?: number; delayMs?: number } = {},
) {
  const wanted = [...new Set(topics)];
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = wanted.filter((topic) => !existing.has(topic));
        if (missing.length)
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor, configEntries: topicConfig(replicationFactor) })),
          });
        await admin.fetchTopicMetadata({ topics: wanted });
        return;
      } catch (error) {
        if ((error as { retriable?: boolean }).retriable === false || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  } finally {
    await admin.disconnect();
  }
}
