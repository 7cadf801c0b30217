import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LegalStatus } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { caseVisibilitySql, Principal } from '@plo/platform';
import { CASE_ROW_COLUMNS, CaseRow } from '../case/case.store';
import { ListCasesQuery, NewChildDto, OpenCaseDto, PlacementDto } from './case-record.dto';
import type { AllocationView, ChildStatusView, ChildView, LegalStatusPeriodView, ObligationView, PlacementView } from './case-record.view';

/**
 * A case with its children, legal-status and allocation histories, placements and obligations, in
 * one statement: one snapshot, so no transaction is needed to read it consistently, and one round
 * trip instead of six. Reading a case is the busiest call after a manager's alert list, and each
 * round trip costs a wake-up of Postgres and of the service on a busy machine.
 */
export const CASE_RECORD_SQL = `
  SELECT ${CASE_ROW_COLUMNS}, to_char(c.legal_involved_since, 'YYYY-MM-DD') AS legal_involved_since,
         (SELECT coalesce(json_agg(json_build_object(
                   'id', ch.id, 'firstName', ch.first_name, 'lastName', ch.last_name, 'dateOfBirth', to_char(ch.date_of_birth, 'YYYY-MM-DD'),
                   'expectedDateOfBirth', to_char(ch.expected_date_of_birth, 'YYYY-MM-DD'), 'sex', ch.sex, 'identifiers', ch.identifiers,
                   'personId', ch.person_id, 'statusHistory', (SELECT coalesce(json_agg(json_build_object(
                                       'id', cs.id, 'status', cs.status, 'basis', cs.basis, 'startDate', to_char(cs.start_date, 'YYYY-MM-DD'),
                                       'endDate', to_char(cs.end_date, 'YYYY-MM-DD'), 'source', cs.source, 'endReason', cs.end_reason)
                                     ORDER BY cs.start_date, cs.recorded_at), '[]')
                                       FROM child_statuses cs WHERE cs.child_id = ch.id))
                 ORDER BY ch.last_name, ch.first_name), '[]')
            FROM children ch WHERE ch.case_id = c.id) AS children,
         (SELECT coalesce(json_agg(json_build_object(
                   'legalStatus', ls.legal_status, 'startDate', to_char(ls.start_date, 'YYYY-MM-DD'), 'endDate', to_char(ls.end_date, 'YYYY-MM-DD'))
                 ORDER BY ls.start_date, ls.recorded_at), '[]')
            FROM legal_statuses ls WHERE ls.case_id = c.id) AS legal_statuses,
         (SELECT coalesce(json_agg(json_build_object(
                   'teamId', al.team_id, 'workerId', al.worker_id, 'teamManagerId', al.team_manager_id, 'startDate', to_char(al.start_date, 'YYYY-MM-DD'),
                   'endDate', to_char(al.end_date, 'YYYY-MM-DD'), 'reason', al.reason)
                 ORDER BY al.start_date, al.recorded_at), '[]')
            FROM allocations al WHERE al.case_id = c.id) AS allocations,
         (SELECT coalesce(json_agg(json_build_object(
                   'id', p.id, 'childId', p.child_id, 'startedOn', to_char(p.started_on, 'YYYY-MM-DD'), 'intendedToLastUntil18', p.intended_until_18)
                 ORDER BY p.started_on, p.recorded_at), '[]')
            FROM placements p WHERE p.case_id = c.id) AS placements,
         (SELECT coalesce(json_agg(json_build_object(
                   'id', o.id, 'kind', o.kind, 'ruleId', o.rule_id, 'dueDate', to_char(o.due_date, 'YYYY-MM-DD'), 'explanation', o.explanation,
                   'status', o.status, 'satisfiedOn', to_char(o.satisfied_on, 'YYYY-MM-DD'), 'endedReason', o.ended_reason,
                   'childId', o.child_id, 'subjectId', o.subject_id)
                 ORDER BY o.due_date, o.created_at), '[]')
            FROM obligations o WHERE o.case_id = c.id) AS obligations
    FROM cases c WHERE c.id = $1`;

export interface CaseRecordRow extends CaseRow {
  legal_involved_since: string | null;
  children: (ChildView & { statusHistory: ChildStatusView[] })[];
  legal_statuses: LegalStatusPeriodView[];
  allocations: AllocationView[];
  placements: PlacementView[];
  obligations: Omit<ObligationView, 'overdue'>[];
}

/** Postgres's name for the UNIQUE (council_id, case_reference) constraint of migration 1764100000100. */
const CASE_REFERENCE_UNIQUE = 'cases_council_id_case_reference_key';

/** Whether `error` is the database refusing a second case with the same reference in a council. */
export function isCaseReferenceTaken(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })?.driverError;
  return driverError?.code === '23505' && driverError.constraint === CASE_REFERENCE_UNIQUE;
}

