import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "No final hearing listed by week 20" is counted per child, from the child's own issue: a baby who
 * joined the proceedings later is warned later. Children already in proceedings joined on the
 * proceedings' issue day (joining is new in this release), so theirs is the proceedings' date.
 */
export class ChildWarningDates1764100000670 implements MigrationInterface {
  name = 'ChildWarningDates1764100000670';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE child_clocks ADD COLUMN no_final_hearing_warning_on date');
    await queryRunner.query(`
      UPDATE child_clocks c SET no_final_hearing_warning_on = p.no_final_hearing_warning_on + (c.issued_on - p.issued_on)
        FROM proceedings p WHERE p.id = c.proceedings_id`);
    await queryRunner.query('ALTER TABLE child_clocks ALTER COLUMN no_final_hearing_warning_on SET NOT NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE child_clocks DROP COLUMN no_final_hearing_warning_on');
  }
}
