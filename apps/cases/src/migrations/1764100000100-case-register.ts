import { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseRegister1764100000100 implements MigrationInterface {
  name = 'CaseRegister1764100000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY,
        council_id text NOT NULL,
        case_reference text NOT NULL,
        team_id text NOT NULL,
        allocated_worker_id text NOT NULL,
        team_manager_id text,
        legal_status text NOT NULL,
        opened_on date NOT NULL,
        closed_on date,
        closure_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (council_id, case_reference)
      )`);
    await queryRunner.query(`
      CREATE TABLE children (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        first_name text NOT NULL,
        last_name text NOT NULL,
        date_of_birth date,
        expected_date_of_birth date,
        sex text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX children_case ON children (case_id)`);
    await queryRunner.query(`
      CREATE TABLE visits (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        visited_on date NOT NULL,
        visit_type text NOT NULL,
        visitor_id text NOT NULL,
        child_seen boolean NOT NULL,
        seen_alone boolean NOT NULL,
        bedroom_seen boolean NOT NULL,
        purpose text NOT NULL,
        purpose_detail text,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX visits_case ON visits (case_id, visited_on)`);
    await queryRunner.query(`
      CREATE TABLE obligations (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        kind text NOT NULL,
        rule_id text NOT NULL,
        due_date date NOT NULL,
        explanation text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'satisfied', 'cancelled')),
        satisfied_on date,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX obligations_open ON obligations (case_id, kind) WHERE status = 'open'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE obligations, visits, children, cases');
  }
}
