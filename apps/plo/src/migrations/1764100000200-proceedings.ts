import { MigrationInterface, QueryRunner } from 'typeorm';

export class Proceedings1764100000200 implements MigrationInterface {
  name = 'Proceedings1764100000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    // What the PLO service knows of cases: learnt from the cases service's events, never written here.
    await queryRunner.query(`
      CREATE TABLE known_cases (
        case_id uuid PRIMARY KEY,
        council_id text NOT NULL,
        case_reference text NOT NULL,
        team_id text NOT NULL,
        allocated_worker_id text NOT NULL,
        closed_on date
      )`);
    await queryRunner.query(`
      CREATE TABLE proceedings (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES known_cases (case_id),
        court text NOT NULL,
        court_case_number text NOT NULL UNIQUE,
        issued_on date NOT NULL,
        submitted_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE child_clocks (
        proceedings_id uuid NOT NULL REFERENCES proceedings (id),
        child_id uuid NOT NULL,
        obligation_id uuid NOT NULL,
        completion_date date NOT NULL,
        hmcts_display_date date NOT NULL,
        PRIMARY KEY (proceedings_id, child_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE child_clocks, proceedings, known_cases');
  }
}