export interface NewAllocation {
  teamId: string;
  workerId: string;
  teamManagerId: string | null;
  startDate: string;
  reason?: string | null;
}

export interface CaseListPage {
  filter: ListCasesQuery & { state: string };
  today: string;
  page: number;
  pageSize: number;
}

export interface DueObligation {
  caseId: string;
  id: string;
  kind: string;
  childId: string | null;
  dueDate: string;
  explanation: string;
}

export interface ListedChild {
  caseId: string;
  id: string;
  firstName: string;
  lastName: string;
}

/** The case record: the case row with its children, legal statuses, allocations and placements. */
@Injectable()
export class CaseRecordStore {
  /** The whole record in one statement, so one snapshot (see CASE_RECORD_SQL), as the transaction or reads given see it. */
  async record(tx: Transaction, caseId: string): Promise<CaseRecordRow | undefined> {
    const [row] = await tx.query<CaseRecordRow>(CASE_RECORD_SQL, [caseId]);
    return row;
  }

  async referenceTaken(tx: Transaction, councilId: string, caseReference: string): Promise<boolean> {
    const [existing] = await tx.query('SELECT id FROM cases WHERE council_id = $1 AND case_reference = $2', [councilId, caseReference]);
    return existing !== undefined;
  }

  /** A new case with its first legal status and allocation, both from the day it opened. */
  async insertCase(tx: Transaction, caseId: string, input: OpenCaseDto): Promise<void> {
    await tx.query(
      `INSERT INTO cases (id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_lead_id, legal_status, opened_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        caseId,
        input.councilId,
        input.caseReference,
        input.teamId,
        input.allocatedWorkerId,
        input.teamManagerId ?? null,
        input.legalLeadId ?? null,
        input.legalStatus,
        input.openedOn,
      ],
    );
    await tx.query(`INSERT INTO legal_statuses (id, case_id, legal_status, start_date) VALUES ($1, $2, $3, $4)`, [
      randomUUID(),
      caseId,
      input.legalStatus,
      input.openedOn,
    ]);
    await tx.query(
      `INSERT INTO allocations (id, case_id, team_id, worker_id, team_manager_id, start_date) VALUES ($1, $2, $3, $4, $5, $6)`,
      [randomUUID(), caseId, input.teamId, input.allocatedWorkerId, input.teamManagerId ?? null, input.openedOn],
    );
  }

  async updateDetails(tx: Transaction, caseId: string, teamManagerId: string | null, legalLeadId: string | null): Promise<void> {
    await tx.query(
      `UPDATE cases SET team_manager_id = COALESCE($2, team_manager_id), legal_lead_id = COALESCE($3, legal_lead_id) WHERE id = $1`,
      [caseId, teamManagerId, legalLeadId],
    );
    if (teamManagerId)
      await tx.query(`UPDATE allocations SET team_manager_id = $2 WHERE case_id = $1 AND end_date IS NULL`, [caseId, teamManagerId]);
  }

  /** A new legal status, ending the current one the day it starts. */
  async startLegalStatus(tx: Transaction, caseId: string, legalStatus: LegalStatus, startDate: string): Promise<void> {
    await tx.query(`UPDATE legal_statuses SET end_date = $2 WHERE case_id = $1 AND end_date IS NULL`, [caseId, startDate]);
    await tx.query(`INSERT INTO legal_statuses (id, case_id, legal_status, start_date) VALUES ($1, $2, $3, $4)`, [
      randomUUID(),
      caseId,
      legalStatus,
      startDate,
    ]);
    await tx.query(`UPDATE cases SET legal_status = $2 WHERE id = $1`, [caseId, legalStatus]);
  }

  async currentAllocationStart(tx: Transaction, caseId: string): Promise<string> {
    const [current] = await tx.query<{ start: string }>(
      `SELECT to_char(start_date, 'YYYY-MM-DD') AS start FROM allocations WHERE case_id = $1 AND end_date IS NULL`,
      [caseId],
    );
    return current.start;
  }

  /** A new allocation, ending the current one the day it starts: the history is kept, never overwritten. */
  async allocate(tx: Transaction, caseId: string, allocation: NewAllocation): Promise<void> {
    await tx.query(`UPDATE allocations SET end_date = $2 WHERE case_id = $1 AND end_date IS NULL`, [caseId, allocation.startDate]);
    await tx.query(
      `INSERT INTO allocations (id, case_id, team_id, worker_id, team_manager_id, start_date, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        randomUUID(),
        caseId,
        allocation.teamId,
        allocation.workerId,
        allocation.teamManagerId,
        allocation.startDate,
        allocation.reason ?? null,
      ],
    );
    await tx.query(`UPDATE cases SET team_id = $2, allocated_worker_id = $3, team_manager_id = $4 WHERE id = $1`, [
      caseId,
      allocation.teamId,
      allocation.workerId,
      allocation.teamManagerId,
    ]);
  }

