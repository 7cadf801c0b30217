import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DomainEvent, PRODUCER_TOPICS } from '../event-registry';
import { IsLegalDate } from '../legal-date';

export const ObligationEventTypes = {
  obligationScheduled: 'uk.gov.plo.obligations.obligation-scheduled.v1',
  obligationSatisfied: 'uk.gov.plo.obligations.obligation-satisfied.v1',
  obligationCancelled: 'uk.gov.plo.obligations.obligation-cancelled.v1',
} as const;

/** Where a due date's force comes from: an Act or regulations, statutory guidance or practice direction, or the council's own rule. */
export const OBLIGATION_AUTHORITIES = ['statute', 'guidance', 'local'] as const;
export type ObligationAuthority = (typeof OBLIGATION_AUTHORITIES)[number];

/**
 * The producer's view of who holds the work when it scheduled it. Informational only: cases owns
 * allocation, and alerting chooses the team and worker of an alert from its own copy of cases'
 * allocation events, never from this stamp, which can be stale.
 */
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
  /**
   * The instant it becomes overdue, when the rule sets a time of day (the bundle by 16:00 two working
   * days before a hearing). Absent: the end of `dueDate` in Europe/London.
   */
  @IsOptional() @IsISO8601({ strict: true }) dueAt?: string;
  @IsOptional() @IsIn(OBLIGATION_AUTHORITIES) authority?: ObligationAuthority;
  /**
   * Recorded from history (an import, or a fact entered late) and already settled in that history:
   * alerting keeps any drift it shows as history and delivers nothing for it. An obligation still
   * open when the history ends is scheduled without this flag and alerts as usual.
   */
  @IsOptional() @IsBoolean() historical?: boolean;
}

@DomainEvent(ObligationEventTypes.obligationSatisfied, PRODUCER_TOPICS.both, 'An obligation was met (on, before or after its due date).')
export class ObligationSatisfiedV1 {
  @IsUUID() obligationId: string;
  @IsUUID() caseId: string;
  @IsLegalDate() satisfiedOn: string;
  /** Met in history (see ObligationScheduledV1.historical): any drift is recorded, not delivered. */
  @IsOptional() @IsBoolean() historical?: boolean;
}

@DomainEvent(ObligationEventTypes.obligationCancelled, PRODUCER_TOPICS.both, 'An obligation no longer applies.')
export class ObligationCancelledV1 {
  @IsUUID() obligationId: string;
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
