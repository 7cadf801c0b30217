import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Copies of other services' facts for each child's chronology: the court record as PLO's events tell
 * it (hearings, extensions, conclusions) and the timescales alerting found missed. Keyed by the
 * owner's record ids, so a redelivered event changes nothing; each row keeps the owner's time of the
 * event that last wrote it, so a late-arriving older event cannot overwrite a newer one.
 */
export class CourtRecordAndMissedTimescales1764100000740 implements MigrationInterface {
  name = 'CourtRecordAndMissedTimescales1764100000740';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE court_proceedings_children (
        proceedings_id uuid NOT NULL,
        child_id uuid NOT NULL,
        case_id uuid NOT NULL,
        joined_on date NOT NULL,
        PRIMARY KEY (proceedings_id, child_id)
      )`);
    await queryRunner.query(`CREATE INDEX court_proceedings_children_child ON court_proceedings_children (case_id, child_id)`);
    // child_id NULL: an entry about the proceedings (a hearing), for each child in them on its date.
    await queryRunner.query(`
      CREATE TABLE court_record (
        record_type text NOT NULL CHECK (record_type IN ('hearing', 'extension', 'proceedings-concluded')),
        record_id uuid NOT NULL,
        child_id uuid,
        case_id uuid NOT NULL,
        proceedings_id uuid NOT NULL,
        occurred_on date NOT NULL,
        event text NOT NULL,
        plo_event_id uuid NOT NULL,
        plo_event_time timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX court_record_key ON court_record (record_type, record_id, coalesce(child_id, '00000000-0000-0000-0000-000000000000'))`,
    );
    await queryRunner.query(`CREATE INDEX court_record_case ON court_record (case_id, occurred_on)`);
    await queryRunner.query(`
      CREATE TABLE missed_timescales (
        alert_id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        child_id uuid NOT NULL,
        kind text NOT NULL,
        due_date date NOT NULL,
        raised_at timestamptz NOT NULL,
        explanation text NOT NULL,
        event text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX missed_timescales_child ON missed_timescales (case_id, child_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE missed_timescales');
    await queryRunner.query('DROP TABLE court_record');
    await queryRunner.query('DROP TABLE court_proceedings_children');
  }
}
