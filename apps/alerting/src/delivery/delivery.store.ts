import { Injectable } from '@nestjs/common';
import type { Transaction } from '@plo/messaging';

export interface Subscription {
  id: string;
  council_id: string;
  team_id: string | null;
  event_types: string[] | null;
}

export interface PlannedDelivery {
  channel: string;
  purpose: string;
  alertId: string;
  eventId: string;
  subscriptionId: string | null;
  recipientId: string | null;
  payload: object;
}

export interface ClaimedDelivery {
  id: string;
  channel: 'webhook' | 'email';
  payload: unknown;
  attempts: number;
  recipient_id: string | null;
  url: string | null;
  secret: string | null;
  email: string | null;
  event_type: string | null;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  succeeded: boolean;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  status: 'sent' | 'failed' | 'pending';
  backoffMs: number;
}

export interface ManagerSummary {
  manager_id: string;
  alert_count: number;
  critical: number;
  high: number;
  warning: number;
  escalated_to_me: number;
  lines: {
    caseReference: string | null;
    kind: string;
    level: string;
    severity: string;
    dueDate: string;
    state: string;
    workerId: string;
    teamId: string;
  }[];
}

export interface NewSubscription {
  id: string;
  url: string;
  secret: string;
  councilId: string;
  teamId: string | null;
  eventTypes: string[] | null;
  createdBy: string;
}

export interface DeliveryFilter {
  status: string | null;
  channel: string | null;
  alertId: string | null;
  limit: number;
}

/** A delivery belongs to the council of its alert, its subscription or (a digest) its recipient. */
const DELIVERIES_WITH_COUNCIL = `deliveries d
  LEFT JOIN alerts a ON a.id = d.alert_id
  LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id
  LEFT JOIN people p ON p.person_id = d.recipient_id`;
const DELIVERY_COUNCIL = 'coalesce(a.council_id, s.council_id, p.council_id)';

/** The deliveries queue with its attempts, webhook subscriptions and daily digests. */
@Injectable()
export class DeliveryStore {
  subscriptionsOf(tx: Transaction, councilIds: string[]): Promise<Subscription[]> {
    return tx.query<Subscription>(
      'SELECT id, council_id, team_id, event_types FROM webhook_subscriptions WHERE deleted_at IS NULL AND council_id = ANY($1::text[])',
      [councilIds],
    );
  }

  async caseReferences(tx: Transaction, caseIds: string[]): Promise<Map<string, string>> {
    const rows = await tx.query<{ case_id: string; case_reference: string }>(
      'SELECT case_id, case_reference FROM case_directory WHERE case_id = ANY($1::uuid[])',
      [caseIds],
    );
    return new Map(rows.map((row) => [row.case_id, row.case_reference]));
  }

  async enqueue(tx: Transaction, rows: PlannedDelivery[]): Promise<void> {
    await tx.query(
      `INSERT INTO deliveries (channel, purpose, alert_id, event_id, subscription_id, recipient_id, payload, status)
       SELECT channel, purpose, alert_id, event_id, subscription_id, recipient_id, payload, 'pending'
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::jsonb[])
           AS d(channel, purpose, alert_id, event_id, subscription_id, recipient_id, payload)`,
      [
        rows.map((r) => r.channel),
        rows.map((r) => r.purpose),
        rows.map((r) => r.alertId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.subscriptionId),
        rows.map((r) => r.recipientId),
        rows.map((r) => JSON.stringify(r.payload)),
      ],
    );
  }

  /** Leases up to `limit` due deliveries (a crash mid-send frees them when the lease runs out) and counts the attempt. */
  claim(tx: Transaction, limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
    return tx.query<ClaimedDelivery>(
      `WITH due AS (
         SELECT d.id, s.url, s.secret, p.email
           FROM deliveries d
           LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.deleted_at IS NULL
           LEFT JOIN people p ON p.person_id = d.recipient_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
          ORDER BY d.next_attempt_at LIMIT $1
            FOR UPDATE OF d SKIP LOCKED)
       UPDATE deliveries d SET lease_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
         FROM due WHERE d.id = due.id
        RETURNING d.id, d.channel, d.payload, d.attempts, d.recipient_id, due.url, due.secret, due.email, d.payload->>'type' AS event_type`,
      [limit, leaseSeconds],
    );
  }

  async recordAttempt(tx: Transaction, attempt: AttemptRecord): Promise<void> {
    await tx.query(
      `INSERT INTO delivery_attempts (delivery_id, attempt, succeeded, response_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
      [attempt.deliveryId, attempt.attempt, attempt.succeeded, attempt.responseStatus, attempt.error, attempt.durationMs],
    );
    await tx.query(
      `UPDATE deliveries SET status = $2, lease_until = NULL, last_error = $3,
              sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END,
              next_attempt_at = now() + make_interval(secs => $4::double precision / 1000)
        WHERE id = $1`,
      [attempt.deliveryId, attempt.status, attempt.error, attempt.backoffMs],
    );
  }

  async failedCount(tx: Transaction): Promise<number> {
    const [{ n }] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'failed'`);
    return n;
  }

