import { Kafka, KafkaJSProtocolError } from 'kafkajs';
import { ensureTopics, topicConfig } from './kafka-client';

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
  it('asks nothing of a single copy or two, beyond what the broker defaults to', () => {
    expect(topicConfig(1)).toEqual([]);
    expect(topicConfig(2)).toEqual([]);
  });
});
