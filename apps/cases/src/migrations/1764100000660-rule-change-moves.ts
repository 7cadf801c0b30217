import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A council's rule change now recomputes the open obligations the rule governs; the audit trail
 * records how many moved. Changes made before moved none (open obligations kept their dates then),
 * so 0 is their true count. The column is added with that default, which Postgres writes without
 * an UPDATE, so the append-only trigger is not crossed; new rows must state their count.
 */
export class RuleChangeMoves1764100000660 implements MigrationInterface {
  name = 'RuleChangeMoves1764100000660';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE council_rule_history ADD COLUMN obligations_moved integer NOT NULL DEFAULT 0 CHECK (obligations_moved >= 0)`,
    );
    await queryRunner.query(`ALTER TABLE council_rule_history ALTER COLUMN obligations_moved DROP DEFAULT`);
  }

  // The audit trail keeps its counts.
  async down(): Promise<void> {}
}
