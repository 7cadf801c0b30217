import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Server-side sessions. The browser holds only a random id; the row is found by its SHA-256, so a
 * copy of this table cannot be replayed as cookies. The tokens never leave the server.
 */
export class ConsoleSessions1765000000000 implements MigrationInterface {
  name = 'ConsoleSessions1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE console_sessions (
        id_hash text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        csrf_token text NOT NULL,
        sign_in jsonb,
        person jsonb,
        access_token text,
        access_expires_at timestamptz,
        refresh_token text,
        id_token text
      )`);
    await queryRunner.query(`CREATE INDEX console_sessions_expiry ON console_sessions (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE console_sessions');
  }
}
