import { NotFoundException } from '@nestjs/common';
import { ChildOrder, ProceedingsStage } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { Principal } from '@plo/platform';
import { visibleCasesSql } from '../access/access.store';
import { CaseInfo } from '../known-cases/known-cases.store';

export interface ProceedingsRecord {
  id: string;
  caseId: string;
  court: string;
  courtCaseNumber: string;
  issuedOn: string;
  submittedOn: string;
  stage: ProceedingsStage;
  concludedOn: string | null;
  noFinalHearingWarningOn: string;
  noFinalHearingWarningWeek: number;
  caseInfo: CaseInfo;
}

const PROCEEDINGS_SELECT = `
  SELECT p.id, p.case_id, p.court, p.court_case_number, to_char(p.issued_on, 'YYYY-MM-DD') AS issued_on,
         to_char(p.submitted_on, 'YYYY-MM-DD') AS submitted_on, p.stage, to_char(p.concluded_on, 'YYYY-MM-DD') AS concluded_on,
         to_char(p.no_final_hearing_warning_on, 'YYYY-MM-DD') AS warning_on, p.no_final_hearing_warning_week AS warning_week,
         k.council_id, k.case_reference, k.team_id, k.allocated_worker_id
    FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id`;

/** A row of PROCEEDINGS_SELECT. */
interface ProceedingsRow {
  id: string;
  case_id: string;
  court: string;
  court_case_number: string;
  issued_on: string;
  submitted_on: string;
  stage: ProceedingsRecord['stage'];
  concluded_on: string | null;
  warning_on: string;
  warning_week: number;
  council_id: string;
  case_reference: string;
  team_id: string;
  allocated_worker_id: string;
}

function toRecord(row: ProceedingsRow): ProceedingsRecord {
  return {
    id: row.id,
    caseId: row.case_id,
    court: row.court,
    courtCaseNumber: row.court_case_number,
    issuedOn: row.issued_on,
    submittedOn: row.submitted_on,
    stage: row.stage,
    concludedOn: row.concluded_on,
    noFinalHearingWarningOn: row.warning_on,
    noFinalHearingWarningWeek: row.warning_week,
    caseInfo: {
      caseId: row.case_id,
      councilId: row.council_id,
      caseReference: row.case_reference,
      teamId: row.team_id,
      workerId: row.allocated_worker_id,
    },
  };
}

