import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Gives a service's obligation table every column the shared ledger writes. Cases and PLO grew their
 * tables apart (PLO counted moves and stamped updates; cases kept why an obligation ended); the
 * ledger now keeps all of it in both. Columns that exist already are left as they are.
 */
export function obligationLedgerMigration(table: 'obligations' | 'plo_obligations'): new () => MigrationInterface {
  return class ObligationLedgerColumns1764100000500 implements MigrationInterface {
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        ALTER TABLE ${table}
          ADD COLUMN IF NOT EXISTS sequence integer NOT NULL DEFAULT 0,
          ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now(),
          ADD COLUMN IF NOT EXISTS updated_at timestamptz,
          ADD COLUMN IF NOT EXISTS satisfied_on date,
          ADD COLUMN IF NOT EXISTS satisfied_by text,
          ADD COLUMN IF NOT EXISTS ended_reason text`);
      await queryRunner.query(`UPDATE ${table} SET updated_at = created_at WHERE updated_at IS NULL`);
      // A default keeps an insert that names no updated_at working (cases' inserts never did).
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN updated_at SET DEFAULT now(), ALTER COLUMN updated_at SET NOT NULL`);
    }

    // Which columns were added depends on the table; they hold history worth keeping, so none is dropped.
    async down(): Promise<void> {}
  };
}
