import { MigrationInterface, QueryRunner } from 'typeorm';

export class PloStages1764100000210 implements MigrationInterface {
  name = 'PloStages1764100000210';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE proceedings
        ADD COLUMN stage text NOT NULL DEFAULT 'issued',
        ADD COLUMN stage_entered_on date,
        ADD COLUMN concluded_on date,
        ADD COLUMN timetable_version integer NOT NULL DEFAULT 0,
        ADD COLUMN no_final_hearing_warning_on date,
        ADD COLUMN no_final_hearing_warning_week integer`);
    await queryRunner.query(`ALTER TABLE child_clocks ADD COLUMN original_completion_date date`);
    await queryRunner.query(`UPDATE child_clocks SET original_completion_date = completion_date`);
    await queryRunner.query(`ALTER TABLE child_clocks ALTER COLUMN original_completion_date SET NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE stage_history (
        proceedings_id uuid NOT NULL REFERENCES proceedings (id),
        stage text NOT NULL,
        previous_stage text NOT NULL,
        entered_on date NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Append-only: an extension is never edited; a later one supersedes it.
    await queryRunner.query(`
      CREATE TABLE child_extensions (
        id uuid PRIMARY KEY,
        proceedings_id uuid NOT NULL,
        child_id uuid NOT NULL,
        granted_on date NOT NULL,
        hearing_id uuid,
        previous_end_date date NOT NULL,
        new_end_date date NOT NULL,
        latest_allowed_end_date date NOT NULL,
        requested_as text NOT NULL,
        reason text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (proceedings_id, child_id) REFERENCES child_clocks (proceedings_id, child_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE hearings (
        id uuid PRIMARY KEY,
        proceedings_id uuid NOT NULL REFERENCES proceedings (id),
        court_hearing_id text,
        hearing_type text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        hearing_date date NOT NULL,
        venue text,
        judge text,
        listing_status text NOT NULL,
        status text NOT NULL,
        outcome text,
        sequence integer NOT NULL DEFAULT 0,
        last_court_broadcast_at timestamptz,
        updated_at timestamptz NOT NULL,
        UNIQUE (proceedings_id, court_hearing_id)
      )`);
    // Every obligation this service scheduled, so that it can move or cancel it under the same id.
    await queryRunner.query(`
      CREATE TABLE plo_obligations (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        proceedings_id uuid,
        pre_proceedings_id uuid,
        child_id uuid,
        hearing_id uuid,
        kind text NOT NULL,
        rule_id text NOT NULL,
        due_date date NOT NULL,
        explanation text NOT NULL,
        status text NOT NULL DEFAULT 'open',
        sequence integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX plo_obligations_by_case ON plo_obligations (case_id)`);
    await queryRunner.query(`
      CREATE TABLE drift_projections (
        proceedings_id uuid NOT NULL,
        child_id uuid NOT NULL,
        reason text NOT NULL,
        completion_date date NOT NULL,
        final_hearing_date date,
        detected_on date NOT NULL,
        PRIMARY KEY (proceedings_id, child_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE pre_proceedings (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES known_cases (case_id),
        decided_on date NOT NULL,
        decision text NOT NULL,
        status text NOT NULL,
        letter_sent_on date,
        meetings_held integer NOT NULL DEFAULT 0,
        last_meeting_on date,
        outcome text,
        outcome_on date,
        outcome_reason text,
        short_notice boolean NOT NULL DEFAULT false,
        short_notice_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE court_update_exceptions (
        id bigserial PRIMARY KEY,
        update_id text,
        source text NOT NULL,
        court_case_number text,
        court_hearing_id text,
        reason text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL DEFAULT 'open',
        received_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolved_by text,
        resolution text
      )`);
    await queryRunner.query(`CREATE INDEX court_update_exceptions_open ON court_update_exceptions (id) WHERE status = 'open'`);
    // Only a hash of the feed token is kept: the URL is the secret, and a database leak must not reveal it.
    await queryRunner.query(`
      CREATE TABLE calendar_feeds (
        id uuid PRIMARY KEY,
        token_sha256 text NOT NULL UNIQUE,
        scope text NOT NULL,
        scope_id text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP TABLE calendar_feeds, court_update_exceptions, pre_proceedings, drift_projections, plo_obligations, hearings, child_extensions, stage_history',
    );
    await queryRunner.query('ALTER TABLE child_clocks DROP COLUMN original_completion_date');
    await queryRunner.query(`
      ALTER TABLE proceedings DROP COLUMN stage, DROP COLUMN stage_entered_on, DROP COLUMN concluded_on, DROP COLUMN timetable_version,
        DROP COLUMN no_final_hearing_warning_on, DROP COLUMN no_final_hearing_warning_week`);
  }
}