  async insertChild(tx: Transaction, caseId: string, childId: string, child: NewChildDto, addedOn: string): Promise<void> {
    await tx.query(
      `INSERT INTO children (id, case_id, first_name, last_name, date_of_birth, expected_date_of_birth, sex, identifiers, added_on, person_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        childId,
        caseId,
        child.firstName,
        child.lastName,
        child.dateOfBirth ?? null,
        child.expectedDateOfBirth ?? null,
        child.sex,
        JSON.stringify(child.identifiers ?? []),
        addedOn,
        child.personId ?? null,
      ],
    );
  }

  async insertPlacement(tx: Transaction, caseId: string, placementId: string, placement: PlacementDto): Promise<void> {
    await tx.query(`INSERT INTO placements (id, case_id, child_id, started_on, intended_until_18) VALUES ($1, $2, $3, $4, $5)`, [
      placementId,
      caseId,
      placement.childId ?? null,
      placement.startedOn,
      placement.intendedToLastUntil18,
    ]);
  }

  /** Closes the case, ending its legal status and allocation the same day. */
  async close(tx: Transaction, caseId: string, closedOn: string, reason: string): Promise<void> {
    await tx.query('UPDATE cases SET closed_on = $2, closure_reason = $3 WHERE id = $1', [caseId, closedOn, reason]);
    await tx.query('UPDATE legal_statuses SET end_date = $2 WHERE case_id = $1 AND end_date IS NULL', [caseId, closedOn]);
    await tx.query('UPDATE allocations SET end_date = $2 WHERE case_id = $1 AND end_date IS NULL', [caseId, closedOn]);
  }

  children(tx: Transaction, caseId: string) {
    return tx.query(
      `SELECT id, first_name AS "firstName", last_name AS "lastName", to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
              to_char(expected_date_of_birth, 'YYYY-MM-DD') AS "expectedDateOfBirth", sex, identifiers, person_id AS "personId"
         FROM children WHERE case_id = $1 ORDER BY last_name, first_name`,
      [caseId],
    );
  }

  /**
   * A page of the council's cases that `principal` may see, with how many there are in all, and the
   * open obligations of the cases on the page, soonest first. The visibility filter runs in the
   * database, so only what the caller may see is counted and listed.
   */
  async list(tx: Transaction, principal: Principal, { filter, today, page, pageSize }: CaseListPage) {
    const where = `c.council_id = $1 AND ($2::text IS NULL OR c.team_id = $2) AND ($3::text IS NULL OR c.allocated_worker_id = $3)
      AND ($4::text IS NULL OR c.legal_status = $4)
      AND ($5::text = 'all' OR ($5 = 'open') = (c.closed_on IS NULL))
      AND ($6::boolean IS NULL OR $6 = EXISTS (SELECT 1 FROM obligations o WHERE o.case_id = c.id AND o.status = 'open' AND o.due_date < $7::date))`;
    const overdue = filter.overdue === undefined ? null : filter.overdue === 'true';
    const parameters: unknown[] = [
      filter.councilId,
      filter.teamId ?? null,
      filter.workerId ?? null,
      filter.legalStatus ?? null,
      filter.state,
      overdue,
      today,
    ];
    const visible = caseVisibilitySql(
      principal,
      {
        councilId: 'c.council_id',
        teamId: 'c.team_id',
        allocatedWorkerId: 'c.allocated_worker_id',
        inPlo: '(c.legal_involved_since IS NOT NULL)',
      },
      parameters,
    );
    const condition = `${where} AND ${visible}`;
    const [{ total }] = await tx.query<{ total: number }>(`SELECT count(*)::int AS total FROM cases c WHERE ${condition}`, parameters);
    const items = await tx.query<Record<string, unknown> & { id: string }>(
      `SELECT c.id, c.case_reference AS "caseReference", c.team_id AS "teamId", c.allocated_worker_id AS "allocatedWorkerId",
              c.team_manager_id AS "teamManagerId", c.legal_status AS "legalStatus", to_char(c.opened_on, 'YYYY-MM-DD') AS "openedOn",
              to_char(c.closed_on, 'YYYY-MM-DD') AS "closedOn", c.version
         FROM cases c WHERE ${condition} ORDER BY c.case_reference LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
      [...parameters, pageSize, (page - 1) * pageSize],
    );
    const due = items.length
      ? await tx.query<DueObligation>(
          `SELECT case_id AS "caseId", id, kind, child_id AS "childId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation
             FROM obligations WHERE case_id = ANY($1) AND status = 'open' ORDER BY due_date`,
          [items.map((item) => item.id)],
        )
      : [];
    const children = items.length
      ? await tx.query<ListedChild>(
          `SELECT case_id AS "caseId", id, first_name AS "firstName", last_name AS "lastName"
             FROM children WHERE case_id = ANY($1) ORDER BY last_name, first_name, id`,
          [items.map((item) => item.id)],
        )
      : [];
    return { total, items, due, children };
  }
}
