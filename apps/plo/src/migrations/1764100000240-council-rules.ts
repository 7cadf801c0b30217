import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each council's local rule choices, as the cases service announces them (council-rules-changed.v1):
 * the pre-proceedings review cadence and the proceedings warning weeks are the council's, not the
 * deployment's. `version` is the council's rule-set version, so an older announcement never undoes
 * a newer one.
 */
export class PloCouncilRules1764100000240 implements MigrationInterface {
  name = 'PloCouncilRules1764100000240';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE council_rule_sets (council_id text PRIMARY KEY, version integer NOT NULL CHECK (version > 0))`);
    await queryRunner.query(`
      CREATE TABLE council_rule_overrides (
        council_id text NOT NULL REFERENCES council_rule_sets (council_id),
        rule_id text NOT NULL,
        "offset" integer NOT NULL CHECK ("offset" > 0),
        unit text NOT NULL,
        counting text NOT NULL,
        PRIMARY KEY (council_id, rule_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE council_rule_overrides, council_rule_sets');
  }
}
