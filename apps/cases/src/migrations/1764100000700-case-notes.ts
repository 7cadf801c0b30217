import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case notes are the worker's record and may be read in court: a note is never edited or removed,
 * an amendment is its next version. Every version is a row; the database itself refuses to change
 * or delete one, whatever the service's code does.
 */
export class CaseNotes1764100000700 implements MigrationInterface {
  name = 'CaseNotes1764100000700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE case_note_versions (
        note_id uuid NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        case_id uuid NOT NULL REFERENCES cases (id),
        child_ids uuid[] NOT NULL CHECK (cardinality(child_ids) >= 1),
        occurred_on date NOT NULL,
        significant boolean NOT NULL,
        text text NOT NULL,
        reason text,
        author_id text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (note_id, version),
        -- The first version has no reason; every amendment says why.
        CHECK ((version = 1) = (reason IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX case_note_versions_case ON case_note_versions (case_id, occurred_on)`);
    await queryRunner.query(`
      CREATE FUNCTION case_note_versions_are_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'case notes are append-only: % refused; amend the note instead', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$ LANGUAGE plpgsql`);
    await queryRunner.query(
      `CREATE TRIGGER case_note_versions_no_change BEFORE UPDATE OR DELETE ON case_note_versions FOR EACH ROW EXECUTE FUNCTION case_note_versions_are_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER case_note_versions_no_truncate BEFORE TRUNCATE ON case_note_versions FOR EACH STATEMENT EXECUTE FUNCTION case_note_versions_are_append_only()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE case_note_versions');
    await queryRunner.query('DROP FUNCTION case_note_versions_are_append_only()');
  }
}
