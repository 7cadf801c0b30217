import { NotFoundException } from '@nestjs/common';
import type { LocalDate } from '@plo/timescales';
import type { CaseRecordRow } from './case-record.store';

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