  /** Each manager's active alerts (as team manager of the case, or service manager of its team), the most urgent `lines` listed. */
  managerSummaries(tx: Transaction, lines: number): Promise<ManagerSummary[]> {
    return tx.query<ManagerSummary>(
      `WITH managed AS (
         SELECT c.team_manager_id AS manager_id, a.*, c.case_reference
           FROM alerts a JOIN case_directory c ON c.case_id = a.case_id
          WHERE a.state <> 'resolved' AND c.team_manager_id IS NOT NULL
         UNION
         SELECT t.service_manager_id AS manager_id, a.*, c.case_reference
           FROM alerts a JOIN team_directory t ON t.council_id = a.council_id AND t.team_id = a.team_id LEFT JOIN case_directory c ON c.case_id = a.case_id
          WHERE a.state <> 'resolved'),
       ranked AS (
         SELECT *, row_number() OVER (PARTITION BY manager_id
                   ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 ELSE 2 END, due_date, id) AS rank
           FROM managed)
       SELECT manager_id, count(*)::int AS alert_count,
              count(*) FILTER (WHERE severity = 'critical')::int AS critical,
              count(*) FILTER (WHERE severity = 'high')::int AS high,
              count(*) FILTER (WHERE severity = 'warning')::int AS warning,
              count(*) FILTER (WHERE recipient_id = manager_id AND escalation_step > 0)::int AS escalated_to_me,
              coalesce(json_agg(json_build_object('caseReference', case_reference, 'kind', kind, 'level', level, 'severity', severity,
                         'dueDate', to_char(due_date, 'YYYY-MM-DD'), 'state', state, 'workerId', worker_id, 'teamId', team_id)
                       ORDER BY rank) FILTER (WHERE rank <= $1), '[]') AS lines
         FROM ranked GROUP BY manager_id`,
      [lines],
    );
  }

  /** Claims the (manager, day) digests not sent yet; returns the managers claimed here. */
  async claimDigests(tx: Transaction, summaries: ManagerSummary[], londonDate: string, now: Date): Promise<Set<string>> {
    const claimed = await tx.query<{ manager_id: string }>(
      `INSERT INTO digests (manager_id, london_date, alert_count, created_at)
       SELECT * FROM unnest($1::text[], $2::date[], $3::int[], $4::timestamptz[])
       ON CONFLICT (manager_id, london_date) DO NOTHING RETURNING manager_id`,
      [
        summaries.map((s) => s.manager_id),
        summaries.map(() => londonDate),
        summaries.map((s) => s.alert_count),
        summaries.map(() => now.toISOString()),
      ],
    );
    return new Set(claimed.map((row) => row.manager_id));
  }

  async enqueueDigests(tx: Transaction, digests: { recipientId: string; payload: object }[]): Promise<void> {
    await tx.query(
      `INSERT INTO deliveries (channel, purpose, recipient_id, payload, status)
       SELECT 'email', 'digest', recipient_id, payload, 'pending' FROM unnest($1::text[], $2::jsonb[]) AS d(recipient_id, payload)`,
      [digests.map((d) => d.recipientId), digests.map((d) => JSON.stringify(d.payload))],
    );
  }

  async subscribe(tx: Transaction, subscription: NewSubscription): Promise<void> {
    await tx.query(
      `INSERT INTO webhook_subscriptions (id, url, secret, council_id, team_id, event_types, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        subscription.id,
        subscription.url,
        subscription.secret,
        subscription.councilId,
        subscription.teamId,
        subscription.eventTypes,
        subscription.createdBy,
      ],
    );
  }

  subscriptions(tx: Transaction, councilId: string) {
    return tx.query(
      `SELECT id, url, council_id AS "councilId", team_id AS "teamId", event_types AS "eventTypes", created_by AS "createdBy", created_at AS "createdAt"
         FROM webhook_subscriptions WHERE deleted_at IS NULL AND council_id = $1 ORDER BY created_at`,
      [councilId],
    );
  }

  /** Ends the council's subscription; false if it has none by that id. */
  async unsubscribe(tx: Transaction, id: string, councilId: string): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE webhook_subscriptions SET deleted_at = now() WHERE id = $1 AND council_id = $2 AND deleted_at IS NULL RETURNING id`,
      [id, councilId],
    );
    return rows.length > 0;
  }

  deliveries(tx: Transaction, councilId: string, filter: DeliveryFilter) {
    return tx.query(
      `SELECT d.id::int, d.channel, d.purpose, d.alert_id AS "alertId", d.subscription_id AS "subscriptionId", d.recipient_id AS "recipientId",
              d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt", d.last_error AS "lastError", d.created_at AS "createdAt", d.sent_at AS "sentAt"
         FROM ${DELIVERIES_WITH_COUNCIL}
        WHERE ${DELIVERY_COUNCIL} = $1
          AND ($2::text IS NULL OR d.status = $2) AND ($3::text IS NULL OR d.channel = $3) AND ($4::uuid IS NULL OR d.alert_id = $4)
        ORDER BY d.id DESC LIMIT $5`,
      [councilId, filter.status, filter.channel, filter.alertId, filter.limit],
    );
  }

  async isCouncilDelivery(tx: Transaction, id: string, councilId: string): Promise<boolean> {
    const rows = await tx.query(`SELECT d.id FROM ${DELIVERIES_WITH_COUNCIL} WHERE d.id = $1 AND ${DELIVERY_COUNCIL} = $2`, [
      id,
      councilId,
    ]);
    return rows.length > 0;
  }

  attempts(tx: Transaction, deliveryId: string) {
    return tx.query(
      `SELECT attempt, attempted_at AS "attemptedAt", succeeded, response_status AS "responseStatus", error, duration_ms AS "durationMs"
         FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
      [deliveryId],
    );
  }
}
