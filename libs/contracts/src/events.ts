import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DomainEvent, PRODUCER_TOPICS } from './event-registry';
import { IsLegalDate } from './legal-date';

export const LEGAL_STATUSES = ['child-in-need', 'child-protection-plan', 'looked-after', 'plo'] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

export const EventTypes = {
  caseOpened: 'uk.gov.plo.cases.case-opened.v1',
  caseAllocated: 'uk.gov.plo.cases.case-allocated.v1',
  caseClosed: 'uk.gov.plo.cases.case-closed.v1',
  visitRecorded: 'uk.gov.plo.cases.visit-recorded.v1',
  obligationScheduled: 'uk.gov.plo.obligations.obligation-scheduled.v1',
  obligationSatisfied: 'uk.gov.plo.obligations.obligation-satisfied.v1',
  obligationCancelled: 'uk.gov.plo.obligations.obligation-cancelled.v1',
  proceedingsIssued: 'uk.gov.plo.proceedings.proceedings-issued.v1',
} as const;

@DomainEvent(EventTypes.caseOpened, PRODUCER_TOPICS.cases, 'A case was opened for one or more children.')
export class CaseOpenedV1 {
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) councilId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) caseReference: string;
  @IsString() @IsNotEmpty() @MaxLength(64) teamId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) allocatedWorkerId: string;
  @IsOptional() @IsString() @MaxLength(200) teamManagerId?: string;
  @IsIn(LEGAL_STATUSES) legalStatus: LegalStatus;
  @IsLegalDate() openedOn: string;
}

@DomainEvent(EventTypes.caseAllocated, PRODUCER_TOPICS.cases, 'A case was re-allocated; open obligations follow the new worker.')
export class CaseAllocatedV1 {
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) teamId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) allocatedWorkerId: string;
  @IsOptional() @IsString() @MaxLength(200) teamManagerId?: string;
  @IsLegalDate() allocatedOn: string;
}

@DomainEvent(EventTypes.caseClosed, PRODUCER_TOPICS.cases, 'A case was closed; its open obligations end.')
export class CaseClosedV1 {
  @IsUUID() caseId: string;
  @IsLegalDate() closedOn: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@DomainEvent(EventTypes.visitRecorded, PRODUCER_TOPICS.cases, 'A visit to a child was recorded (possibly late).')
export class VisitRecordedV1 {
  @IsUUID() caseId: string;
  @IsUUID() visitId: string;
  @IsLegalDate() visitedOn: string;
  @IsString() @IsNotEmpty() @MaxLength(64) visitType: string;
  @IsBoolean() childSeen: boolean;
  @IsBoolean() seenAlone: boolean;
  @IsBoolean() bedroomSeen: boolean;
  @IsString() @IsNotEmpty() @MaxLength(64) purpose: string;
}

export class Responsible {
  @IsString() @IsNotEmpty() @MaxLength(64) teamId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) workerId: string;
}

/**
 * Something someone must do by a date. Producers compute the due date with the timescales library
 * and say how; consumers (alerting) never recompute legal dates.
 */
@DomainEvent(EventTypes.obligationScheduled, PRODUCER_TOPICS.both, 'An obligation with a legal or local due date now exists (or its due date moved).')
export class ObligationScheduledV1 {
  @IsUUID() obligationId: string;
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) councilId: string;
  @IsOptional() @IsUUID() childId?: string;
  @IsString() @IsNotEmpty() @MaxLength(64) kind: string;
  @IsString() @IsNotEmpty() @MaxLength(64) ruleId: string;
  @IsLegalDate() dueDate: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) explanation: string;
  @IsDefined() @ValidateNested() @Type(() => Responsible) responsible: Responsible;
}

@DomainEvent(EventTypes.obligationSatisfied, PRODUCER_TOPICS.both, 'An obligation was met (on, before or after its due date).')
export class ObligationSatisfiedV1 {
  @IsUUID() obligationId: string;
  @IsUUID() caseId: string;
  @IsLegalDate() satisfiedOn: string;
}

@DomainEvent(EventTypes.obligationCancelled, PRODUCER_TOPICS.both, 'An obligation no longer applies.')
export class ObligationCancelledV1 {
  @IsUUID() obligationId: string;
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class ChildClock {
  @IsUUID() childId: string;
  /** Last day of the 26 weeks beginning with the issue day (issue + 181 days). */
  @IsLegalDate() completionDate: string;
  /** HMCTS's display convention, submission + 26 weeks; informational. */
  @IsLegalDate() hmctsDisplayDate: string;
}

@DomainEvent(EventTypes.proceedingsIssued, PRODUCER_TOPICS.proceedings, 'Care proceedings were issued; each child has a 26-week clock.')
export class ProceedingsIssuedV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) court: string;
  @IsString() @IsNotEmpty() @MaxLength(64) courtCaseNumber: string;
  @IsLegalDate() issuedOn: string;
  @IsLegalDate() submittedOn: string;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ChildClock) children: ChildClock[];
  /** The latest of the children's completion dates: what the case shows. */
  @IsLegalDate() caseCompletionDate: string;
}
