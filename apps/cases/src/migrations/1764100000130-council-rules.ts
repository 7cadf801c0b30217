import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each council's overrides of local timescale rules. `council_rule_sets.version` goes up with every
 * change of a council's rules: services compare it to decide whether their cached pack is current,
 * and changes lock the row, so two changes of one council are applied one after the other.
 * `council_rule_history` is the audit trail (who, when, from what to what) and only ever grows.
 */
export class CouncilRules1764100000130 implements MigrationInterface {
  name = 'CouncilRules1764100000130';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE council_rule_sets (
        council_id text PRIMARY KEY,
        version integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE council_rule_overrides (
        council_id text NOT NULL REFERENCES council_rule_sets (council_id),
        rule_id text NOT NULL,
        "offset" integer NOT NULL CHECK ("offset" > 0),
        unit text NOT NULL,
        counting text NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (council_id, rule_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE council_rule_history (
        id bigserial PRIMARY KEY,
        council_id text NOT NULL REFERENCES council_rule_sets (council_id),
        rule_id text NOT NULL,
        version integer NOT NULL,
        change text NOT NULL CHECK (change IN ('overridden', 'reset')),
        period jsonb NOT NULL,
        previous_period jsonb NOT NULL,
        reason text,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        UNIQUE (council_id, version)
      )`);
    // The audit trail cannot be edited or pruned through the application's connection.
    await queryRunner.query(`
      CREATE FUNCTION council_rule_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'council_rule_history is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER council_rule_history_append_only BEFORE UPDATE OR DELETE ON council_rule_history
      FOR EACH ROW EXECUTE FUNCTION council_rule_history_is_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE council_rule_history, council_rule_overrides, council_rule_sets');
    await queryRunner.query('DROP FUNCTION council_rule_history_is_append_only');
  }
}
