import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Supervision on the record (the peer review found none): a session per case with the worker
 * supervised, the children discussed, its decisions and its SMART actions; and the supervision a
 * manager's sign-off refers to.
 */
export class Supervision1764100000730 implements MigrationInterface {
  name = 'Supervision1764100000730';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE supervisions (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        held_on date NOT NULL,
        supervisor_id text NOT NULL,
        worker_id text NOT NULL,
        child_ids uuid[] NOT NULL,
        decisions text[] NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX supervisions_case ON supervisions (case_id, held_on)`);
    await queryRunner.query(`
      CREATE TABLE supervision_actions (
        id uuid PRIMARY KEY,
        supervision_id uuid NOT NULL REFERENCES supervisions (id),
        position integer NOT NULL CHECK (position >= 1),
        description text NOT NULL,
        owner_id text NOT NULL,
        due_date date NOT NULL,
        measurable_outcome text NOT NULL,
        done_on date,
        UNIQUE (supervision_id, position)
      )`);
    await queryRunner.query(`ALTER TABLE sign_offs ADD COLUMN supervision_id uuid REFERENCES supervisions (id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE sign_offs DROP COLUMN supervision_id');
    await queryRunner.query('DROP TABLE supervision_actions, supervisions');
  }
}
