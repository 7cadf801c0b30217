import { NotFoundException } from '@nestjs/common';
import { Transaction } from '@plo/messaging';

export interface PreProceedingsRow {
  id: string;
  case_id: string;
  status: string;
  decided_on: string;
  letter_sent_on: string | null;
  meetings_held: number;
  last_meeting_on: string | null;
}

/** The case the pre-proceedings belong to, which never changes: the subject of every change to them. */
export async function caseOfPreProceedings(tx: Transaction, id: string): Promise<string> {
  const [row] = await tx.query<{ case_id: string }>('SELECT case_id FROM pre_proceedings WHERE id = $1', [id]);
  if (!row) throw new NotFoundException(`pre-proceedings ${id} do not exist`);
  return row.case_id;
}

export async function openPreProceedingsOfCase(tx: Transaction, caseId: string): Promise<string | undefined> {
  const [open] = await tx.query<{ id: string }>(`SELECT id FROM pre_proceedings WHERE case_id = $1 AND status = 'open'`, [caseId]);
  return open?.id;
}

export interface NewPreProceedings {
  id: string;
  caseId: string;
  decidedOn: string;
  decision: string;
  status: string;
  shortNotice: boolean;
  shortNoticeReason: string | null;
}

export async function insertPreProceedings(tx: Transaction, p: NewPreProceedings): Promise<void> {
  await tx.query(
    `INSERT INTO pre_proceedings (id, case_id, decided_on, decision, status, short_notice, short_notice_reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [p.id, p.caseId, p.decidedOn, p.decision, p.status, p.shortNotice, p.shortNoticeReason],
  );
}

export async function lockPreProceedings(tx: Transaction, id: string): Promise<PreProceedingsRow> {
  const [row] = await tx.query<PreProceedingsRow>(
    `SELECT id, case_id, status, to_char(decided_on, 'YYYY-MM-DD') AS decided_on, to_char(letter_sent_on, 'YYYY-MM-DD') AS letter_sent_on,
            meetings_held, to_char(last_meeting_on, 'YYYY-MM-DD') AS last_meeting_on FROM pre_proceedings WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row;
}

export async function recordLetterSent(tx: Transaction, id: string, sentOn: string): Promise<void> {
  await tx.query('UPDATE pre_proceedings SET letter_sent_on = $2 WHERE id = $1', [id, sentOn]);
}

export async function recordMeeting(tx: Transaction, id: string, meetingsHeld: number, heldOn: string): Promise<void> {
  await tx.query('UPDATE pre_proceedings SET meetings_held = $2, last_meeting_on = $3 WHERE id = $1', [id, meetingsHeld, heldOn]);
}

export interface PreProceedingsOutcome {
  status: string;
  outcome: string;
  decidedOn: string;
  reason: string | null;
  shortNotice: boolean;
  shortNoticeReason: string | null;
}

export async function recordOutcome(tx: Transaction, id: string, o: PreProceedingsOutcome): Promise<void> {
  await tx.query(
    `UPDATE pre_proceedings SET status = $2, outcome = $3, outcome_on = $4, outcome_reason = $5, short_notice = $6, short_notice_reason = $7 WHERE id = $1`,
    [id, o.status, o.outcome, o.decidedOn, o.reason, o.shortNotice, o.shortNoticeReason],
  );
}

export interface NewPreProceedingsExtension {
  id: string;
  preProceedingsId: string;
  decidedOn: string;
  previousEndDate: string;
  newEndDate: string;
  reason: string;
  recordedBy: string;
}

export async function insertPreProceedingsExtension(tx: Transaction, e: NewPreProceedingsExtension): Promise<void> {
  await tx.query(
    `INSERT INTO pre_proceedings_extensions (id, pre_proceedings_id, decided_on, previous_end_date, new_end_date, reason, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.id, e.preProceedingsId, e.decidedOn, e.previousEndDate, e.newEndDate, e.reason, e.recordedBy],
  );
}

export async function preProceedingsView(tx: Transaction, id: string) {
  const [row] = await tx.query(
    `SELECT id, case_id AS "caseId", to_char(decided_on, 'YYYY-MM-DD') AS "decidedOn", decision, status, to_char(letter_sent_on, 'YYYY-MM-DD') AS "letterSentOn",
            meetings_held AS "meetingsHeld", to_char(last_meeting_on, 'YYYY-MM-DD') AS "lastMeetingOn", outcome, to_char(outcome_on, 'YYYY-MM-DD') AS "outcomeOn",
            outcome_reason AS "outcomeReason", short_notice AS "shortNotice", short_notice_reason AS "shortNoticeReason"
       FROM pre_proceedings WHERE id = $1`,
    [id],
  );
  const obligations = await tx.query(
    `SELECT id, kind, rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation, status FROM plo_obligations WHERE pre_proceedings_id = $1 ORDER BY due_date, kind`,
    [id],
  );
  const extensions = await tx.query(
    `SELECT id, to_char(decided_on, 'YYYY-MM-DD') AS "decidedOn", to_char(previous_end_date, 'YYYY-MM-DD') AS "previousEndDate",
            to_char(new_end_date, 'YYYY-MM-DD') AS "newEndDate", reason, recorded_by AS "recordedBy", recorded_at AS "recordedAt"
       FROM pre_proceedings_extensions WHERE pre_proceedings_id = $1 ORDER BY recorded_at, id`,
    [id],
  );
  return { ...row, obligations, extensions };
}
