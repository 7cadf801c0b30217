import fc from 'fast-check';
import { Partitioners, PartitionerArgs } from 'kafkajs';
import { JavaCompatiblePartitioner, murmur2 } from './partitioner';

const partitions = (count: number, leaderless: number[] = []) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));

describe('JavaCompatiblePartitioner', () => {
  // Known values of the Java client's Utils.murmur2 (Kafka's own UtilsTest).
  it('hashes as the Java client does', () => {
    expect(murmur2(Buffer.from('21'))).toBe(-973932308);
    expect(murmur2(Buffer.from('foobar'))).toBe(-790332482);
    expect(murmur2(Buffer.from('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(Buffer.from('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(Buffer.from([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  it('puts every keyed message on the partition kafkajs’s default partitioner chooses', () => {
    const ours = JavaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.uint8Array().map((bytes) => Buffer.from(bytes)),
        ),
        fc.integer({ min: 1, max: 64 }),
        (key, count) => {
          const args: PartitionerArgs = { topic: 't', partitionMetadata: partitions(count), message: { key, value: 'v' } };
          expect(ours(args)).toBe(theirs(args));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('honours an explicit partition, and spreads unkeyed messages over the partitions that have a leader', () => {
    const choose = JavaCompatiblePartitioner();
    expect(choose({ topic: 't', partitionMetadata: partitions(3), message: { key: 'k', partition: 2, value: 'v' } })).toBe(2);
    const chosen = Array.from({ length: 40 }, () => choose({ topic: 't', partitionMetadata: partitions(4, [1]), message: { value: 'v' } }));
    expect(new Set(chosen)).toEqual(new Set([0, 2, 3]));
  });
});
