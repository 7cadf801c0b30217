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

/**
 * Rule ids that were local (council-changeable) when anchors started to be kept: only obligations
 * of these can move when a council changes a rule, so only theirs need the anchor recovered.
 */
const LOCAL_RULE_IDS = [
  'pre-proceedings-review',
  'referral-next-step',
  'first-core-group',
  'core-group-interval',
  'cp-visit',
  'cin-visit',
  'cin-review',
  'proceedings-warning-week-20',
  'proceedings-warning-week-24',
  'visit-due-warning',
];

/**
 * Keeps the day each obligation's rule counted from, so that a council's change of a local rule can
 * recompute its open obligations from the same day. Open obligations of local rules already in the
 * table get theirs from their explanation, which the timescales library always writes as
 * "<period> <anchor> on Mon 6 Jan 2025 → …": its first long date is the anchor.
 */
export function obligationAnchorMigration(table: 'obligations' | 'plo_obligations'): new () => MigrationInterface {
  return class ObligationAnchors1764100000650 implements MigrationInterface {
    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS anchor_date date`);
      await queryRunner.query(
        `UPDATE ${table}
            SET anchor_date = to_date(substring(explanation from ' on [A-Z][a-z]{2} ([0-9]{1,2} [A-Z][a-z]{2} [0-9]{4})'), 'FMDD Mon YYYY')
          WHERE status = 'open' AND anchor_date IS NULL AND rule_id = ANY($1)
            AND explanation ~ ' on [A-Z][a-z]{2} [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4}'`,
        [LOCAL_RULE_IDS],
      );
      await queryRunner.query(`CREATE INDEX IF NOT EXISTS ${table}_open_by_rule ON ${table} (rule_id) WHERE status = 'open'`);
    }

    // The anchors are kept: a rollback to code that does not read them loses nothing by their staying.
    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP INDEX IF EXISTS ${table}_open_by_rule`);
    }
  };
}
