import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tables every service needs for reliable messaging: the outbox it publishes from, the record of
 * events it has processed (its idempotency key), and its dead letters.
 */
export class MessagingTables1764100000000 implements MigrationInterface {
  name = 'MessagingTables1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        position bigserial PRIMARY KEY,
        topic text NOT NULL,
        message_key text NOT NULL,
        event_id text,
        event_type text,
        value text NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE processed_events (
        consumer text NOT NULL,
        message_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('applied', 'ignored', 'dead-lettered')),
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE dead_letters (
        id bigserial PRIMARY KEY,
        consumer text NOT NULL,
        message_id text NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        message_key text,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        value text,
        event_type text,
        error text NOT NULL,
        attempts integer NOT NULL,
        dead_lettered_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz,
        replay_error text
      )`);
    await queryRunner.query(`CREATE INDEX dead_letters_open ON dead_letters (consumer, id) WHERE replayed_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE dead_letters');
    await queryRunner.query('DROP TABLE processed_events');
    await queryRunner.query('DROP TABLE outbox');
  }
}

/**
 * An outbox row may carry several events of one topic (`message_count` > 1; `value` was at first a
 * JSON array of envelopes, now the lines of `OutboxBatchLines1764100000410`): a midnight storm
 * writes one row per batch of alerts instead of one per alert, and the relay marks one row published
 * instead of thousands. The relay still sends one Kafka message per event.
 */
export class OutboxBatches1764100000400 implements MigrationInterface {
  name = 'OutboxBatches1764100000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox ADD COLUMN message_count integer NOT NULL DEFAULT 1 CHECK (message_count > 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE outbox DROP COLUMN message_count');
  }
}

/**
 * Batch rows hold their messages as lines the relay sends without parsing (`batchValue`), and the
 * outbox compresses with lz4. A storm batch's value is about 1.5 MB of JSON: Postgres's default
 * compression (pglz) took about 30 ms to write one, lz4 about 11 ms. Batch rows not yet relayed are
 * rewritten in the new form, so the relay reads one form only. A server built without lz4 keeps
 * its default compression.
 */
export class OutboxBatchLines1764100000410 implements MigrationInterface {
  name = 'OutboxBatchLines1764100000410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$ BEGIN
        ALTER TABLE outbox ALTER COLUMN value SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available on this server; the outbox keeps the default compression';
      END $$`);
    await queryRunner.query(`
      UPDATE outbox o
         SET value = (SELECT string_agg(jsonb_build_array(e->>'subject',
                                          jsonb_build_object('ce-type', e->>'type', 'ce-id', e->>'id', 'x-correlation-id', e->>'correlationid'))::text
                                        || E'\\n' || e::text, E'\\n' ORDER BY n)
                        FROM jsonb_array_elements(o.value::jsonb) WITH ORDINALITY AS x(e, n))
       WHERE message_count > 1 AND published_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE outbox o
         SET value = (SELECT '[' || string_agg(line, ',' ORDER BY n) || ']'
                        FROM regexp_split_to_table(o.value, E'\\n') WITH ORDINALITY AS l(line, n) WHERE n % 2 = 0)
       WHERE message_count > 1 AND published_at IS NULL`);
    await queryRunner.query('ALTER TABLE outbox ALTER COLUMN value SET COMPRESSION default');
  }
}

/**
 * A dead letter belongs to the council its message concerns, so that an administrator sees and
 * replays only their council's; one whose council cannot be told (a malformed message) has none and
 * is left to platform operators. Existing dead letters get the council their message names, if any.
 */
export class DeadLetterCouncils1764100000420 implements MigrationInterface {
  name = 'DeadLetterCouncils1764100000420';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE dead_letters ADD COLUMN council_id text');
    await queryRunner.query(`CREATE INDEX dead_letters_by_council ON dead_letters (council_id, id)`);
    // Row by row: a value that is not JSON would abort a single UPDATE.
    await queryRunner.query(`
      DO $$
      DECLARE letter record;
      BEGIN
        FOR letter IN SELECT id, value FROM dead_letters WHERE value IS NOT NULL LOOP
          BEGIN
            UPDATE dead_letters
               SET council_id = CASE WHEN jsonb_typeof(letter.value::jsonb -> 'data' -> 'councilId') = 'string'
                                     THEN nullif(letter.value::jsonb -> 'data' ->> 'councilId', '') END
             WHERE id = letter.id;
          EXCEPTION WHEN data_exception THEN
            NULL;
          END;
        END LOOP;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE dead_letters DROP COLUMN council_id');
  }
}
