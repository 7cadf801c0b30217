import { NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ProceedingsStage } from '@plo/contracts';
import { CaseInfo } from './obligations';

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
}

export const HEARING_COLUMNS = `id, proceedings_id, court_hearing_id, hearing_type, starts_at, ends_at, to_char(hearing_date, 'YYYY-MM-DD') AS hearing_date,
  venue, judge, listing_status, status, outcome, sequence, last_court_broadcast_at, to_char(draft_order_uploaded_on, 'YYYY-MM-DD') AS draft_order_uploaded_on`;

/** Hearings that are (still) going ahead on their listed date. */
export const LIVE_HEARING_STATUSES = ['listed', 'adjourned-and-relisted', 'vacated-and-relisted'];

const PROCEEDINGS_SELECT = `
  SELECT p.id, p.case_id, p.court, p.court_case_number, to_char(p.issued_on, 'YYYY-MM-DD') AS issued_on,
         to_char(p.submitted_on, 'YYYY-MM-DD') AS submitted_on, p.stage, to_char(p.concluded_on, 'YYYY-MM-DD') AS concluded_on,
         to_char(p.no_final_hearing_warning_on, 'YYYY-MM-DD') AS warning_on, p.no_final_hearing_warning_week AS warning_week,
         k.council_id, k.case_reference, k.team_id, k.allocated_worker_id
    FROM proceedings p JOIN known_cases k ON k.case_id = p.case_id`;

function toRecord(row: Record<string, any>): ProceedingsRecord {
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
    caseInfo: { caseId: row.case_id, councilId: row.council_id, caseReference: row.case_reference, teamId: row.team_id, workerId: row.allocated_worker_id },
  };
}

/** Locks the proceedings row: every change to one set of proceedings is serialised. */
export async function lockProceedings(manager: EntityManager, proceedingsId: string): Promise<ProceedingsRecord> {
  const [row] = await manager.query(`${PROCEEDINGS_SELECT} WHERE p.id = $1 FOR UPDATE OF p`, [proceedingsId]);
  if (!row) throw new NotFoundException(`proceedings ${proceedingsId} do not exist`);
  return toRecord(row);
}

/** `councilId` limits the match to one council's proceedings (an update sent by that council's court system or staff). */
export async function lockProceedingsByCourtNumber(manager: EntityManager, courtCaseNumber: string, councilId?: string): Promise<ProceedingsRecord | undefined> {
  const [row] = await manager.query(`${PROCEEDINGS_SELECT} WHERE upper(p.court_case_number) = upper($1) AND ($2::text IS NULL OR k.council_id = $2) FOR UPDATE OF p`, [
    courtCaseNumber,
    councilId ?? null,
  ]);
  return row ? toRecord(row) : undefined;
}

export async function loadCaseInfo(manager: EntityManager, caseId: string): Promise<CaseInfo & { closedOn: string | null }> {
  const [row] = await manager.query(
    `SELECT case_id, council_id, case_reference, team_id, allocated_worker_id, to_char(closed_on, 'YYYY-MM-DD') AS closed_on FROM known_cases WHERE case_id = $1`,
    [caseId],
  );
  if (!row) throw new NotFoundException(`case ${caseId} is not known to the PLO service (yet)`);
  return { caseId: row.case_id, councilId: row.council_id, caseReference: row.case_reference, teamId: row.team_id, workerId: row.allocated_worker_id, closedOn: row.closed_on };
}
