import { NotFoundException } from '@nestjs/common';
import { CaseAllocatedV1, CaseClosedV1, CaseOpenedV1 } from '@plo/contracts';
import { Transaction } from '@plo/messaging';

/** Who answers for a case's obligations, as learnt from the cases service. */
export interface CaseInfo {
  caseId: string;
  councilId: string;
  caseReference: string;
  teamId: string;
  workerId: string;
}

export async function rememberCase(tx: Transaction, data: CaseOpenedV1): Promise<void> {
  await tx.query(
    `INSERT INTO known_cases (case_id, council_id, case_reference, team_id, allocated_worker_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (case_id) DO NOTHING`,
    [data.caseId, data.councilId, data.caseReference, data.teamId, data.allocatedWorkerId],
  );
  for (const childId of data.childIds ?? []) await rememberChild(tx, data.caseId, childId);
}

/** A child of the case, as the cases service announced it (with the case, or added later). */
export async function rememberChild(tx: Transaction, caseId: string, childId: string): Promise<void> {
  await tx.query('INSERT INTO known_case_children (case_id, child_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [caseId, childId]);
}

export async function childrenOfCase(tx: Transaction, caseId: string): Promise<string[]> {
  const rows = await tx.query<{ child_id: string }>('SELECT child_id FROM known_case_children WHERE case_id = $1 ORDER BY child_id', [
    caseId,
  ]);
  return rows.map((row) => row.child_id);
}

export async function isChildOfCase(tx: Transaction, caseId: string, childId: string): Promise<boolean> {
  const [row] = await tx.query('SELECT 1 FROM known_case_children WHERE case_id = $1 AND child_id = $2', [caseId, childId]);
  return row !== undefined;
}

export async function rememberAllocation(tx: Transaction, data: CaseAllocatedV1): Promise<void> {
  await tx.query('UPDATE known_cases SET team_id = $2, allocated_worker_id = $3 WHERE case_id = $1', [
    data.caseId,
    data.teamId,
    data.allocatedWorkerId,
  ]);
}

export async function rememberClosure(tx: Transaction, data: CaseClosedV1): Promise<void> {
  await tx.query('UPDATE known_cases SET closed_on = $2 WHERE case_id = $1', [data.caseId, data.closedOn]);
}

/** The council of a case PLO has heard of, if it has. */
export async function councilOfCase(tx: Transaction, caseId: string): Promise<string | undefined> {
  const [row] = await tx.query<{ council_id: string }>('SELECT council_id FROM known_cases WHERE case_id = $1', [caseId]);
  return row?.council_id;
}

export async function loadCaseInfo(tx: Transaction, caseId: string): Promise<CaseInfo & { closedOn: string | null }> {
  const [row] = await tx.query<Record<string, string>>(
    `SELECT case_id, council_id, case_reference, team_id, allocated_worker_id, to_char(closed_on, 'YYYY-MM-DD') AS closed_on FROM known_cases WHERE case_id = $1`,
    [caseId],
  );
  if (!row) throw new NotFoundException(`case ${caseId} is not known to the PLO service (yet)`);
  return {
    caseId: row.case_id,
    councilId: row.council_id,
    caseReference: row.case_reference,
    teamId: row.team_id,
    workerId: row.allocated_worker_id,
    closedOn: row.closed_on,
  };
}
