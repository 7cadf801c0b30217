import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DomainEvent, PRODUCER_TOPICS } from '../event-registry';
import { IsLegalDate } from '../legal-date';

export const ProceedingsEventTypes = {
  proceedingsIssued: 'uk.gov.plo.proceedings.proceedings-issued.v1',
  driftProjected: 'uk.gov.plo.proceedings.drift-projected.v1',
  driftProjectionCleared: 'uk.gov.plo.proceedings.drift-projection-cleared.v1',
} as const;

export const DRIFT_PROJECTION_REASONS = ['final-hearing-after-completion', 'no-final-hearing-listed'] as const;

export class ChildClock {
  @IsUUID() childId: string;
  /** Last day of the 26 weeks beginning with the issue day (issue + 181 days). */
  @IsLegalDate() completionDate: string;
  /** HMCTS's display convention, submission + 26 weeks; informational. */
  @IsLegalDate() hmctsDisplayDate: string;
}

@DomainEvent(ProceedingsEventTypes.proceedingsIssued, PRODUCER_TOPICS.proceedings, 'Care proceedings were issued; each child has a 26-week clock.')
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

/**
 * An early warning: on the current timetable a child's proceedings will not finish by their
 * completion date. Raised at once when the cause appears, weeks before the date itself is missed.
 */
@DomainEvent(ProceedingsEventTypes.driftProjected, PRODUCER_TOPICS.proceedings, "A child's proceedings are projected to overrun their completion date.")
export class DriftProjectedV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsUUID() childId: string;
  @IsLegalDate() completionDate: string;
  @IsIn(DRIFT_PROJECTION_REASONS) reason: (typeof DRIFT_PROJECTION_REASONS)[number];
  @IsOptional() @IsLegalDate() finalHearingDate?: string;
  @IsLegalDate() detectedOn: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) explanation: string;
}

@DomainEvent(ProceedingsEventTypes.driftProjectionCleared, PRODUCER_TOPICS.proceedings, 'A projected overrun no longer applies (hearing relisted, extension granted, proceedings concluded).')
export class DriftProjectionClearedV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsUUID() childId: string;
  @IsLegalDate() clearedOn: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
