import type { Transaction } from '@plo/messaging';

/** What the rebuild clears, and the open obligations whose alert schedules it resumes. */
export class RebuildStore {
  async clear(tx: Transaction, consumer: string): Promise<void> {
    await tx.query('TRUNCATE obligations, case_directory, early_outcomes');
    // This database's inbox serves the alerting consumer alone.
    await tx.query('TRUNCATE processed_events');
    // Replayed messages that still fail are dead-lettered again; replayed ones stay as a record.
    await tx.query('DELETE FROM dead_letters WHERE consumer = $1 AND replayed_at IS NULL', [consumer]);
  }

  /** Fresh statistics for the tables the replay fills. */
  async analyse(tx: Transaction): Promise<void> {
    await tx.query('ANALYZE obligations, case_directory, early_outcomes, processed_events');
  }

  /** Up to 5,000 open obligations after `after` (by id) that have alerts for their current due date, with those alerts' levels. */
  openObligationsWithAlerts(
    tx: Transaction,
    after: string,
  ): Promise<{ id: string; kind: string; due_date: string; due_at: Date | null; levels: string[] }[]> {
    return tx.query(
      `SELECT o.id, o.kind, to_char(o.due_date, 'YYYY-MM-DD') AS due_date, o.due_at, array_agg(a.level) AS levels
         FROM obligations o JOIN alerts a ON a.obligation_id = o.id AND a.due_date = o.due_date
        WHERE o.status = 'open' AND NOT o.historical AND o.id > $1
        GROUP BY o.id ORDER BY o.id LIMIT 5000`,
      [after],
    );
  }

  async setNextAlerts(tx: Transaction, ids: string[], next: (string | null)[]): Promise<void> {
    await tx.query(
      `UPDATE obligations o SET next_alert_at = n.next_at FROM unnest($1::uuid[], $2::timestamptz[]) AS n(id, next_at) WHERE o.id = n.id`,
      [ids, next],
    );
  }
}
