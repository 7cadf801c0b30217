import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of every access to case or child data. Append-only for everyone, the service's own
 * role included: the database itself refuses UPDATE, DELETE and TRUNCATE.
 */
export class AuditLog1764100000050 implements MigrationInterface {
  name = 'AuditLog1764100000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        council_id text NOT NULL,
        subject text NOT NULL,
        principal_kind text NOT NULL,
        roles text[] NOT NULL,
        action text NOT NULL CHECK (action IN ('collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure')),
        resource_type text NOT NULL,
        resource_id text,
        route text NOT NULL,
        status integer NOT NULL,
        correlation_id text
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_council_at ON audit_log (council_id, at)`);
    await queryRunner.query(`CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$ LANGUAGE plpgsql`);
    await queryRunner.query(
      `CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`,
    );
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_log');
    await queryRunner.query('DROP FUNCTION audit_log_is_append_only()');
  }
}
