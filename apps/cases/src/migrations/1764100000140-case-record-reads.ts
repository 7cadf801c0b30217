import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reading a case (GET /cases/{id}) fetches all its obligations, legal statuses and allocations, met
 * or ended ones included; the existing indexes cover only the open or current rows, so each read
 * scanned the whole table — 35 reads/s with 20,000 cases (bench/api.bench.ts).
 */
export class CaseRecordReads1764100000140 implements MigrationInterface {
  name = 'CaseRecordReads1764100000140';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX obligations_case ON obligations (case_id, due_date)`);
    await queryRunner.query(`CREATE INDEX legal_statuses_case ON legal_statuses (case_id, start_date)`);
    await queryRunner.query(`CREATE INDEX allocations_case ON allocations (case_id, start_date)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX allocations_case, legal_statuses_case, obligations_case');
  }
}
