import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `uuid_v7(at)`: a UUIDv7 for the given instant, for rows and events made in SQL by the storm path,
 * so they are time-ordered like the event ids the services make in code (`newEventId`). Postgres 15
 * has no built-in v7: the random part comes from gen_random_uuid(), whose variant bits it keeps.
 */
export class TimeOrderedIds1764100000330 implements MigrationInterface {
  name = 'TimeOrderedIds1764100000330';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION uuid_v7(at timestamptz) RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
        SELECT (substr(ms, 1, 8) || '-' || substr(ms, 9, 4) || '-7' || substr(r, 14, 3) || '-' || substr(r, 17, 4) || '-' || substr(r, 21, 12))::uuid
          FROM (SELECT lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0') AS ms,
                       replace(gen_random_uuid()::text, '-', '') AS r) AS parts
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION uuid_v7(timestamptz)');
  }
}
