import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, one truth per child. PLO keeps the children of each case (a copy of the cases service's
 * fact), each child's own issue date and end in proceedings, the orders made for each child, the
 * legal involvement it has announced per child, and extensions of the pre-proceedings period.
 */
export class PloPerChild1764100000610 implements MigrationInterface {
  name = 'PloPerChild1764100000610';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Filled from case-opened.childIds and child-added. Children PLO already tracks in proceedings are
    // children of their case: the only ones it can know of before this release.
    await queryRunner.query(`
      CREATE TABLE known_case_children (
        case_id uuid NOT NULL,
        child_id uuid NOT NULL,
        PRIMARY KEY (case_id, child_id)
      )`);
    await queryRunner.query(`
      INSERT INTO known_case_children (case_id, child_id)
      SELECT DISTINCT p.case_id, c.child_id FROM child_clocks c JOIN proceedings p ON p.id = c.proceedings_id
      ON CONFLICT DO NOTHING`);

    // A child joining later has their own issue date; one child's proceedings can end before a sibling's.
    await queryRunner.query('ALTER TABLE child_clocks ADD COLUMN issued_on date, ADD COLUMN concluded_on date, ADD COLUMN outcome text');
    await queryRunner.query('UPDATE child_clocks c SET issued_on = p.issued_on FROM proceedings p WHERE p.id = c.proceedings_id');
    await queryRunner.query(`
      UPDATE child_clocks c SET concluded_on = p.concluded_on, outcome = p.stage
        FROM proceedings p WHERE p.id = c.proceedings_id AND p.stage IN ('final-order', 'withdrawn')`);
    await queryRunner.query('ALTER TABLE child_clocks ALTER COLUMN issued_on SET NOT NULL');

    // Orders are made for a child, not for a case; append-only.
    await queryRunner.query(`
      CREATE TABLE child_orders (
        id uuid PRIMARY KEY,
        proceedings_id uuid NOT NULL,
        child_id uuid NOT NULL,
        order_type text NOT NULL,
        made_on date NOT NULL,
        ends_on date,
        hearing_id uuid REFERENCES hearings (id),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (proceedings_id, child_id) REFERENCES child_clocks (proceedings_id, child_id)
      )`);
    await queryRunner.query('CREATE INDEX child_orders_by_proceedings ON child_orders (proceedings_id, child_id, made_on)');

    // One row per (pre-)proceedings and child whose legal involvement PLO has announced: a start is
    // announced once (the row's insert), an end once (end_date set), however often it is attempted.
    await queryRunner.query(`
      CREATE TABLE legal_involvements (
        involvement_id uuid NOT NULL,
        child_id uuid NOT NULL,
        case_id uuid NOT NULL,
        involvement text NOT NULL,
        start_date date NOT NULL,
        end_date date,
        end_reason text,
        announced_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (involvement_id, child_id)
      )`);
    await queryRunner.query('CREATE INDEX legal_involvements_by_case ON legal_involvements (case_id)');
    // What existed before this release is announced once, at the next start, through the outbox.
    await queryRunner.query('ALTER TABLE child_clocks ADD COLUMN involvement_backfill_due boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE pre_proceedings ADD COLUMN involvement_backfill_due boolean NOT NULL DEFAULT false');
    await queryRunner.query('UPDATE child_clocks SET involvement_backfill_due = true');
    await queryRunner.query(`UPDATE pre_proceedings SET involvement_backfill_due = true WHERE decision = 'pre-proceedings'`);

    // The 16 weeks are guidance: extended with a recorded reason, the history kept.
    await queryRunner.query(`
      CREATE TABLE pre_proceedings_extensions (
        id uuid PRIMARY KEY,
        pre_proceedings_id uuid NOT NULL REFERENCES pre_proceedings (id),
        decided_on date NOT NULL,
        previous_end_date date NOT NULL,
        new_end_date date NOT NULL,
        reason text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE pre_proceedings_extensions, legal_involvements, child_orders, known_case_children');
    await queryRunner.query('ALTER TABLE pre_proceedings DROP COLUMN involvement_backfill_due');
    await queryRunner.query(
      'ALTER TABLE child_clocks DROP COLUMN issued_on, DROP COLUMN concluded_on, DROP COLUMN outcome, DROP COLUMN involvement_backfill_due',
    );
  }
}
