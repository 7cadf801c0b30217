import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { DomainEvent, PRODUCER_TOPICS } from '../event-registry';
import { IsLegalDate } from '../legal-date';

import { LEGAL_STATUSES, LegalStatus } from './legal-status';

export const CaseEventTypes = {
  caseOpened: 'uk.gov.plo.cases.case-opened.v1',
  caseAllocated: 'uk.gov.plo.cases.case-allocated.v1',
  caseClosed: 'uk.gov.plo.cases.case-closed.v1',
  visitRecorded: 'uk.gov.plo.cases.visit-recorded.v1',
} as const;

@DomainEvent(CaseEventTypes.caseOpened, PRODUCER_TOPICS.cases, 'A case was opened for one or more children.')
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

@DomainEvent(CaseEventTypes.caseAllocated, PRODUCER_TOPICS.cases, 'A case was re-allocated; open obligations follow the new worker.')
export class CaseAllocatedV1 {
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) teamId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) allocatedWorkerId: string;
  @IsOptional() @IsString() @MaxLength(200) teamManagerId?: string;
  @IsLegalDate() allocatedOn: string;
}

@DomainEvent(CaseEventTypes.caseClosed, PRODUCER_TOPICS.cases, 'A case was closed; its open obligations end.')
export class CaseClosedV1 {
  @IsUUID() caseId: string;
  @IsLegalDate() closedOn: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@DomainEvent(CaseEventTypes.visitRecorded, PRODUCER_TOPICS.cases, 'A visit to a child was recorded (possibly late).')
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

