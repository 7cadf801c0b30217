import type { Kafka } from 'kafkajs';
import { ReplayedBatch, replayFrom } from './topic-replayer';

/** A broker holding `log` (topic -> partition -> values); a consumer gets each partition as one batch. */
function broker(log: Record<string, string[][]>) {
  const calls: string[] = [];
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    listTopics: async () => Object.keys(log),
    fetchTopicOffsets: async (topic: string) => {
      calls.push(`ends ${topic}`);
      return log[topic].map((values, partition) => ({ partition, low: '0', high: String(values.length), offset: String(values.length) }));
    },
    deleteGroups: async (groups: string[]) => calls.push(`delete ${groups.length} group`),
  };
  const consumer = () => {
    let topic = '';
    return {
      connect: async () => undefined,
      disconnect: async () => undefined,
      subscribe: async ({ topics }: { topics: string[] }) => void (topic = topics[0]),
      run: async ({ eachBatch }: { eachBatch: (payload: unknown) => Promise<void> }) => {
        // Messages appended after the replay began must not be handed over.
        const partitions = log[topic].map((values) => [...values, 'late']);
        for (const [partition, values] of partitions.entries()) {
          const messages = values.map((value, offset) => ({ offset: String(offset), value: Buffer.from(value) }));
          await eachBatch({ batch: { topic, partition, messages }, heartbeat: async () => undefined, isRunning: () => true });
        }
      },
    };
  };
  return { kafka: { admin: () => admin, consumer } as unknown as Pick<Kafka, 'admin' | 'consumer'>, calls };
}

describe('replayFrom', () => {
  it('reads each topic in order from the beginning to the ends it had at the start, in batches', async () => {
    const { kafka, calls } = broker({ cases: [['c1', 'c2', 'c3'], ['c4']], proceedings: [['p1']], empty: [[]] });
    const seen: string[][] = [];
    const counts = await replayFrom(
      kafka,
      ['cases', 'proceedings', 'empty', 'missing'],
      2,
      async (batch: ReplayedBatch) => void seen.push(batch.messages.map((m) => `${batch.topic}/${batch.partition}:${m.value}`)),
      { groupIdPrefix: 'rebuild', beforeReading: async () => void calls.push('before reading') },
    );
    expect(seen).toEqual([['cases/0:c1', 'cases/0:c2'], ['cases/0:c3'], ['cases/1:c4'], ['proceedings/0:p1']]);
    expect(counts).toEqual({ cases: 4, proceedings: 1, empty: 0, missing: 0 });
    expect(calls).toEqual(['ends cases', 'ends proceedings', 'ends empty', 'before reading', 'delete 1 group', 'delete 1 group']);
  });

  it('stops at the first batch the caller fails on, and passes the failure on', async () => {
    const { kafka } = broker({ cases: [['c1', 'c2']] });
    const failure = new Error('database down');
    await expect(replayFrom(kafka, ['cases'], 1, async () => Promise.reject(failure), { groupIdPrefix: 'rebuild' })).rejects.toBe(failure);
  });
});