/** Locks the proceedings row: every change to one set of proceedings is serialised. */
export async function lockProceedings(tx: Transaction, proceedingsId: string): Promise<ProceedingsRecord> {
  const [row] = await tx.query<ProceedingsRow>(`${PROCEEDINGS_SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [proceedingsId]);
  if (!row) throw new NotFoundException(`proceedings ${proceedingsId} do not exist`);
  return toRecord(row);
}

/** `councilId` limits the match to one council's proceedings (an update sent by that council's court system or staff). */
export async function lockProceedingsByCourtNumber(
  tx: Transaction,
  courtCaseNumber: string,
  councilId?: string,
): Promise<ProceedingsRecord | undefined> {
  const [row] = await tx.query<ProceedingsRow>(
    `${PROCEEDINGS_SELECT} WHERE upper(p.court_case_number) = upper($1) AND ($2::text IS NULL OR k.council_id = $2) FOR UPDATE OF p`,
    [courtCaseNumber, councilId ?? null],
  );
  return row ? toRecord(row) : undefined;
}

/** The case the proceedings belong to, which never changes: the subject of every change to them. */
export async function caseOfProceedings(tx: Transaction, proceedingsId: string): Promise<string> {
  const [row] = await tx.query<{ case_id: string }>('SELECT case_id FROM proceedings WHERE id = $1', [proceedingsId]);
  if (!row) throw new NotFoundException(`proceedings ${proceedingsId} do not exist`);
  return row.case_id;
}

export async function courtCaseNumberTaken(tx: Transaction, courtCaseNumber: string): Promise<boolean> {
  const [duplicate] = await tx.query('SELECT id FROM proceedings WHERE upper(court_case_number) = upper($1)', [courtCaseNumber]);
  return duplicate !== undefined;
}

export interface NewProceedings {
  id: string;
  caseId: string;
  court: string;
  courtCaseNumber: string;
  issuedOn: string;
  submittedOn: string;
  warningOn: string;
  warningWeek: number;
}

export async function insertProceedings(tx: Transaction, p: NewProceedings): Promise<void> {
  await tx.query(
    `INSERT INTO proceedings (id, case_id, court, court_case_number, issued_on, submitted_on, stage_entered_on, no_final_hearing_warning_on, no_final_hearing_warning_week)
     VALUES ($1, $2, $3, $4, $5, $6, $5, $7, $8)`,
    [p.id, p.caseId, p.court, p.courtCaseNumber, p.issuedOn, p.submittedOn, p.warningOn, p.warningWeek],
  );
}

export interface NewChildClock {
  proceedingsId: string;
  childId: string;
  obligationId: string;
  issuedOn: string;
  completionDate: string;
  hmctsDisplayDate: string;
  /** The child's own "no final hearing listed by week 20", counted from the child's issue. */
  noFinalHearingWarningOn: string;
}

export async function insertChildClock(tx: Transaction, c: NewChildClock): Promise<void> {
  await tx.query(
    `INSERT INTO child_clocks (proceedings_id, child_id, obligation_id, issued_on, completion_date, original_completion_date, hmcts_display_date,
                               no_final_hearing_warning_on)
     VALUES ($1, $2, $3, $4, $5, $5, $6, $7)`,
    [c.proceedingsId, c.childId, c.obligationId, c.issuedOn, c.completionDate, c.hmctsDisplayDate, c.noFinalHearingWarningOn],
  );
}

/** One child's proceedings end; a sibling's go on. */
export async function concludeChildClock(
  tx: Transaction,
  proceedingsId: string,
  childId: string,
  outcome: 'final-order' | 'withdrawn',
  concludedOn: string,
): Promise<void> {
  await tx.query('UPDATE child_clocks SET outcome = $3, concluded_on = $4 WHERE proceedings_id = $1 AND child_id = $2', [
    proceedingsId,
    childId,
    outcome,
    concludedOn,
  ]);
}

export async function recordStage(
  tx: Transaction,
  proceedingsId: string,
  stage: ProceedingsStage,
  previousStage: ProceedingsStage,
  enteredOn: string,
  concludedOn: string | null,
  recordedBy: string,
): Promise<void> {
  await tx.query('UPDATE proceedings SET stage = $2, stage_entered_on = $3, concluded_on = $4 WHERE id = $1', [
    proceedingsId,
    stage,
    enteredOn,
    concludedOn,
  ]);
  await tx.query('INSERT INTO stage_history (proceedings_id, stage, previous_stage, entered_on, recorded_by) VALUES ($1, $2, $3, $4, $5)', [
    proceedingsId,
    stage,
    previousStage,
    enteredOn,
    recordedBy,
  ]);
}

export interface ChildClockRow {
  obligation_id: string;
  issued_on: string;
  completion_date: string;
  hmcts_display_date: string;
  concluded_on: string | null;
  outcome: 'final-order' | 'withdrawn' | null;
}

export async function childClockOf(tx: Transaction, proceedingsId: string, childId: string): Promise<ChildClockRow | undefined> {
  const [clock] = await tx.query<ChildClockRow>(
    `SELECT obligation_id, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, to_char(completion_date, 'YYYY-MM-DD') AS completion_date,
            to_char(hmcts_display_date, 'YYYY-MM-DD') AS hmcts_display_date, to_char(concluded_on, 'YYYY-MM-DD') AS concluded_on, outcome
       FROM child_clocks WHERE proceedings_id = $1 AND child_id = $2`,
    [proceedingsId, childId],
  );
  return clock;
}

/** The London date of a hearing of these proceedings, or undefined when it is not one of theirs. */
export async function hearingDateOf(tx: Transaction, proceedingsId: string, hearingId: string): Promise<string | undefined> {
  const [hearing] = await tx.query<{ hearingDate: string }>(
    `SELECT to_char(hearing_date, 'YYYY-MM-DD') AS "hearingDate" FROM hearings WHERE id = $1 AND proceedings_id = $2`,
    [hearingId, proceedingsId],
  );
  return hearing?.hearingDate;
}

export interface NewExtension {
  id: string;
  proceedingsId: string;
  childId: string;
  grantedOn: string;
  hearingId: string | null;
  previousEndDate: string;
  newEndDate: string;
  latestAllowedEndDate: string;
  requestedAs: string;
  reason: string;
  recordedBy: string;
}

export async function insertExtension(tx: Transaction, e: NewExtension): Promise<void> {
  await tx.query(
    `INSERT INTO child_extensions (id, proceedings_id, child_id, granted_on, hearing_id, previous_end_date, new_end_date, latest_allowed_end_date, requested_as, reason, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      e.id,
      e.proceedingsId,
      e.childId,
      e.grantedOn,
      e.hearingId,
      e.previousEndDate,
      e.newEndDate,
      e.latestAllowedEndDate,
      e.requestedAs,
      e.reason,
      e.recordedBy,
    ],
  );
}

