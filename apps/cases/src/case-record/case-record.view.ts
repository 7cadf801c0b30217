import { NotFoundException } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import {
  CHILD_STATUS_SOURCES,
  CHILD_STATUSES,
  ChildStatus,
  ChildStatusSource,
  LEGAL_STATUSES,
  LegalStatus,
  LOOKED_AFTER_BASES,
  LookedAfterBasis,
} from '@plo/contracts';
import type { LocalDate } from '@plo/timescales';
import { ChildIdentifierDto, SEXES } from './case-record.dto';
import type { CaseRecordRow } from './case-record.store';

const OBLIGATION_STATUSES = ['open', 'satisfied', 'cancelled'] as const;

export class ChildView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2019-04-01' }) dateOfBirth: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'For an unborn child' }) expectedDateOfBirth: string | null;
  @ApiProperty({ enum: SEXES }) sex: (typeof SEXES)[number];
  @ApiProperty({ type: [ChildIdentifierDto] }) identifiers: ChildIdentifierDto[];
  @ApiProperty({ type: String, nullable: true, description: "The council's person id, when known" }) personId: string | null;
}

export class ChildStatusView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CHILD_STATUSES }) status: ChildStatus;
  @ApiProperty({ enum: LOOKED_AFTER_BASES, nullable: true, description: 'Looked after only: s.20, ICO, care order, placement order' })
  basis: LookedAfterBasis | null;
  @ApiProperty({ format: 'date' }) startDate: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Its last day; null while the child holds it' }) endDate:
    string | null;
  @ApiProperty({ enum: CHILD_STATUS_SOURCES, description: 'recorded here, made by a court order, followed from PLO, imported or migrated' })
  source: ChildStatusSource;
  @ApiProperty({ type: String, nullable: true }) endReason: string | null;
}

/** A child on the case record: with the statuses the child holds now and the child's whole status history. */
export class ChildRecordView extends ChildView {
  @ApiProperty({ type: [ChildStatusView], description: 'What the child is now (several at once)' }) statuses: ChildStatusView[];
  @ApiProperty({ type: [ChildStatusView], description: 'Every status the child has held, oldest first' }) statusHistory: ChildStatusView[];
}

export class LegalStatusPeriodView {
  @ApiProperty({ enum: LEGAL_STATUSES }) legalStatus: LegalStatus;
  @ApiProperty({ format: 'date' }) startDate: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Null for the current status' }) endDate: string | null;
}

export class AllocationView {
  @ApiProperty() teamId: string;
  @ApiProperty() workerId: string;
  @ApiProperty({ type: String, nullable: true }) teamManagerId: string | null;
  @ApiProperty({ format: 'date' }) startDate: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Null for the current allocation' }) endDate: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the case was re-allocated' }) reason: string | null;
}

export class PlacementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null when recorded for every child on the case' })
  childId: string | null;
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiProperty() intendedToLastUntil18: boolean;
}

export class ObligationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'visit', description: 'visit, plan-review, contact-decision, referral-decision or a review kind' }) kind: string;
  @ApiProperty({ example: 'cp-visit', description: 'The timescale rule the due date was computed by' }) ruleId: string;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ description: 'How the due date was computed, citing the rule' }) explanation: string;
  @ApiProperty({ enum: OBLIGATION_STATUSES }) status: (typeof OBLIGATION_STATUSES)[number];
  @ApiProperty({ type: String, format: 'date', nullable: true }) satisfiedOn: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why a cancelled obligation ended' }) endedReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The child it is for; null for the whole case' })
  childId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The review, plan or referral it belongs to' })
  subjectId: string | null;
  @ApiProperty({ description: 'Still open after its due date' }) overdue: boolean;
}

export class CaseRecordView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'bury' }) councilId: string;
  @ApiProperty({ example: 'BC-2026-0042' }) caseReference: string;
  @ApiProperty({ example: 'north-1' }) teamId: string;
  @ApiProperty() allocatedWorkerId: string;
  @ApiProperty({ type: String, nullable: true }) teamManagerId: string | null;
  @ApiProperty({ type: String, nullable: true }) legalLeadId: string | null;
  @ApiProperty({ enum: LEGAL_STATUSES }) legalStatus: LegalStatus;
  @ApiProperty({ format: 'date' }) openedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) closedOn: string | null;
  @ApiProperty({ type: String, nullable: true }) closureReason: string | null;
  @ApiProperty({ description: 'Goes up with every change of the case; sent as the ETag' }) version: number;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'When legal first became involved with any child (what lets the legal role see the case)',
  })
  legalInvolvedSince: string | null;
  @ApiProperty({ type: [ChildRecordView] }) children: ChildRecordView[];
  @ApiProperty({
    type: [LegalStatusPeriodView],
    description:
      "Oldest first: the first release's case-level status, now the summary of the children's (the most intensive any child holds)",
  })
  legalStatuses: LegalStatusPeriodView[];
  @ApiProperty({ type: [AllocationView], description: 'Oldest first' }) allocations: AllocationView[];
  @ApiProperty({ type: [PlacementView], description: 'Oldest first' }) placements: PlacementView[];
  @ApiProperty({ type: [ObligationView], description: 'Soonest due first' }) obligations: ObligationView[];
}

export class CaseWithNewChildView extends CaseRecordView {
  @ApiProperty({ format: 'uuid', description: 'The child just added' }) childId: string;
}

/** An open obligation as the case list shows it. */
export class DueObligationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'visit' }) kind: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) childId: string | null;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty() explanation: string;
}

/** A child as a list names them. */
export class ListedChildView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() firstName: string;
  @ApiProperty() lastName: string;
}

export class CaseSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() caseReference: string;
  @ApiProperty() teamId: string;
  @ApiProperty() allocatedWorkerId: string;
  @ApiProperty({ type: String, nullable: true }) teamManagerId: string | null;
  @ApiProperty({ enum: LEGAL_STATUSES }) legalStatus: LegalStatus;
  @ApiProperty({ format: 'date' }) openedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) closedOn: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: [ListedChildView], description: 'The children on the case, by last name then first name' })
  children: ListedChildView[];
  @ApiProperty({ type: [DueObligationView], description: 'Open obligations past their due date, soonest first' })
  overdue: DueObligationView[];
  @ApiProperty({ type: DueObligationView, nullable: true, description: 'The next open obligation not yet overdue' })
  nextDue: DueObligationView | null;
}

export class CaseListView {
  @ApiProperty({ format: 'date', description: "Today in London: what 'overdue' was judged against" }) today: string;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ description: 'How many cases match, on every page' }) total: number;
  @ApiProperty({ type: [CaseSummaryView] }) items: CaseSummaryView[];
}

/** The API's view of a case; an obligation still open after its due date is marked overdue. */
export function caseRecordView(row: CaseRecordRow | undefined, caseId: string, today: LocalDate): CaseRecordView {
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
    legalInvolvedSince: row.legal_involved_since,
    children: row.children.map((child) => ({ ...child, statuses: child.statusHistory.filter((s) => s.endDate === null) })),
    legalStatuses: row.legal_statuses,
    allocations: row.allocations,
    placements: row.placements,
    obligations: row.obligations.map((o) => ({ ...o, overdue: o.status === 'open' && o.dueDate < today })),
  };
}
