import { MigrationInterface, QueryRunner } from 'typeorm';

export class Alerts1764100000310 implements MigrationInterface {
  name = 'Alerts1764100000310';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The next instant something must happen to an obligation (a warning or drift): the scheduler
    // claims due rows through this index, so memory never holds the obligations themselves.
    await queryRunner.query(`ALTER TABLE obligations ADD COLUMN next_alert_at timestamptz`);
    await queryRunner.query(`DROP INDEX obligations_open_by_overdue_at`);
    await queryRunner.query(
      `CREATE INDEX obligations_next_alert ON obligations (next_alert_at) WHERE status = 'open' AND next_alert_at IS NOT NULL`,
    );
    // Satisfied or cancelled before alerting saw the obligation scheduled (events from two topics).
    await queryRunner.query(`
      CREATE TABLE early_outcomes (
        obligation_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('satisfied', 'cancelled')),
        satisfied_on date,
        ended_reason text
      )`);
    await queryRunner.query(`
      CREATE TABLE alerts (
        id uuid PRIMARY KEY,
        subject_key text NOT NULL,
        level text NOT NULL,
        due_date date NOT NULL,
        obligation_id uuid,
        case_id uuid NOT NULL,
        council_id text NOT NULL,
        child_id uuid,
        kind text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('warning', 'high', 'critical')),
        explanation text NOT NULL,
        state text NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
        team_id text NOT NULL,
        worker_id text NOT NULL,
        escalation_step smallint NOT NULL DEFAULT 0,
        recipient_id text,
        raised_at timestamptz NOT NULL,
        escalates_at timestamptz,
        acknowledged_by text,
        acknowledged_at timestamptz,
        acknowledgement_note text,
        resolved_at timestamptz,
        resolution text,
        resolved_by text,
        resolution_reason text,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT one_alert_per_subject_level_and_due_date UNIQUE (subject_key, level, due_date)
      )`);
    await queryRunner.query(
      `CREATE INDEX alerts_escalation_due ON alerts (escalates_at) WHERE state = 'open' AND escalates_at IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX alerts_team_active ON alerts (team_id, raised_at DESC, id DESC) WHERE state <> 'resolved'`);
    await queryRunner.query(`CREATE INDEX alerts_case ON alerts (case_id)`);
    await queryRunner.query(`CREATE INDEX alerts_obligation_active ON alerts (obligation_id) WHERE state <> 'resolved'`);
    await queryRunner.query(`
      CREATE TABLE alert_history (
        id bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alerts (id),
        at timestamptz NOT NULL,
        transition text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        actor text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(`CREATE INDEX alert_history_alert ON alert_history (alert_id, id)`);
    // An audit trail that can be edited is not one.
    await queryRunner.query(`
      CREATE FUNCTION alert_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'alert_history is append-only'; END $$`);
    await queryRunner.query(`
      CREATE TRIGGER alert_history_append_only BEFORE UPDATE OR DELETE ON alert_history
      FOR EACH ROW EXECUTE FUNCTION alert_history_is_append_only()`);
    await queryRunner.query(`
      CREATE TABLE team_directory (
        team_id text PRIMARY KEY,
        service_manager_id text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE people (
        person_id text PRIMARY KEY,
        email text NOT NULL,
        display_name text
      )`);
    await queryRunner.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid PRIMARY KEY,
        url text NOT NULL,
        secret text NOT NULL,
        council_id text,
        team_id text,
        event_types text[],
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE digests (
        manager_id text NOT NULL,
        london_date date NOT NULL,
        alert_count integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (manager_id, london_date)
      )`);
    // Delivery is its own queue: each row is one message for one channel and target, so a failing
    // webhook never holds up an e-mail, and nothing is lost while a channel is down.
    await queryRunner.query(`
      CREATE TABLE deliveries (
        id bigserial PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('webhook', 'email')),
        purpose text NOT NULL CHECK (purpose IN ('alert-event', 'alert-email', 'digest')),
        alert_id uuid REFERENCES alerts (id),
        event_id uuid,
        subscription_id uuid REFERENCES webhook_subscriptions (id),
        recipient_id text,
        payload jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX deliveries_pending ON deliveries (next_attempt_at) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX deliveries_alert ON deliveries (alert_id)`);
    await queryRunner.query(`CREATE INDEX deliveries_failed ON deliveries (id) WHERE status = 'failed'`);
    await queryRunner.query(`
      CREATE TABLE delivery_attempts (
        id bigserial PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES deliveries (id),
        attempt integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        succeeded boolean NOT NULL,
        response_status integer,
        error text,
        duration_ms integer NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP TABLE delivery_attempts, deliveries, digests, webhook_subscriptions, people, team_directory, alert_history, alerts, early_outcomes',
    );
    await queryRunner.query('DROP FUNCTION alert_history_is_append_only()');
    await queryRunner.query('DROP INDEX obligations_next_alert');
    await queryRunner.query(`CREATE INDEX obligations_open_by_overdue_at ON obligations (overdue_at) WHERE status = 'open'`);
    await queryRunner.query('ALTER TABLE obligations DROP COLUMN next_alert_at');
  }
}
