import { ProceedingsStage } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { LIVE_HEARING_STATUSES } from '../hearings/hearings.store';

export interface ChildClock {
  child_id: string;
  /** The obligation that stands for the child's completion date. */
  obligation_id: string;
  issued_on: string;
  completion_date: string;
  original_completion_date: string;
  hmcts_display_date: string;
  /** Set once the child's own proceedings ended (a sibling's may go on). */
  concluded_on: string | null;
  outcome: 'final-order' | 'withdrawn' | null;
  /** From the child's own issue: a sibling who joined later is warned later. */
  no_final_hearing_warning_on: string;
}

export async function childClocks(tx: Transaction, proceedingsId: string): Promise<ChildClock[]> {
  return tx.query<ChildClock>(
    `SELECT child_id, obligation_id, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, to_char(completion_date, 'YYYY-MM-DD') AS completion_date,
            to_char(original_completion_date, 'YYYY-MM-DD') AS original_completion_date, to_char(hmcts_display_date, 'YYYY-MM-DD') AS hmcts_display_date,
            to_char(concluded_on, 'YYYY-MM-DD') AS concluded_on, outcome,
            to_char(no_final_hearing_warning_on, 'YYYY-MM-DD') AS no_final_hearing_warning_on
       FROM child_clocks WHERE proceedings_id = $1 ORDER BY child_id`,
    [proceedingsId],
  );
}

export async function timetableHead(tx: Transaction, proceedingsId: string): Promise<{ version: number; stage: ProceedingsStage }> {
  const [{ timetable_version: version, stage }] = await tx.query<{ timetable_version: number; stage: ProceedingsStage }>(
    'SELECT timetable_version, stage FROM proceedings WHERE id = $1',
    [proceedingsId],
  );
  return { version, stage };
}

/** A new timetable version: court systems keep the highest they have seen. */
export async function nextTimetableVersion(tx: Transaction, proceedingsId: string): Promise<void> {
  await tx.query('UPDATE proceedings SET timetable_version = timetable_version + 1 WHERE id = $1', [proceedingsId]);
}

export async function timetableHearings(tx: Transaction, proceedingsId: string) {
  return tx.query<{ id: string; hearing_type: string; starts_at: Date; hearing_date: string; status: string; listing_status: string }>(
    `SELECT id, hearing_type, starts_at, to_char(hearing_date, 'YYYY-MM-DD') AS hearing_date, status, listing_status FROM hearings WHERE proceedings_id = $1 ORDER BY starts_at`,
    [proceedingsId],
  );
}

/** The court deadlines on the timetable (children's clocks appear as such, not as deadlines). */
export async function timetableDeadlines(tx: Transaction, proceedingsId: string) {
  return tx.query<{ id: string; rule_id: string; due_date: string; status: string; explanation: string }>(
    `SELECT id, kind, rule_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, explanation FROM plo_obligations
      WHERE proceedings_id = $1 AND kind <> 'proceedings-completion' AND status <> 'cancelled' ORDER BY due_date, kind`,
    [proceedingsId],
  );
}

/** The date of the latest live final hearing, if one is listed. */
export async function liveFinalHearingDate(tx: Transaction, proceedingsId: string): Promise<string | undefined> {
  const [finalHearing] = await tx.query<{ hearing_date: string }>(
    `SELECT to_char(hearing_date, 'YYYY-MM-DD') AS hearing_date FROM hearings
      WHERE proceedings_id = $1 AND hearing_type = 'final' AND status = ANY($2) ORDER BY starts_at DESC LIMIT 1`,
    [proceedingsId, LIVE_HEARING_STATUSES],
  );
  return finalHearing?.hearing_date;
}

export interface DriftRow {
  child_id: string;
  reason: string;
  completion_date: string;
  final_hearing_date: string | null;
}

export async function driftProjections(tx: Transaction, proceedingsId: string): Promise<DriftRow[]> {
  return tx.query<DriftRow>(
    `SELECT child_id, reason, to_char(completion_date, 'YYYY-MM-DD') AS completion_date, to_char(final_hearing_date, 'YYYY-MM-DD') AS final_hearing_date
       FROM drift_projections WHERE proceedings_id = $1`,
    [proceedingsId],
  );
}

export async function clearDriftProjection(tx: Transaction, proceedingsId: string, childId: string): Promise<void> {
  await tx.query('DELETE FROM drift_projections WHERE proceedings_id = $1 AND child_id = $2', [proceedingsId, childId]);
}

export async function saveDriftProjection(tx: Transaction, proceedingsId: string, row: DriftRow, detectedOn: string): Promise<void> {
  await tx.query(
    `INSERT INTO drift_projections (proceedings_id, child_id, reason, completion_date, final_hearing_date, detected_on) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (proceedings_id, child_id) DO UPDATE SET reason = $3, completion_date = $4, final_hearing_date = $5, detected_on = $6`,
    [proceedingsId, row.child_id, row.reason, row.completion_date, row.final_hearing_date, detectedOn],
  );
}
