import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The front door per child (issue 18). A contact or referral names the children it is about, and a
 * child can carry the council's person id, so a repeat referral is counted per child across cases
 * as the CIN census counts it. Existing referrals were about the whole case: they name every child
 * the case has now, and a repeat one was a repeat for each of them. The child-and-family assessment
 * is one record per child, started from a referral.
 */
export class FrontDoor1764100000710 implements MigrationInterface {
  name = 'FrontDoor1764100000710';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE children ADD COLUMN person_id text`);
    await queryRunner.query(`CREATE INDEX children_person ON children (person_id) WHERE person_id IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE referrals ADD COLUMN child_ids uuid[] NOT NULL DEFAULT '{}', ADD COLUMN repeat_for uuid[] NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`
      UPDATE referrals r SET child_ids = ARRAY(SELECT ch.id FROM children ch WHERE ch.case_id = r.case_id ORDER BY ch.id)`);
    await queryRunner.query(`UPDATE referrals SET repeat_for = child_ids WHERE repeat`);
    await queryRunner.query(`CREATE INDEX referrals_children ON referrals USING gin (child_ids) WHERE kind = 'referral'`);
    await queryRunner.query(`
      CREATE TABLE assessments (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases (id),
        child_id uuid NOT NULL REFERENCES children (id),
        referral_id uuid NOT NULL REFERENCES referrals (id),
        started_on date NOT NULL,
        obligation_id uuid NOT NULL REFERENCES obligations (id),
        completed_on date,
        outcome text CHECK (outcome IN ('no-further-action', 'cin-plan', 'strategy-discussion')),
        cancelled_on date,
        cancellation_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Completed with its outcome, cancelled with its reason, or neither yet: never both.
        CHECK ((completed_on IS NULL) = (outcome IS NULL)),
        CHECK ((cancelled_on IS NULL) = (cancellation_reason IS NULL)),
        CHECK (completed_on IS NULL OR cancelled_on IS NULL)
      )`);
    await queryRunner.query(`CREATE INDEX assessments_case ON assessments (case_id, started_on)`);
    await queryRunner.query(`CREATE INDEX assessments_completed ON assessments (completed_on) WHERE completed_on IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE assessments');
    await queryRunner.query('DROP INDEX referrals_children');
    await queryRunner.query('ALTER TABLE referrals DROP COLUMN child_ids, DROP COLUMN repeat_for');
    await queryRunner.query('DROP INDEX children_person');
    await queryRunner.query('ALTER TABLE children DROP COLUMN person_id');
  }
}
