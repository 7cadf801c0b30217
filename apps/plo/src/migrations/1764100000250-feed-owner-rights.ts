import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A feed is served with its owner's current rights, not the rights they had the day they made it.
 * PLO has no directory of people: what the owner may see is known only from their bearer token when
 * they call, so the last rights seen and when they were seen are kept with each feed. The rights at
 * creation (creator_*) stay, so a fetch can tell what the owner has lost since.
 */
export class PloFeedOwnerRights1764100000250 implements MigrationInterface {
  name = 'PloFeedOwnerRights1764100000250';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE calendar_feeds
        ADD COLUMN owner_team_ids text[] NOT NULL DEFAULT '{}',
        ADD COLUMN owner_roles text[] NOT NULL DEFAULT '{}',
        ADD COLUMN rights_seen_at timestamptz`);
    // Until they call again, an existing feed's owner was last seen when they made it.
    await queryRunner.query(
      'UPDATE calendar_feeds SET owner_team_ids = creator_team_ids, owner_roles = creator_roles, rights_seen_at = created_at',
    );
    await queryRunner.query('ALTER TABLE calendar_feeds ALTER COLUMN rights_seen_at SET NOT NULL');
    // Every request its owner makes refreshes their feeds.
    await queryRunner.query('CREATE INDEX calendar_feeds_by_owner ON calendar_feeds (council_id, created_by) WHERE revoked_at IS NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX calendar_feeds_by_owner');
    await queryRunner.query('ALTER TABLE calendar_feeds DROP COLUMN owner_team_ids, DROP COLUMN owner_roles, DROP COLUMN rights_seen_at');
  }
}
