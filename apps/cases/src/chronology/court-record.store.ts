import { Injectable } from '@nestjs/common';
import { Transaction } from '@plo/messaging';

/** Which PLO event last wrote a court record entry: its id and PLO's time, the order entries are updated in. */
export interface PloStamp {
  eventId: string;
  time: string;
}

export interface CourtRecordEntry {
  recordType: 'hearing' | 'extension' | 'proceedings-concluded';
  recordId: string;
  /** Absent for an entry about the proceedings (a hearing): it belongs to each child in them on its date. */
  childId?: string;
  caseId: string;
  proceedingsId: string;
  occurredOn: string;
  event: string;
}

export interface MissedTimescale {
  alertId: string;
  caseId: string;
  childId: string;
  kind: string;
  dueDate: string;
  raisedAt: string;
  explanation: string;
  event: string;
}

/** Cases' copies of PLO's court record and of alerting's missed timescales, written only by their events' handlers. */
@Injectable()
export class CourtRecordStore {
  /** A child in proceedings from the day their 26 weeks began; a repeated event changes nothing. */
  async childInProceedings(tx: Transaction, caseId: string, proceedingsId: string, childId: string, joinedOn: string): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO court_proceedings_children (proceedings_id, child_id, case_id, joined_on) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [proceedingsId, childId, caseId, joinedOn],
    );
    return rows.length > 0;
  }

  /**
   * Writes the entry unless what is held came from a later PLO event (PLO's time, then its event id,
   * which rises with time): an older event arriving late, or the same one again, changes nothing.
   */
  async record(tx: Transaction, entry: CourtRecordEntry, stamp: PloStamp): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO court_record (record_type, record_id, child_id, case_id, proceedings_id, occurred_on, event, plo_event_id, plo_event_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (record_type, record_id, coalesce(child_id, '00000000-0000-0000-0000-000000000000')) DO UPDATE
         SET occurred_on = excluded.occurred_on, event = excluded.event,
             plo_event_id = excluded.plo_event_id, plo_event_time = excluded.plo_event_time
       WHERE (court_record.plo_event_time, court_record.plo_event_id) < (excluded.plo_event_time, excluded.plo_event_id)
       RETURNING 1`,
      [
        entry.recordType,
        entry.recordId,
        entry.childId ?? null,
        entry.caseId,
        entry.proceedingsId,
        entry.occurredOn,
        entry.event,
        stamp.eventId,
        stamp.time,
      ],
    );
    return rows.length > 0;
  }

  async missedTimescale(tx: Transaction, missed: MissedTimescale): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO missed_timescales (alert_id, case_id, child_id, kind, due_date, raised_at, explanation, event)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING 1`,
      [missed.alertId, missed.caseId, missed.childId, missed.kind, missed.dueDate, missed.raisedAt, missed.explanation, missed.event],
    );
    return rows.length > 0;
  }
}