export interface NewOrder {
  id: string;
  proceedingsId: string;
  childId: string;
  order: ChildOrder;
  madeOn: string;
  endsOn: string | null;
  hearingId: string | null;
  recordedBy: string;
}

export async function insertOrder(tx: Transaction, o: NewOrder): Promise<void> {
  await tx.query(
    `INSERT INTO child_orders (id, proceedings_id, child_id, order_type, made_on, ends_on, hearing_id, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [o.id, o.proceedingsId, o.childId, o.order, o.madeOn, o.endsOn, o.hearingId, o.recordedBy],
  );
}

/** The child's orders in these proceedings among `orders`, earliest first. */
export async function ordersOfChild(tx: Transaction, proceedingsId: string, childId: string, orders: readonly string[]) {
  return tx.query<{ id: string; order_type: string; made_on: string }>(
    `SELECT id, order_type, to_char(made_on, 'YYYY-MM-DD') AS made_on FROM child_orders
      WHERE proceedings_id = $1 AND child_id = $2 AND order_type = ANY($3) ORDER BY made_on, recorded_at`,
    [proceedingsId, childId, orders],
  );
}

export async function extendChildClock(
  tx: Transaction,
  proceedingsId: string,
  childId: string,
  completionDate: string,
  hmctsDisplayDate: string,
): Promise<void> {
  await tx.query('UPDATE child_clocks SET completion_date = $3, hmcts_display_date = $4 WHERE proceedings_id = $1 AND child_id = $2', [
    proceedingsId,
    childId,
    completionDate,
    hmctsDisplayDate,
  ]);
}

/** A task (work due before a hearing) of the proceedings, whatever its status, locked. */
export async function lockTask(tx: Transaction, proceedingsId: string, obligationId: string) {
  const [task] = await tx.query<{ id: string; kind: string; due_date: string; hearing_id: string | null; status: string }>(
    `SELECT id, kind, rule_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, child_id, hearing_id, status FROM plo_obligations WHERE id = $1 AND proceedings_id = $2 FOR UPDATE`,
    [obligationId, proceedingsId],
  );
  return task;
}

// ---- the proceedings as staff read them ------------------------------------------------------

export async function childrenView(tx: Transaction, proceedingsId: string) {
  return tx.query<{ childId: string; completionDate: string }>(
    `SELECT child_id AS "childId", to_char(issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(completion_date, 'YYYY-MM-DD') AS "completionDate",
            to_char(original_completion_date, 'YYYY-MM-DD') AS "originalCompletionDate", to_char(hmcts_display_date, 'YYYY-MM-DD') AS "hmctsDisplayDate",
            obligation_id AS "obligationId", CASE WHEN concluded_on IS NULL THEN 'open' ELSE 'concluded' END AS status, outcome,
            to_char(concluded_on, 'YYYY-MM-DD') AS "concludedOn"
       FROM child_clocks WHERE proceedings_id = $1 ORDER BY child_id`,
    [proceedingsId],
  );
}

export async function ordersView(tx: Transaction, proceedingsId: string) {
  return tx.query<{ childId: string }>(
    `SELECT id, child_id AS "childId", order_type AS "order", to_char(made_on, 'YYYY-MM-DD') AS "madeOn", to_char(ends_on, 'YYYY-MM-DD') AS "endsOn",
            hearing_id AS "hearingId", recorded_by AS "recordedBy", recorded_at AS "recordedAt"
       FROM child_orders WHERE proceedings_id = $1 ORDER BY made_on, recorded_at, id`,
    [proceedingsId],
  );
}

export async function extensionsView(tx: Transaction, proceedingsId: string) {
  return tx.query<{ childId: string }>(
    `SELECT id, child_id AS "childId", to_char(granted_on, 'YYYY-MM-DD') AS "grantedOn", hearing_id AS "hearingId", to_char(previous_end_date, 'YYYY-MM-DD') AS "previousEndDate",
            to_char(new_end_date, 'YYYY-MM-DD') AS "newEndDate", to_char(latest_allowed_end_date, 'YYYY-MM-DD') AS "latestAllowedEndDate", requested_as AS "requestedAs",
            reason, recorded_by AS "recordedBy", recorded_at AS "recordedAt"
       FROM child_extensions WHERE proceedings_id = $1 ORDER BY recorded_at, id`,
    [proceedingsId],
  );
}

export async function obligationsView(tx: Transaction, proceedingsId: string) {
  return tx.query<{ ruleId: string; dueDate: string }>(
    `SELECT id, kind, rule_id AS "ruleId", child_id AS "childId", hearing_id AS "hearingId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation, status,
            to_char(satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn", satisfied_by AS "satisfiedBy"
       FROM plo_obligations WHERE proceedings_id = $1 ORDER BY due_date, kind`,
    [proceedingsId],
  );
}

export async function driftView(tx: Transaction, proceedingsId: string) {
  return tx.query(
    `SELECT child_id AS "childId", reason, to_char(completion_date, 'YYYY-MM-DD') AS "completionDate", to_char(final_hearing_date, 'YYYY-MM-DD') AS "finalHearingDate",
            to_char(detected_on, 'YYYY-MM-DD') AS "detectedOn" FROM drift_projections WHERE proceedings_id = $1`,
    [proceedingsId],
  );
}

/** The case's proceedings the principal may see, oldest first (none of another council's, in the query itself). */
export async function visibleProceedingsOfCase(tx: Transaction, caseId: string, principal: Principal): Promise<string[]> {
  const parameters: unknown[] = [caseId];
  const visible = visibleCasesSql(principal, 'k', parameters);
  const rows = await tx.query<{ id: string }>(
    `SELECT p.id FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id WHERE p.case_id = $1 AND ${visible} ORDER BY p.created_at`,
    parameters,
  );
  return rows.map((row) => row.id);
}

/**
 * Open proceedings of every case the principal may see (none of another council's, in the query
 * itself), the one whose child is nearest or furthest past their completion date first.
 */
export async function visibleOpenProceedings(tx: Transaction, principal: Principal): Promise<string[]> {
  const parameters: unknown[] = [];
  const visible = visibleCasesSql(principal, 'k', parameters);
  const rows = await tx.query<{ id: string }>(
    `SELECT p.id FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id
      WHERE p.concluded_on IS NULL AND ${visible}
      ORDER BY (SELECT min(c.completion_date) FROM child_clocks c WHERE c.proceedings_id = p.id AND c.concluded_on IS NULL), p.created_at, p.id`,
    parameters,
  );
  return rows.map((row) => row.id);
}

/** Proceedings that reached their no-final-hearing warning without a live final hearing, with a child still in them not yet projected to drift. */
export async function proceedingsDueForDriftSweep(tx: Transaction, today: string, liveHearingStatuses: readonly string[]) {
  return tx.query<{ id: string; case_id: string }>(
    `SELECT p.id, p.case_id FROM proceedings p
      WHERE p.concluded_on IS NULL AND p.no_final_hearing_warning_on <= $1
        AND NOT EXISTS (SELECT 1 FROM hearings h WHERE h.proceedings_id = p.id AND h.hearing_type = 'final' AND h.status = ANY($2))
        AND EXISTS (SELECT 1 FROM child_clocks c WHERE c.proceedings_id = p.id AND c.concluded_on IS NULL
                      AND c.no_final_hearing_warning_on <= $1
                      AND NOT EXISTS (SELECT 1 FROM drift_projections d WHERE d.proceedings_id = p.id AND d.child_id = c.child_id))`,
    [today, liveHearingStatuses],
  );
}
