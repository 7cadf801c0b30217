import { HearingListingStatus, HearingStatus, HearingType } from '@plo/contracts';
import { Transaction } from '@plo/messaging';

export interface HearingRow {
  id: string;
  proceedings_id: string;
  court_hearing_id: string | null;
  hearing_type: string;
  starts_at: Date;
  ends_at: Date | null;
  hearing_date: string;
  venue: string | null;
  judge: string | null;
  listing_status: string;
  status: string;
  outcome: string | null;
  sequence: number;
  last_court_broadcast_at: Date | null;
  draft_order_uploaded_on: string | null;
  /** The date the hearing was last moved from, if it was ever moved (from the hearing's history). */
  moved_from: string | null;
}

const HEARING_COLUMNS = `id, proceedings_id, court_hearing_id, hearing_type, starts_at, ends_at, to_char(hearing_date, 'YYYY-MM-DD') AS hearing_date,
  venue, judge, listing_status, status, outcome, sequence, last_court_broadcast_at, to_char(draft_order_uploaded_on, 'YYYY-MM-DD') AS draft_order_uploaded_on,
  (SELECT to_char(hc.previous_hearing_date, 'YYYY-MM-DD') FROM hearing_changes hc
    WHERE hc.hearing_id = hearings.id AND hc.change = 'moved' ORDER BY hc.id DESC LIMIT 1) AS moved_from`;

/** Hearings that are (still) going ahead on their listed date. */
export const LIVE_HEARING_STATUSES = ['listed', 'adjourned-and-relisted', 'vacated-and-relisted'];

/** One hearing of the proceedings, locked, by our id or the court's. */
export async function lockHearing(
  tx: Transaction,
  proceedingsId: string,
  by: { id: string } | { courtHearingId: string },
): Promise<HearingRow | undefined> {
  const [condition, value] = 'id' in by ? ['id = $2', by.id] : ['court_hearing_id = $2', by.courtHearingId];
  const [row] = await tx.query<HearingRow>(
    `SELECT ${HEARING_COLUMNS} FROM hearings WHERE proceedings_id = $1 AND ${condition} FOR UPDATE`,
    [proceedingsId, value],
  );
  return row;
}

export async function hearingsOf(tx: Transaction, proceedingsId: string): Promise<HearingRow[]> {
  return tx.query<HearingRow>(`SELECT ${HEARING_COLUMNS} FROM hearings WHERE proceedings_id = $1 ORDER BY starts_at`, [proceedingsId]);
}

export interface NewHearingRow {
  id: string;
  proceedingsId: string;
  courtHearingId: string | null;
  hearingType: HearingType;
  startsAt: string;
  endsAt: string | null;
  hearingDate: string;
  venue: string | null;
  judge: string | null;
  listingStatus: HearingListingStatus;
  now: Date;
}

export async function insertHearing(tx: Transaction, h: NewHearingRow): Promise<void> {
  await tx.query(
    `INSERT INTO hearings (id, proceedings_id, court_hearing_id, hearing_type, starts_at, ends_at, hearing_date, venue, judge, listing_status, status, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'listed', $11)`,
    [h.id, h.proceedingsId, h.courtHearingId, h.hearingType, h.startsAt, h.endsAt, h.hearingDate, h.venue, h.judge, h.listingStatus, h.now],
  );
}

export async function retypeHearing(tx: Transaction, hearingId: string, hearingType: HearingType, now: Date): Promise<void> {
  await tx.query('UPDATE hearings SET hearing_type = $2, sequence = sequence + 1, updated_at = $3 WHERE id = $1', [
    hearingId,
    hearingType,
    now,
  ]);
}

export interface HearingMoveRow {
  startsAt: string;
  endsAt: string | null;
  hearingDate: string;
  status: HearingStatus;
  listingStatus: HearingListingStatus | null;
  venue: string | null;
  judge: string | null;
}

export async function moveHearingRow(tx: Transaction, hearingId: string, move: HearingMoveRow, now: Date): Promise<void> {
  await tx.query(
    `UPDATE hearings SET starts_at = $2, ends_at = $3, hearing_date = $4, status = $5, listing_status = coalesce($6, listing_status),
            venue = coalesce($7, venue), judge = coalesce($8, judge), sequence = sequence + 1, updated_at = $9 WHERE id = $1`,
    [hearingId, move.startsAt, move.endsAt, move.hearingDate, move.status, move.listingStatus, move.venue, move.judge, now],
  );
}

export async function restateHearingRow(
  tx: Transaction,
  hearingId: string,
  update: { listingStatus: string | null; venue: string | null; judge: string | null },
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE hearings SET listing_status = coalesce($2, listing_status), venue = coalesce($3, venue), judge = coalesce($4, judge), sequence = sequence + 1, updated_at = $5 WHERE id = $1`,
    [hearingId, update.listingStatus, update.venue, update.judge, now],
  );
}

export async function endHearingRow(tx: Transaction, hearingId: string, status: string, outcome: string | null, now: Date): Promise<void> {
  await tx.query(
    `UPDATE hearings SET status = $2, outcome = coalesce($3, outcome), sequence = sequence + 1, updated_at = $4 WHERE id = $1`,
    [hearingId, status, outcome, now],
  );
}

export async function recordDraftOrderUpload(tx: Transaction, hearingId: string, uploadedOn: string, now: Date): Promise<void> {
  await tx.query('UPDATE hearings SET draft_order_uploaded_on = $2, updated_at = $3 WHERE id = $1', [hearingId, uploadedOn, now]);
}

/** The kinds of the hearing's obligations already met (work done stays done when the hearing moves). */
export async function satisfiedKindsOfHearing(tx: Transaction, hearingId: string): Promise<string[]> {
  const rows = await tx.query<{ kind: string }>(`SELECT kind FROM plo_obligations WHERE hearing_id = $1 AND status = 'satisfied'`, [
    hearingId,
  ]);
  return rows.map((row) => row.kind);
}

/** The latest court broadcast applied to the hearing: an earlier one is stale. */
export async function markCourtBroadcast(tx: Transaction, hearingId: string, broadcastAt: Date): Promise<void> {
  await tx.query('UPDATE hearings SET last_court_broadcast_at = $2 WHERE id = $1', [hearingId, broadcastAt]);
}

export const HEARING_CHANGES = ['listed', 'moved', 'vacated', 'adjourned', 'held'] as const;
export type HearingChange = (typeof HEARING_CHANGES)[number];

/** Appends to the hearing's history what just happened to it (`hearing` as it is after the change). */
export async function recordHearingChange(
  tx: Transaction,
  hearing: HearingRow,
  change: HearingChange,
  by: { source: string; recordedBy: string; at: Date; previousHearingDate?: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO hearing_changes (hearing_id, proceedings_id, change, hearing_type, hearing_date, previous_hearing_date, source, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      hearing.id,
      hearing.proceedings_id,
      change,
      hearing.hearing_type,
      hearing.hearing_date,
      by.previousHearingDate ?? null,
      by.source,
      by.recordedBy,
      by.at,
    ],
  );
}
