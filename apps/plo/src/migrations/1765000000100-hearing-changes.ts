import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of a hearing (listed, moved, vacated, adjourned, held), append-only. A hearing row
 * holds only its latest date, so a moved hearing forgot where it had been: the case page's timeline
 * and chronology need the date it moved from and the day it changed. Hearings recorded before this
 * release have no history; the chronology reports them by their current state instead.
 */
export class HearingChanges1765000000100 implements MigrationInterface {
  name = 'HearingChanges1765000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE hearing_changes (
        id bigserial PRIMARY KEY,
        hearing_id uuid NOT NULL REFERENCES hearings (id),
        proceedings_id uuid NOT NULL REFERENCES proceedings (id),
        change text NOT NULL CHECK (change IN ('listed', 'moved', 'vacated', 'adjourned', 'held')),
        hearing_type text NOT NULL,
        hearing_date date NOT NULL,
        previous_hearing_date date CHECK ((change = 'moved') = (previous_hearing_date IS NOT NULL)),
        source text NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX hearing_changes_by_proceedings ON hearing_changes (proceedings_id, id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE hearing_changes');
  }
}
