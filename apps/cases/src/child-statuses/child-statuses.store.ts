import { Injectable } from '@nestjs/common';
import { ChildStatus, ChildStatusSource, LegalStatus, LookedAfterBasis } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { LocalDate } from '@plo/timescales';

export interface ChildStatusRow {
  id: string;
  childId: string;
  status: ChildStatus;
  basis: LookedAfterBasis | null;
  startDate: LocalDate;
  endDate: LocalDate | null;
  source: ChildStatusSource;
}

export interface NewChildStatus {
  id: string;
  caseId: string;
  childId: string;
  status: ChildStatus;
  basis: LookedAfterBasis | null;
  startDate: string;
  source: ChildStatusSource;
}

const STATUS_COLUMNS = `id, child_id AS "childId", status, basis, to_char(start_date, 'YYYY-MM-DD') AS "startDate",
  to_char(end_date, 'YYYY-MM-DD') AS "endDate", source`;

/** Each child's statuses with their history, and the case's summary of them. */
@Injectable()
export class ChildStatusesStore {
  /** A child's statuses, current and past, oldest first. */
  history(tx: Transaction, childId: string): Promise<ChildStatusRow[]> {
    return tx.query(`SELECT ${STATUS_COLUMNS} FROM child_statuses WHERE child_id = $1 ORDER BY start_date, recorded_at`, [childId]);
  }

  /** Every current status of every child of the case. */
  currentOfCase(tx: Transaction, caseId: string): Promise<ChildStatusRow[]> {
    return tx.query(
      `SELECT ${STATUS_COLUMNS} FROM child_statuses WHERE case_id = $1 AND end_date IS NULL ORDER BY start_date, recorded_at`,
      [caseId],
    );
  }

  async find(tx: Transaction, caseId: string, childId: string, statusId: string): Promise<ChildStatusRow | undefined> {
    const [row] = await tx.query<ChildStatusRow>(
      `SELECT ${STATUS_COLUMNS} FROM child_statuses WHERE case_id = $1 AND child_id = $2 AND id = $3`,
      [caseId, childId, statusId],
    );
    return row;
  }

  async insert(tx: Transaction, row: NewChildStatus): Promise<void> {
    await tx.query(
      `INSERT INTO child_statuses (id, case_id, child_id, status, basis, start_date, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.id, row.caseId, row.childId, row.status, row.basis, row.startDate, row.source],
    );
  }

  async end(tx: Transaction, statusId: string, endDate: string, reason: string): Promise<void> {
    await tx.query(`UPDATE child_statuses SET end_date = $2, end_reason = $3 WHERE id = $1 AND end_date IS NULL`, [
      statusId,
      endDate,
      reason,
    ]);
  }

  /**
   * The v1 summary changed: the case-level history (what v1 readers show) ends its current period
   * and starts the new one, and the case row carries it for the v1 list filter.
   */
  async setSummary(tx: Transaction, caseId: string, legalStatus: LegalStatus, startDate: string): Promise<void> {
    await tx.query(`UPDATE legal_statuses SET end_date = greatest(start_date, $2::date) WHERE case_id = $1 AND end_date IS NULL`, [
      caseId,
      startDate,
    ]);
    await tx.query(
      `INSERT INTO legal_statuses (id, case_id, legal_status, start_date)
       SELECT gen_random_uuid(), $1, $2, greatest($3::date, (SELECT max(start_date) FROM legal_statuses WHERE case_id = $1))`,
      [caseId, legalStatus, startDate],
    );
    await tx.query(`UPDATE cases SET legal_status = $2 WHERE id = $1`, [caseId, legalStatus]);
  }

  /** Legal may see the case from the first day any child had legal involvement (docs/per-child.md). */
  async legalInvolved(tx: Transaction, caseId: string, since: string): Promise<void> {
    await tx.query(`UPDATE cases SET legal_involved_since = least(coalesce(legal_involved_since, $2::date), $2::date) WHERE id = $1`, [
      caseId,
      since,
    ]);
  }
}
