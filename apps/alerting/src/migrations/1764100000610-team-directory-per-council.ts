import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Team ids are each council's own: two councils may both have a `north-1`. The directory is keyed by
 * (council, team) instead of the team id alone. Rows from before councils were recorded take the
 * council of the cases that team holds, where that is one council; otherwise they stay without one,
 * reaching nobody, until an administrator sets them again.
 */
export class TeamDirectoryPerCouncil1764100000610 implements MigrationInterface {
  name = 'TeamDirectoryPerCouncil1764100000610';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE team_directory t
         SET council_id = (SELECT min(c.council_id) FROM case_directory c WHERE c.team_id = t.team_id
                            HAVING count(DISTINCT c.council_id) = 1)
       WHERE t.council_id IS NULL`);
    await queryRunner.query('ALTER TABLE team_directory DROP CONSTRAINT team_directory_pkey');
    await queryRunner.query('CREATE UNIQUE INDEX team_directory_council_team ON team_directory (council_id, team_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX team_directory_council_team');
    // Fails while two councils share a team id: which council's manager to keep is not the migration's to choose.
    await queryRunner.query('ALTER TABLE team_directory ADD PRIMARY KEY (team_id)');
  }
}
