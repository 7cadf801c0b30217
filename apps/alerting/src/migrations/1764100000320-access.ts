import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What access control needs: the case's legal status (legal staff see cases in the PLO), and the
 * council each directory entry belongs to, so one council's administrators never see or change
 * another's. Rows written before this have no council and are visible to nobody until set again.
 */
export class AlertingAccess1764100000320 implements MigrationInterface {
  name = 'AlertingAccess1764100000320';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE case_directory ADD COLUMN legal_status text`);
    await queryRunner.query(`ALTER TABLE team_directory ADD COLUMN council_id text`);
    await queryRunner.query(`ALTER TABLE people ADD COLUMN council_id text`);
    // A subscription without a council used to receive every council's alerts; it now receives none.
    await queryRunner.query(`CREATE INDEX webhook_subscriptions_council ON webhook_subscriptions (council_id) WHERE deleted_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX webhook_subscriptions_council');
    await queryRunner.query('ALTER TABLE people DROP COLUMN council_id');
    await queryRunner.query('ALTER TABLE team_directory DROP COLUMN council_id');
    await queryRunner.query('ALTER TABLE case_directory DROP COLUMN legal_status');
  }
}
