import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reading proceedings (GET /proceedings/{id}) fetches their obligations and extensions by
 * proceedings id, which no index covered: each read scanned every case's obligations.
 */
export class ProceedingsReads1764100000230 implements MigrationInterface {
  name = 'ProceedingsReads1764100000230';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX plo_obligations_by_proceedings ON plo_obligations (proceedings_id)`);
    await queryRunner.query(`CREATE INDEX child_extensions_by_proceedings ON child_extensions (proceedings_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX child_extensions_by_proceedings, plo_obligations_by_proceedings');
  }
}
