import { Injectable } from '@nestjs/common';
import type { Transaction } from '@plo/messaging';

export const SCHEDULE_CHANNEL = 'alerting_schedule';

/**
 * Tells every running scheduler that something now falls due at an instant. The NOTIFY is sent in
 * the writer's transaction, and Postgres delivers it only when that commits, so a scheduler never
 * looks for a row before it is visible — and instances learn of each other's writes at once.
 */
export async function announceDue(tx: Transaction, earliest: Date): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [SCHEDULE_CHANNEL, earliest.toISOString()]);
}

/** What the scheduler asks of the obligations and alerts between claims. */
@Injectable()
export class SchedulingStore {
  /**
   * The kinds, due dates and times of the open obligations with an alert due by `dueBy`. Only those
   * of cases alerting knows: an alert's people come from the case, and until it arrives (obligations
   * from before alerting waited for it) there is nobody to raise it for.
   */
  dueGroups(tx: Transaction, dueBy: Date): Promise<{ kind: string; due_date: string; due_at: Date | null }[]> {
    return tx.query(
      `SELECT o.kind, to_char(o.due_date, 'YYYY-MM-DD') AS due_date, o.due_at
         FROM obligations o JOIN case_directory c ON c.case_id = o.case_id
        WHERE o.status = 'open' AND o.next_alert_at <= $1 GROUP BY o.kind, o.due_date, o.due_at`,
      [dueBy.toISOString()],
    );
  }

  /** The next instant an obligation's alert or an open alert's escalation falls due, if any. */
  async nextDue(tx: Transaction): Promise<{ obligation: Date | null; escalation: Date | null }> {
    const [row] = await tx.query<{ obligation: Date | null; escalation: Date | null }>(
      `SELECT (SELECT min(o.next_alert_at) FROM obligations o JOIN case_directory c ON c.case_id = o.case_id
                WHERE o.status = 'open' AND o.next_alert_at IS NOT NULL) AS obligation,
              (SELECT min(escalates_at) FROM alerts WHERE state = 'open' AND escalates_at IS NOT NULL) AS escalation`,
    );
    return row;
  }
}
