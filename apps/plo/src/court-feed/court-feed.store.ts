import { Transaction } from '@plo/messaging';

/** Where a claim of an update came from: a Kafka position, or the path (http, csv) it was offered by. */
export interface ClaimOrigin {
  topic: string;
  partition: number;
  offset: string | number;
}

/** Claims an update offered over HTTP or CSV under the court feed's consumer name, as the inbox does for Kafka. */
export async function claimUpdate(
  tx: Transaction,
  consumer: string,
  updateId: string,
  origin: ClaimOrigin,
  outcome: string,
): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO processed_events (consumer, message_id, outcome, topic, kafka_partition, kafka_offset) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (consumer, message_id) DO NOTHING RETURNING message_id`,
    [consumer, updateId, outcome, origin.topic, origin.partition, origin.offset],
  );
  return rows.length === 1;
}

export async function setClaimOutcome(
  tx: Transaction,
  consumer: string,
  updateId: string,
  outcome: 'ignored' | 'dead-lettered',
): Promise<void> {
  await tx.query('UPDATE processed_events SET outcome = $3 WHERE consumer = $1 AND message_id = $2', [consumer, updateId, outcome]);
}

/** Lets an update that was rejected be offered again. */
export async function releaseRejectedClaim(tx: Transaction, consumer: string, updateId: string): Promise<void> {
  await tx.query(`DELETE FROM processed_events WHERE consumer = $1 AND message_id = $2 AND outcome = 'dead-lettered'`, [
    consumer,
    updateId,
  ]);
}

/** The case whose proceedings carry the court case number (of one council, if given), if any. */
export async function caseOfCourtNumber(tx: Transaction, courtCaseNumber: string, councilId?: string): Promise<string | undefined> {
  const [row] = await tx.query<{ case_id: string }>(
    `SELECT p.case_id FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id WHERE upper(p.court_case_number) = upper($1) AND ($2::text IS NULL OR k.council_id = $2)`,
    [courtCaseNumber, councilId ?? null],
  );
  return row?.case_id;
}

/** The council of the case whose proceedings carry the court case number, if any. */
export async function councilOfCourtNumber(tx: Transaction, courtCaseNumber: string): Promise<string | undefined> {
  const [row] = await tx.query<{ council_id: string }>(
    `SELECT k.council_id FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id WHERE upper(p.court_case_number) = upper($1)`,
    [courtCaseNumber],
  );
  return row?.council_id;
}

// ---- the exceptions list ------------------------------------------------------------------------

export interface NewException {
  updateId: string | null;
  source: string;
  courtCaseNumber: string | null;
  courtHearingId: string | null;
  reason: string;
  payload: string;
  receivedAt: Date;
  councilId: string | null;
}

export async function insertException(tx: Transaction, e: NewException): Promise<number> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO court_update_exceptions (update_id, source, court_case_number, court_hearing_id, reason, payload, received_at, council_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [e.updateId, e.source, e.courtCaseNumber, e.courtHearingId, e.reason, e.payload, e.receivedAt, e.councilId],
  );
  return Number(row.id);
}

export async function restateException(tx: Transaction, id: number, reason: string): Promise<void> {
  await tx.query('UPDATE court_update_exceptions SET reason = $2 WHERE id = $1', [id, reason]);
}

export async function resolveException(tx: Transaction, id: number, by: string, resolution: string, at: Date): Promise<void> {
  await tx.query(
    `UPDATE court_update_exceptions SET status = 'resolved', resolved_at = $2, resolved_by = $3, resolution = $4 WHERE id = $1`,
    [id, at, by, resolution],
  );
}

export interface ExceptionRow {
  id: string;
  update_id: string | null;
  source: string;
  court_case_number: string | null;
  court_hearing_id: string | null;
  reason: string;
  payload: string;
  status: string;
  received_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolution: string | null;
}

/** One council's exceptions: each belongs to the matched case's council, the sender's, or the feed's. */
export async function exceptionsOf(tx: Transaction, councilId: string, status: 'open' | 'resolved' | 'all'): Promise<ExceptionRow[]> {
  return tx.query<ExceptionRow>(
    `SELECT id, update_id, source, court_case_number, court_hearing_id, reason, payload, status, received_at, resolved_at, resolved_by, resolution
       FROM court_update_exceptions WHERE council_id = $2 AND ($1 = 'all' OR ($1 = 'open') = (status = 'open')) ORDER BY id LIMIT 500`,
    [status, councilId],
  );
}

export async function exceptionOf(tx: Transaction, councilId: string, id: number): Promise<ExceptionRow | undefined> {
  const [row] = await tx.query<ExceptionRow>('SELECT * FROM court_update_exceptions WHERE id = $1 AND council_id = $2', [id, councilId]);
  return row;
}
