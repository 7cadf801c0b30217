import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full case record: legal status and allocation as histories (earlier rows are kept, never
 * overwritten), placements, reviews, referrals, plans and sign-offs. Existing cases get their
 * current status and allocation as the first history row, starting on the day they opened.
 */
export class CaseRecord1764100000110 implements MigrationInterface {
  name = 'CaseRecord1764100000110';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cases ADD COLUMN legal_lead_id text`);
    await queryRunner.query(`CREATE INDEX cases_team ON cases (council_id, team_id) WHERE closed_on IS NULL`);
    await queryRunner.query(`ALTER TABLE children ADD COLUMN identifiers jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE children ADD COLUMN added_on date`);
    await queryRunner.query(`ALTER TABLE obligations ADD COLUMN child_id uuid, ADD COLUMN subject_id uuid, ADD COLUMN ended_reason text`);
    await queryRunner.query(`CREATE INDEX obligations_due ON obligations (due_date) WHERE status = 'open'`);

    await queryRunner.query(`
      CREATE TABLE legal_statuses (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        legal_status text NOT NULL,
        start_date date NOT NULL,
        end_date date,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX legal_statuses_current ON legal_statuses (case_id) WHERE end_date IS NULL`);
    await queryRunner.query(`
      INSERT INTO legal_statuses (id, case_id, legal_status, start_date, end_date)
      SELECT gen_random_uuid(), id, legal_status, opened_on, closed_on FROM cases`);

    await queryRunner.query(`
      CREATE TABLE allocations (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        team_id text NOT NULL,
        worker_id text NOT NULL,
        team_manager_id text,
        start_date date NOT NULL,
        end_date date,
        reason text,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX allocations_current ON allocations (case_id) WHERE end_date IS NULL`);
    await queryRunner.query(`
      INSERT INTO allocations (id, case_id, team_id, worker_id, team_manager_id, start_date, end_date)
      SELECT gen_random_uuid(), id, team_id, allocated_worker_id, team_manager_id, opened_on, closed_on FROM cases`);

    await queryRunner.query(`
      CREATE TABLE placements (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        child_id uuid REFERENCES children (id),
        started_on date NOT NULL,
        intended_until_18 boolean NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX placements_case ON placements (case_id, started_on)`);

    await queryRunner.query(
      `ALTER TABLE visits ADD COLUMN counts_as_statutory boolean NOT NULL DEFAULT true, ADD COLUMN child_id uuid REFERENCES children (id)`,
    );

    await queryRunner.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        kind text NOT NULL,
        sequence integer NOT NULL,
        anchor_date date NOT NULL,
        obligation_id uuid NOT NULL REFERENCES obligations (id),
        due_date date NOT NULL,
        planned_on date,
        reschedule_reason text,
        held_on date,
        outcome text,
        outcome_notes text,
        status text NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled')),
        cancellation_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX reviews_case ON reviews (case_id, kind)`);

    await queryRunner.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        kind text NOT NULL CHECK (kind IN ('contact', 'referral')),
        received_on date NOT NULL,
        source text,
        obligation_id uuid NOT NULL REFERENCES obligations (id),
        decided_on date,
        outcome text,
        repeat boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX referrals_case ON referrals (case_id, received_on)`);

    await queryRunner.query(`
      CREATE TABLE plans (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        child_id uuid REFERENCES children (id),
        kind text NOT NULL,
        agreed_on date NOT NULL,
        review_date date NOT NULL,
        review_obligation_id uuid NOT NULL REFERENCES obligations (id),
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE plan_actions (
        id uuid PRIMARY KEY,
        plan_id uuid NOT NULL REFERENCES plans (id),
        position integer NOT NULL,
        description text NOT NULL,
        owner_id text,
        due_date date,
        measurable_outcome text,
        UNIQUE (plan_id, position)
      )`);

    await queryRunner.query(`
      CREATE TABLE sign_offs (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        subject text NOT NULL CHECK (subject IN ('plan', 'review')),
        subject_id uuid NOT NULL,
        subject_version integer NOT NULL,
        manager_id text NOT NULL,
        signed_on date NOT NULL,
        exception boolean NOT NULL,
        exception_reason text,
        unmet_standards jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK (NOT exception OR exception_reason IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE INDEX sign_offs_subject ON sign_offs (subject_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sign_offs, plan_actions, plans, referrals, reviews, placements, allocations, legal_statuses');
    await queryRunner.query('ALTER TABLE visits DROP COLUMN counts_as_statutory, DROP COLUMN child_id');
    await queryRunner.query('DROP INDEX obligations_due');
    await queryRunner.query('ALTER TABLE obligations DROP COLUMN child_id, DROP COLUMN subject_id, DROP COLUMN ended_reason');
    await queryRunner.query('ALTER TABLE children DROP COLUMN identifiers, DROP COLUMN added_on');
    await queryRunner.query('DROP INDEX cases_team');
    await queryRunner.query('ALTER TABLE cases DROP COLUMN legal_lead_id');
  }
}
