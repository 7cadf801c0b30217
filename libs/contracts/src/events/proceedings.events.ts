import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DomainEvent, PRODUCER_TOPICS } from '../event-registry';
import { IsLegalDate } from '../legal-date';

export const ProceedingsEventTypes = {
  proceedingsIssued: 'uk.gov.plo.proceedings.proceedings-issued.v1',
} as const;

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
