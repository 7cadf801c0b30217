import { Kafka, KafkaJSProtocolError, Message, Producer } from 'kafkajs';
import { ensureTopics, sendEveryMessage, topicConfig } from './kafka-client';
import { JavaCompatiblePartitioner } from './partitioner';

/** An admin client whose createTopics fails with each of `failures` in turn, then succeeds. */
function brokerAdmin(failures: Error[]) {
  const created: string[] = [];
  const configs: { name: string; value: string }[][] = [];
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => [...created],
    createTopics: async ({ topics }: { topics: { topic: string; configEntries: { name: string; value: string }[] }[] }) => {
      const failure = failures.shift();
      if (failure) throw failure;
      created.push(...topics.map(({ topic }) => topic));
      configs.push(...topics.map(({ configEntries }) => configEntries));
      return true;
    },
    fetchTopicMetadata: async () => ({ topics: [] }),
  };
  return { kafka: { admin: () => admin } as unknown as Pick<Kafka, 'admin'>, created, configs };
}

/** kafkajs builds these from its table of broker error codes, an argument its types do not describe. */
const brokerError = (fields: { type: string; code: number; retriable: boolean; message: string }) =>
  new KafkaJSProtocolError(fields as unknown as Error);
const notHostedYet = () =>
  brokerError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'This server does not host this topic-partition' });

describe('ensureTopics', () => {
  it('keeps asking a broker that does not host the topics yet, and creates each once', async () => {
    const { kafka, created } = brokerAdmin([notHostedYet(), notHostedYet()]);
    await ensureTopics(kafka, ['a', 'b', 'a'], 3, 1, { delayMs: 1 });
    expect(created).toEqual(['a', 'b']);
  });

  it('fails at once on an error the broker says is not worth retrying', async () => {
    const refusal = brokerError({
      type: 'INVALID_REPLICATION_FACTOR',
      code: 38,
      retriable: false,
      message: 'Replication factor is invalid',
    });
    const { kafka, created } = brokerAdmin([refusal, notHostedYet()]);
    await expect(ensureTopics(kafka, ['a'], 3, 5, { delayMs: 1 })).rejects.toBe(refusal);
    expect(created).toEqual([]);
  });

  it('gives up after the attempts it was given', async () => {
    const { kafka } = brokerAdmin([notHostedYet(), notHostedYet(), notHostedYet()]);
    await expect(ensureTopics(kafka, ['a'], 3, 1, { attempts: 3, delayMs: 1 })).rejects.toThrow(/does not host/);
  });

  it('creates three-copy topics that acknowledge a write only once two copies have it', async () => {
    const { kafka, configs } = brokerAdmin([]);
    await ensureTopics(kafka, ['a'], 3, 3, { delayMs: 1 });
    expect(configs).toEqual([[{ name: 'min.insync.replicas', value: '2' }]]);
  });
});

describe('topicConfig', () => {
  it('lets a topic of one or two copies acknowledge a write one copy has, whatever the broker defaults to', () => {
    expect(topicConfig(1)).toEqual([{ name: 'min.insync.replicas', value: '1' }]);
    expect(topicConfig(2)).toEqual([{ name: 'min.insync.replicas', value: '1' }]);
  });
});

describe('sendEveryMessage', () => {
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
  /** A producer that partitions as kafkajs would, and answers for `answered` partitions only. */
  const producerAnswering = (answered: number[]) => {
    const partitioner = JavaCompatiblePartitioner();
    return {
      sendBatch: async ({ topicMessages }: { topicMessages: { topic: string; messages: Message[] }[] }) => {
        for (const { topic, messages } of topicMessages) for (const message of messages) partitioner({ topic, partitionMetadata, message });
        return answered.map((partition) => ({ topicName: 't', partition, errorCode: 0 }));
      },
    } as unknown as Producer;
  };
  const messages = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ key, value: key }));

  it('resolves when a broker acknowledged every partition the messages went to', async () => {
    await expect(sendEveryMessage(producerAnswering([0, 1, 2]), [{ topic: 't', messages }])).resolves.toBeUndefined();
  });

  it('fails when kafkajs reports the batch sent but a partition was never acknowledged', async () => {
    await expect(sendEveryMessage(producerAnswering([0, 1]), [{ topic: 't', messages }])).rejects.toThrow(
      /no broker acknowledged t partition 2/,
    );
  });
});
