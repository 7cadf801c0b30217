import { NotFoundException } from '@nestjs/common';
import type { LocalDate } from '@plo/timescales';
import { CASE_ROW_COLUMNS, CaseRow } from './case-store';

/**
 * A case with its children, legal-status and allocation histories, placements and obligations, in
 * one statement: one snapshot, so no transaction is needed to read it consistently, and one round
 * trip instead of six. Reading a case is the busiest call after a manager's alert list, and each
 * round trip costs a wake-up of Postgres and of the service on a busy machine.
 */
export const CASE_RECORD_SQL = `
  SELECT ${CASE_ROW_COLUMNS},
         (SELECT coalesce(json_agg(json_build_object(
                   'id', ch.id, 'firstName', ch.first_name, 'lastName', ch.last_name, 'dateOfBirth', to_char(ch.date_of_birth, 'YYYY-MM-DD'),
                   'expectedDateOfBirth', to_char(ch.expected_date_of_birth, 'YYYY-MM-DD'), 'sex', ch.sex, 'identifiers', ch.identifiers)
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
  children: object[];
  legal_statuses: object[];
  allocations: object[];
  placements: object[];
  obligations: { status: string; dueDate: string }[];
}

/** The API's view of a case; an obligation still open after its due date is marked overdue. */
export function caseRecordView(row: CaseRecordRow | undefined, caseId: string, today: LocalDate) {
  if (!row) throw new NotFoundException(`case ${caseId} does not exist`);
  return {
    id: row.id,
    councilId: row.council_id,
    caseReference: row.case_reference,
    teamId: row.team_id,
    allocatedWorkerId: row.allocated_worker_id,
    teamManagerId: row.team_manager_id,
    legalLeadId: row.legal_lead_id,
    legalStatus: row.legal_status,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    closureReason: row.closure_reason,
    version: row.version,
    children: row.children,
    legalStatuses: row.legal_statuses,
    allocations: row.allocations,
    placements: row.placements,
    obligations: row.obligations.map((o) => ({ ...o, overdue: o.status === 'open' && o.dueDate < today })),
  };
}
