import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Child protection enquiries: strategy discussions (about some of a case's children, with the agencies
 * that took part) and each child's s.47 enquiry started from one. The ICPC and core groups stay reviews.
 */
export class Enquiries1764100000720 implements MigrationInterface {
  name = 'Enquiries1764100000720';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE strategy_discussions (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        child_ids uuid[] NOT NULL CHECK (cardinality(child_ids) >= 1),
        held_on date NOT NULL,
        participants jsonb NOT NULL,
        decision text NOT NULL CHECK (decision IN ('section-47', 'cin', 'no-further-action')),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX strategy_discussions_case ON strategy_discussions (case_id, held_on)`);
    await queryRunner.query(`
      CREATE TABLE section_47_enquiries (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        child_id uuid NOT NULL REFERENCES children (id),
        strategy_discussion_id uuid NOT NULL REFERENCES strategy_discussions (id),
        started_on date NOT NULL,
        concluded_on date CHECK (concluded_on >= started_on),
        outcome text CHECK (outcome IN ('icpc', 'cin-plan', 'no-further-action')),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((concluded_on IS NULL) = (outcome IS NULL))
      )`);
    // One open enquiry per child: a second is a mistake, not a second enquiry.
    await queryRunner.query(`CREATE UNIQUE INDEX section_47_open_per_child ON section_47_enquiries (child_id) WHERE concluded_on IS NULL`);
    await queryRunner.query(`CREATE INDEX section_47_case ON section_47_enquiries (case_id, child_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE section_47_enquiries, strategy_discussions');
  }
}
