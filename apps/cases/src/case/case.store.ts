import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LegalStatus } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { FieldProblem } from '@plo/platform';
import { LocalDate } from '@plo/timescales';

export interface CaseRow {
  id: string;
  council_id: string;
  case_reference: string;
  team_id: string;
  allocated_worker_id: string;
  team_manager_id: string | null;
  legal_lead_id: string | null;
  legal_status: LegalStatus;
  opened_on: LocalDate;
  closed_on: LocalDate | null;
  closure_reason: string | null;
  version: number;
}

/** The columns of a CaseRow, as every read of a case selects them. */
export const CASE_ROW_COLUMNS = `id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_lead_id, legal_status,
  to_char(opened_on, 'YYYY-MM-DD') AS opened_on, to_char(closed_on, 'YYYY-MM-DD') AS closed_on, closure_reason, version`;

/** What the access rules need to know about a case to decide who may see it; `inPlo`: any child ever had legal involvement. */
export interface CaseAccessFacts {
  councilId: string;
  teamId: string;
  allocatedWorkerId: string;
  inPlo: boolean;
}

/** The case row and its children: what every feature of a case reads or locks. */
@Injectable()
export class CaseStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(tx: Transaction, caseId: string, forUpdate = false): Promise<CaseRow> {
    const [row] = await tx.query<CaseRow>(`SELECT ${CASE_ROW_COLUMNS} FROM cases WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [caseId]);
    if (!row) throw new NotFoundException(`case ${caseId} does not exist`);
    return row;
  }

  /** The ETag changes with every change of the case. */
  async bumpVersion(tx: Transaction, caseId: string): Promise<void> {
    await tx.query('UPDATE cases SET version = version + 1 WHERE id = $1', [caseId]);
  }

  /** Read outside any transaction: the access check runs before every request under a case and one statement is enough. */
  async accessFacts(caseId: string): Promise<CaseAccessFacts | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT council_id AS "councilId", team_id AS "teamId", allocated_worker_id AS "allocatedWorkerId", legal_involved_since IS NOT NULL AS "inPlo"
         FROM cases WHERE id = $1`,
      [caseId],
    );
    return row;
  }

  /** The case's children, in the order the case lists them. */
  async childIds(tx: Transaction, caseId: string): Promise<string[]> {
    const rows = await tx.query<{ id: string }>('SELECT id FROM children WHERE case_id = $1 ORDER BY last_name, first_name, id', [caseId]);
    return rows.map((r) => r.id);
  }

  /** A problem with `field` when it names no child of the case. */
  async childProblem(tx: Transaction, caseId: string, childId: string | undefined, field: string): Promise<FieldProblem | undefined> {
    if (childId === undefined) return undefined;
    const [child] = await tx.query('SELECT 1 FROM children WHERE case_id = $1 AND id = $2', [caseId, childId]);
    return child ? undefined : { field, message: `${field} ${childId} is not a child on case ${caseId}` };
  }

  /** The council of a case, if cases knows it. */
  async councilOf(tx: Transaction, caseId: string): Promise<string | undefined> {
    const [row] = await tx.query<{ council_id: string }>('SELECT council_id FROM cases WHERE id = $1', [caseId]);
    return row?.council_id;
  }
}
