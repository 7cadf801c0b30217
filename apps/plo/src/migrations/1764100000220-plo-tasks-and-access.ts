import { MigrationInterface, QueryRunner } from 'typeorm';

export class PloTasksAndAccess1764100000220 implements MigrationInterface {
  name = 'PloTasksAndAccess1764100000220';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE plo_obligations ADD COLUMN satisfied_on date, ADD COLUMN satisfied_by text`);
    await queryRunner.query(`ALTER TABLE hearings ADD COLUMN draft_order_uploaded_on date`);
    // "Is this case in the PLO?" is asked of every row an access check or a filtered list touches.
    await queryRunner.query(`CREATE INDEX proceedings_by_case ON proceedings (case_id)`);
    await queryRunner.query(`CREATE INDEX pre_proceedings_by_case ON pre_proceedings (case_id)`);
    // Which council may see an exception: the matched case's, else the sender's (HTTP, CSV), else the
    // council the Kafka court feed belongs to in this deployment.
    await queryRunner.query(`ALTER TABLE court_update_exceptions ADD COLUMN council_id text`);
    await queryRunner.query(`CREATE INDEX court_update_exceptions_by_council ON court_update_exceptions (council_id, id)`);
    // A feed shows only what its creator could see, so the creator's rights are kept with it.
    await queryRunner.query(`
      ALTER TABLE calendar_feeds
        ADD COLUMN council_id text,
        ADD COLUMN creator_team_ids text[] NOT NULL DEFAULT '{}',
        ADD COLUMN creator_roles text[] NOT NULL DEFAULT '{}'`);
    // Feeds made before sign-in existed have no known creator rights: they stop working.
    await queryRunner.query(`UPDATE calendar_feeds SET revoked_at = now() WHERE revoked_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE calendar_feeds DROP COLUMN council_id, DROP COLUMN creator_team_ids, DROP COLUMN creator_roles');
    await queryRunner.query('DROP INDEX court_update_exceptions_by_council');
    await queryRunner.query('ALTER TABLE court_update_exceptions DROP COLUMN council_id');
    await queryRunner.query('DROP INDEX pre_proceedings_by_case, proceedings_by_case');
    await queryRunner.query('ALTER TABLE hearings DROP COLUMN draft_order_uploaded_on');
    await queryRunner.query('ALTER TABLE plo_obligations DROP COLUMN satisfied_on, DROP COLUMN satisfied_by');
  }
}
