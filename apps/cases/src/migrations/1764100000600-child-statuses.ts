import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The law tracks children (docs/per-child.md): each child's statuses, several at once, with their
 * history; `cases.legal_status` stays as a summary for the v1 list filter and events. The case-level
 * history becomes each child's (every child of the case held it), the first release's `plo` becoming
 * care proceedings. `legal_involved_since` is when legal first became involved with any child: what
 * lets the legal role see the case. Reviews belong to a child; a case with several children keeps its
 * old reviews without one (whose child it was is not known).
 */
export class ChildStatuses1764100000600 implements MigrationInterface {
  name = 'ChildStatuses1764100000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE child_statuses (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        child_id uuid NOT NULL REFERENCES children (id),
        status text NOT NULL CHECK (status IN ('child-in-need', 'child-protection-plan', 'looked-after', 'pre-proceedings', 'care-proceedings')),
        basis text CHECK (basis IN ('section-20', 'interim-care-order', 'care-order', 'placement-order')),
        start_date date NOT NULL,
        end_date date,
        source text NOT NULL,
        end_reason text,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        -- A looked-after row may lack its basis only when it came from before bases were recorded (migrated, or the v1 endpoint).
        CHECK (basis IS NULL OR status = 'looked-after'),
        CHECK (end_date IS NULL OR end_date >= start_date)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX child_statuses_current ON child_statuses (child_id, status) WHERE end_date IS NULL`);
    await queryRunner.query(`CREATE INDEX child_statuses_case ON child_statuses (case_id, child_id, start_date)`);
    await queryRunner.query(`
      INSERT INTO child_statuses (id, case_id, child_id, status, start_date, end_date, source, end_reason, recorded_at)
      SELECT gen_random_uuid(), ls.case_id, ch.id, CASE ls.legal_status WHEN 'plo' THEN 'care-proceedings' ELSE ls.legal_status END,
             -- A case closed on a day before its last status began ended that status the day it began.
             ls.start_date, CASE WHEN ls.end_date IS NOT NULL THEN greatest(ls.end_date, ls.start_date) END, 'migrated', CASE WHEN ls.end_date IS NOT NULL THEN 'the case''s legal status changed or the case closed' END,
             ls.recorded_at
        FROM legal_statuses ls JOIN children ch ON ch.case_id = ls.case_id`);

    await queryRunner.query(`ALTER TABLE cases ADD COLUMN legal_involved_since date`);
    await queryRunner.query(`
      UPDATE cases c SET legal_involved_since = s.since
        FROM (SELECT case_id, min(start_date) AS since FROM legal_statuses WHERE legal_status = 'plo' GROUP BY case_id) s
       WHERE s.case_id = c.id`);

    await queryRunner.query(`ALTER TABLE reviews ADD COLUMN child_id uuid REFERENCES children (id)`);
    await queryRunner.query(`
      UPDATE reviews r SET child_id = sole.id
        FROM (SELECT case_id, min(id::text)::uuid AS id FROM children GROUP BY case_id HAVING count(*) = 1) sole
       WHERE sole.case_id = r.case_id`);
    await queryRunner.query(`CREATE INDEX reviews_child ON reviews (case_id, child_id, kind)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX reviews_child');
    await queryRunner.query('ALTER TABLE reviews DROP COLUMN child_id');
    await queryRunner.query('ALTER TABLE cases DROP COLUMN legal_involved_since');
    await queryRunner.query('DROP TABLE child_statuses');
  }
}
