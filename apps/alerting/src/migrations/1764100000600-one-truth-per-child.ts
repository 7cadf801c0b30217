import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15 (one truth per child) in alerting:
 * - alerts recur: a drift that is cleared and comes back is the next episode of its (subject, level,
 *   due date), linked to the one before; existing alerts are episode 1. At most one episode is active
 *   at a time, so a raise that meets an active alert still does nothing, even under concurrency;
 * - a projection's alert remembers the event that raised it, so replaying that event (a rebuild)
 *   never opens another episode. Where the outbox still holds the alert's event, existing alerts
 *   learn it too;
 * - alerts recorded from history (`historical`) are kept, resolved, and never delivered;
 * - an obligation may become overdue at a time of day (`due_at`) and may be history only;
 * - legal may see a case once any child has had legal involvement (PLO's fact): known so far only
 *   as the v1 summary `legal_status = 'plo'`, so that is where the date starts (today, in London).
 */
export class OneTruthPerChild1764100000600 implements MigrationInterface {
  name = 'OneTruthPerChild1764100000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE alerts
        ADD COLUMN episode integer NOT NULL DEFAULT 1 CHECK (episode >= 1),
        ADD COLUMN previous_alert_id uuid REFERENCES alerts (id),
        ADD COLUMN cause_event_id uuid,
        ADD COLUMN historical boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE alerts DROP CONSTRAINT one_alert_per_subject_level_and_due_date`);
    await queryRunner.query(
      `ALTER TABLE alerts ADD CONSTRAINT one_alert_per_subject_level_due_date_and_episode UNIQUE (subject_key, level, due_date, episode)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX one_active_alert_per_subject_level_and_due_date ON alerts (subject_key, level, due_date) WHERE state <> 'resolved'`,
    );
    await queryRunner.query(`CREATE INDEX alerts_cause_event ON alerts (cause_event_id) WHERE cause_event_id IS NOT NULL`);
    await queryRunner.query(`
      UPDATE alerts a SET cause_event_id = (o.value::jsonb ->> 'causationid')::uuid
        FROM outbox o
       WHERE o.event_type = 'uk.gov.plo.alerts.alert-raised.v1' AND a.level = 'projected-drift'
         AND o.value::jsonb -> 'data' ->> 'alertId' = a.id::text
         AND (o.value::jsonb ->> 'causationid') ~ '^[0-9a-fA-F-]{36}$'`);
    await queryRunner.query(`
      ALTER TABLE obligations
        ADD COLUMN due_at timestamptz,
        ADD COLUMN historical boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE case_directory ADD COLUMN legal_involved_since date`);
    await queryRunner.query(
      `UPDATE case_directory SET legal_involved_since = (now() AT TIME ZONE 'Europe/London')::date WHERE legal_status = 'plo'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE case_directory DROP COLUMN legal_involved_since');
    await queryRunner.query('ALTER TABLE obligations DROP COLUMN historical, DROP COLUMN due_at');
    await queryRunner.query('DROP INDEX alerts_cause_event');
    await queryRunner.query('DROP INDEX one_active_alert_per_subject_level_and_due_date');
    await queryRunner.query('ALTER TABLE alerts DROP CONSTRAINT one_alert_per_subject_level_due_date_and_episode');
    // Fails while later episodes exist: the audit trail is append-only and they cannot be undone.
    await queryRunner.query(
      'ALTER TABLE alerts ADD CONSTRAINT one_alert_per_subject_level_and_due_date UNIQUE (subject_key, level, due_date)',
    );
    await queryRunner.query(
      'ALTER TABLE alerts DROP COLUMN historical, DROP COLUMN cause_event_id, DROP COLUMN previous_alert_id, DROP COLUMN episode',
    );
  }
}
