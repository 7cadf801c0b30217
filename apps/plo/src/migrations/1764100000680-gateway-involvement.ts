import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every legal gateway decision now involves legal (issue now until the proceedings are issued;
 * continue the plan for the day), and legal's visibility in PLO reads the involvements announced.
 * Decisions to issue now or continue the plan recorded before this release are announced once, at the
 * next start, like the pre-proceedings before them, so the cases they opened to legal stay open.
 */
export class GatewayInvolvement1764100000680 implements MigrationInterface {
  name = 'GatewayInvolvement1764100000680';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE pre_proceedings pp SET involvement_backfill_due = true
       WHERE pp.decision <> 'pre-proceedings'
         AND NOT EXISTS (SELECT 1 FROM legal_involvements li WHERE li.involvement_id = pp.id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE pre_proceedings SET involvement_backfill_due = false WHERE decision <> 'pre-proceedings'`);
  }
}
