import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Statutory visits are owed to each child, so visit obligations now carry the child and a visit
 * records which children were seen.
 *
 * Existing visits: `children_seen` is filled from what they said (the named child, or every child
 * on the case when the child was seen), so per-child "last visit" dates count them.
 *
 * Existing open per-case visit obligations (child_id NULL) are deliberately left as they are. A
 * migration cannot write events, and alerting holds those obligations by id: splitting or cancelling
 * them here would leave alerting disagreeing with us until something else happened to the case. The
 * service instead adopts a legacy obligation the next time the case's visits change (a visit,
 * placement, child, or status change): the first child takes it over (re-announced under the same
 * id and due date, which consumers treat as a move to the same date) and every other child gets a
 * new obligation with the same due date, all through the outbox. Until then the legacy obligation
 * still alerts exactly as before.
 */
export class PerChildVisits1764100000120 implements MigrationInterface {
  name = 'PerChildVisits1764100000120';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE visits ADD COLUMN children_seen uuid[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      UPDATE visits v
         SET children_seen = CASE WHEN v.child_id IS NOT NULL THEN ARRAY[v.child_id]
                                  ELSE ARRAY(SELECT c.id FROM children c WHERE c.case_id = v.case_id) END
       WHERE v.child_seen`);
    await queryRunner.query(`CREATE INDEX visits_children_seen ON visits USING gin (children_seen) WHERE counts_as_statutory`);
    await queryRunner.query(
      `CREATE INDEX obligations_open_child ON obligations (case_id, child_id) WHERE status = 'open' AND kind = 'visit'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX obligations_open_child');
    await queryRunner.query('DROP INDEX visits_children_seen');
    await queryRunner.query('ALTER TABLE visits DROP COLUMN children_seen');
  }
}
