import { CompressionTypes } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createEnvelope, EventTypes } from '@plo/contracts';
import {
  createOrderedProducer,
  MessagingTables1764100000000,
  OutboxBatches1764100000400,
  OutboxBatchLines1764100000410,
  OutboxRelay,
  OutboxWriter,
  transactionOfManager,
} from '@plo/messaging';
import { TestStack } from '@plo/testing';

/**
 * A service upgraded while a storm's batch rows still wait in its outbox must relay them after the
 * upgrade exactly as before: the same events, in order, keyed by case.
 */
describe('outbox upgrade to batch lines', () => {
  const stack = new TestStack();
  const topic = stack.topic('upgrade.alerts.events.v1');
  const url = stack.ensureDatabase('upgrade');
  const dataSource = (migrations: Function[]) => new DataSource({ type: 'postgres', url, migrations, migrationsTransactionMode: 'each' });
  const alertRaised = (caseId: string, explanation: string) =>
    createEnvelope(
      'urn:plo:alerting',
      EventTypes.alertRaised,
      caseId,
      { alertId: randomUUID(), explanation },
      { correlationId: randomUUID(), actor: { kind: 'system', id: 'alerting' } },
    );

  afterAll(() => stack.stop(), 60_000);

  it('rewrites waiting batch rows, relays them as the same events, and compresses new rows with lz4', async () => {
    const before = await dataSource([MessagingTables1764100000000, OutboxBatches1764100000400]).initialize();
    await before.runMigrations();
    const waiting = [alertRaised('case-a', 'seen "late"\nby two days'), alertRaised('case-b', 'not seen')];
    const alreadySent = [alertRaised('case-c', 'x'), alertRaised('case-d', 'y')];
    await before.query(
      `INSERT INTO outbox (topic, message_key, value, headers, event_type, message_count, published_at)
       VALUES ($1, '', $2, '{}', $3, 2, now()), ($1, '', $4, '{}', $3, 2, NULL)`,
      [topic, JSON.stringify(alreadySent), EventTypes.alertRaised, JSON.stringify(waiting)],
    );
    await before.destroy();

    const after = await dataSource([MessagingTables1764100000000, OutboxBatches1764100000400, OutboxBatchLines1764100000410]).initialize();
    try {
      expect((await after.runMigrations()).map((migration) => migration.name)).toEqual(['OutboxBatchLines1764100000410']);
      // A published row is never read again; it stays as it was until it is pruned.
      const [published] = await after.query('SELECT value FROM outbox WHERE published_at IS NOT NULL');
      expect(JSON.parse(published.value)).toEqual(alreadySent);

      await stack.createTopic('upgrade.alerts.events.v1');
      // The services' producer: the relay checks every partition its partitioner chose was acknowledged.
      const producer = createOrderedProducer(stack.kafka);
      await producer.connect();
      const relay = new OutboxRelay(after, producer, new OutboxWriter(), {
        enabled: true,
        pollIntervalMs: 50,
        batchSize: 100,
        compression: CompressionTypes.GZIP,
        retentionHours: 1,
      });
      expect(await relay.relayOnce()).toEqual({ published: 2, more: false });
      await producer.disconnect();

      const sent = await stack.readTopic('upgrade.alerts.events.v1', 2);
      expect(sent.map((message) => [message.key, JSON.parse(message.value)])).toEqual([
        ['case-a', waiting[0]],
        ['case-b', waiting[1]],
      ]);
      expect(sent[1].headers).toEqual({
        'ce-type': EventTypes.alertRaised,
        'ce-id': waiting[1].id,
        'x-correlation-id': waiting[1].correlationid,
      });

      // Postgres compresses only values over about 2 kB; a storm batch's are a thousand times that.
      const stormBatch = Array.from({ length: 20 }, (_, index) => alertRaised(`case-${index}`, 'not seen within 10 working days'));
      await after.transaction((manager) =>
        new OutboxWriter().publishBatch(transactionOfManager(manager), 'upgrade.alerts.events.v1', stormBatch),
      );
      const [fresh] = await after.query('SELECT pg_column_compression(value) AS compression FROM outbox WHERE published_at IS NULL');
      expect(fresh.compression).toBe('lz4');

      await after.undoLastMigration();
      const [reverted] = await after.query('SELECT value FROM outbox WHERE published_at IS NULL');
      expect(JSON.parse(reverted.value)).toEqual(stormBatch);
    } finally {
      await after.destroy();
    }
  }, 60_000);
});
