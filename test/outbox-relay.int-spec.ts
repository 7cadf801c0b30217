import { CompressionTypes, Producer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createOrderedProducer, OutboxRelay, OutboxWriter, serviceMigrations } from '@plo/messaging';
import { TestStack } from '@plo/testing';

/**
 * The relay marks a request's rows published while the request is on its way to Kafka, and sends
 * several requests in one transaction. Against the real broker and database: what waits goes out in
 * order and is marked, and a refused send leaves every row of its transaction waiting, to be sent
 * again, the ones Kafka already took included.
 */
describe('outbox relay', () => {
  const stack = new TestStack();
  const url = stack.ensureDatabase('relay');
  let dataSource: DataSource;
  let producer: Producer;

  const relayWithBatchesOf = (batchSize: number) =>
    new OutboxRelay(dataSource, producer, new OutboxWriter(), {
      enabled: true,
      pollIntervalMs: 50,
      batchSize,
      compression: CompressionTypes.GZIP,
      retentionHours: 1,
    });

  async function waitToBeSent(name: string, values: string[]) {
    await dataSource.query(
      `INSERT INTO outbox (topic, message_key, value, headers, event_type)
       SELECT $1, 'case-1', value, '{}', 'test.event' FROM unnest($2::text[]) WITH ORDINALITY AS v(value, n) ORDER BY n`,
      [stack.topic(name), values],
    );
  }

  const waiting = async (name: string) =>
    (
      await dataSource.query<{ value: string }[]>(`SELECT value FROM outbox WHERE topic = $1 AND published_at IS NULL ORDER BY position`, [
        stack.topic(name),
      ])
    ).map((row) => row.value);

  beforeAll(async () => {
    dataSource = await new DataSource({
      type: 'postgres',
      url,
      // The outbox as every service has it today.
      migrations: serviceMigrations([]),
      migrationsTransactionMode: 'each',
    }).initialize();
    await dataSource.runMigrations();
    producer = createOrderedProducer(stack.kafka);
    await producer.connect();
  }, 60_000);

  afterAll(async () => {
    await producer?.disconnect();
    await dataSource?.destroy();
    await stack.stop();
  }, 60_000);

  it('sends what waits in order, four requests to a transaction, and marks each row published', async () => {
    await stack.createTopic('relay.in-order.v1');
    const values = Array.from({ length: 14 }, (_, index) => `event ${index + 1}`);
    await waitToBeSent('relay.in-order.v1', values);
    const relay = relayWithBatchesOf(3);

    // Four requests of three: twelve sent and marked in the first transaction, two left for the next.
    expect(await relay.relayOnce()).toEqual({ published: 12, more: true });
    expect(await waiting('relay.in-order.v1')).toEqual(['event 13', 'event 14']);
    expect(await relay.relayOnce()).toEqual({ published: 2, more: false });
    expect(await waiting('relay.in-order.v1')).toEqual([]);

    const sent = await stack.readTopic('relay.in-order.v1', 14);
    expect(sent.map((message) => message.value)).toEqual(values);
  }, 60_000);

  it('leaves every row of a transaction waiting when one of its requests is refused, and sends them all again', async () => {
    await stack.createTopic('relay.refused.v1');
    // Random bytes do not compress: a message of 3 MB is past what the broker takes (1 MB a batch).
    const tooLarge = randomBytes(3 * 1024 * 1024).toString('base64');
    await waitToBeSent('relay.refused.v1', ['first', 'second', 'third', tooLarge]);
    const relay = relayWithBatchesOf(3);

    await expect(relay.relayOnce()).rejects.toThrow();
    // The first request was taken by Kafka and marked, but the mark was rolled back with the refusal.
    expect(await waiting('relay.refused.v1')).toEqual(['first', 'second', 'third', tooLarge]);
    expect((await stack.readTopic('relay.refused.v1', 3)).map((message) => message.value)).toEqual(['first', 'second', 'third']);

    // Once the refused row is out of the way (an operator's decision), the rest goes again: a
    // duplicate on the topic, which the consumers' inbox recognises.
    await dataSource.query('DELETE FROM outbox WHERE value = $1', [tooLarge]);
    expect(await relay.relayOnce()).toEqual({ published: 3, more: false });
    expect(await waiting('relay.refused.v1')).toEqual([]);
    expect((await stack.readTopic('relay.refused.v1', 6)).map((message) => message.value)).toEqual([
      'first',
      'second',
      'third',
      'first',
      'second',
      'third',
    ]);
  }, 60_000);
});
