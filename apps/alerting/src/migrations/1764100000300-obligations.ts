import { MigrationInterface, QueryRunner } from 'typeorm';

export class Obligations1764100000300 implements MigrationInterface {
  name = 'Obligations1764100000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE case_directory (
        case_id uuid PRIMARY KEY,
        council_id text NOT NULL,
        case_reference text NOT NULL,
        team_id text NOT NULL,
        allocated_worker_id text NOT NULL,
        team_manager_id text,
        closed_on date
      )`);
    await queryRunner.query(`
      CREATE TABLE obligations (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        council_id text NOT NULL,
        child_id uuid,
        kind text NOT NULL,
        rule_id text NOT NULL,
        due_date date NOT NULL,
        overdue_at timestamptz NOT NULL,
        explanation text NOT NULL,
        responsible_team_id text NOT NULL,
        responsible_worker_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'satisfied', 'cancelled')),
        satisfied_on date,
        ended_reason text,
        source_event_id uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Drift detection walks open obligations by the instant they become overdue.
    await queryRunner.query(`CREATE INDEX obligations_open_by_overdue_at ON obligations (overdue_at) WHERE status = 'open'`);
    await queryRunner.query(`CREATE INDEX obligations_case ON obligations (case_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE obligations, case_directory');
  }
}
