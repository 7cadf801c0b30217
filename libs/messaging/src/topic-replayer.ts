import type { Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, KafkaConnectionSettings } from './kafka-client';

/** A run of one partition's messages, in offset order, ready for `InboxProcessor.processChunk`. */
export interface ReplayedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  heartbeat: () => Promise<void>;
}

export interface ReplayOptions {
  /** Prefix of the throwaway consumer group each topic is read with (deleted afterwards). */
  groupIdPrefix: string;
  /**
   * Runs once the end offsets are known and before the first message is read: the caller clears the
   * state it is about to rebuild here, so nothing written after the ends were taken is lost.
   */
  beforeReading?: () => Promise<void>;
}

interface PartitionEnd {
  topic: string;
  partition: number;
  /** The first offset not to replay: the end of the partition when the replay began. */
  end: bigint;
}

type ReplayKafka = Pick<Kafka, 'admin' | 'consumer'>;

/**
 * Reads topics from the beginning up to the end offsets they had when the replay began, one topic
 * after the other in the order given, and hands the messages over in batches of at most `batchSize`.
 * Messages produced after the start are left to the service's own consumer. Returns how many
 * messages each topic gave. A topic that does not exist gives none.
 */
export async function replayTopics(
  settings: KafkaConnectionSettings,
  topics: string[],
  batchSize: number,
  onBatch: (batch: ReplayedBatch) => Promise<void>,
  options: ReplayOptions,
): Promise<Record<string, number>> {
  return replayFrom(createKafka(settings), topics, batchSize, onBatch, options);
}

/** `replayTopics` over a client already made (tests hand in a fake broker). */
export async function replayFrom(
  kafka: ReplayKafka,
  topics: string[],
  batchSize: number,
  onBatch: (batch: ReplayedBatch) => Promise<void>,
  options: ReplayOptions,
): Promise<Record<string, number>> {
  const ends = await endsOf(kafka, topics);
  await options.beforeReading?.();
  const counts: Record<string, number> = {};
  for (const topic of topics) {
    counts[topic] = await replayTopic(
      kafka,
      topic,
      ends.filter((end) => end.topic === topic),
      batchSize,
      onBatch,
      options.groupIdPrefix,
    );
  }
  return counts;
}

/** How many members the consumer group has: a replay must not interleave with a running consumer. */
export async function consumerGroupMembers(settings: KafkaConnectionSettings, groupId: string): Promise<number> {
  const admin = createKafka(settings).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

async function endsOf(kafka: ReplayKafka, topics: string[]): Promise<PartitionEnd[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const ends: PartitionEnd[] = [];
    for (const topic of topics.filter((t) => existing.has(t))) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) ends.push({ topic, partition, end: BigInt(high) });
      }
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}

async function replayTopic(
  kafka: ReplayKafka,
  topic: string,
  ends: PartitionEnd[],
  batchSize: number,
  onBatch: (batch: ReplayedBatch) => Promise<void>,
  groupIdPrefix: string,
): Promise<number> {
  if (!ends.length) return 0;
  const groupId = `${groupIdPrefix}-${Date.now()}`;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 16 * 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
  });
  const remaining = new Map(ends.map((e) => [e.partition, e.end]));
  let count = 0;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: ends.length,
      eachBatch: async ({ batch, heartbeat, isRunning }) => {
        const end = remaining.get(batch.partition);
        if (end === undefined) return;
        const messages = batch.messages.filter((m) => BigInt(m.offset) < end);
        try {
          for (let start = 0; start < messages.length && isRunning(); start += batchSize) {
            const chunk = messages.slice(start, start + batchSize);
            await onBatch({ topic: batch.topic, partition: batch.partition, messages: chunk, heartbeat });
            count += chunk.length;
            await heartbeat();
          }
        } catch (error) {
          fail(error);
          return;
        }
        const last = messages.at(-1);
        if (last && BigInt(last.offset) + 1n >= end) remaining.delete(batch.partition);
        if (!remaining.size) finish();
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return count;
}
