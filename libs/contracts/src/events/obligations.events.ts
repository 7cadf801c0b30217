import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { DomainEvent, PRODUCER_TOPICS } from '../event-registry';
import { IsLegalDate } from '../legal-date';

export const ObligationEventTypes = {
  obligationScheduled: 'uk.gov.plo.obligations.obligation-scheduled.v1',
  obligationSatisfied: 'uk.gov.plo.obligations.obligation-satisfied.v1',
  obligationCancelled: 'uk.gov.plo.obligations.obligation-cancelled.v1',
} as const;

export class Responsible {
  @IsString() @IsNotEmpty() @MaxLength(64) teamId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) workerId: string;
}

/**
 * Something someone must do by a date. Producers compute the due date with the timescales library
 * and say how; consumers (alerting) never recompute legal dates.
 */
@DomainEvent(
  ObligationEventTypes.obligationScheduled,
  PRODUCER_TOPICS.both,
  'An obligation with a legal or local due date now exists (or its due date moved).',
)
export class ObligationScheduledV1 {
  @IsUUID() obligationId: string;
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) councilId: string;
  @IsOptional() @IsUUID() childId?: string;
  @IsString() @IsNotEmpty() @MaxLength(64) kind: string;
  @IsString() @IsNotEmpty() @MaxLength(64) ruleId: string;
  @IsLegalDate() dueDate: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) explanation: string;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => Responsible) responsible: Responsible;
}

@DomainEvent(ObligationEventTypes.obligationSatisfied, PRODUCER_TOPICS.both, 'An obligation was met (on, before or after its due date).')
export class ObligationSatisfiedV1 {
  @IsUUID() obligationId: string;
  @IsUUID() caseId: string;
  @IsLegalDate() satisfiedOn: string;
}

@DomainEvent(ObligationEventTypes.obligationCancelled, PRODUCER_TOPICS.both, 'An obligation no longer applies.')
export class ObligationCancelledV1 {
  @IsUUID() obligationId: string;
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
