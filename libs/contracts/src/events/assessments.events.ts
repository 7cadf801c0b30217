import { IsIn, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { DomainEvent, PRODUCER_TOPICS } from '../event-registry';
import { IsLegalDate } from '../legal-date';

/** The child-and-family assessment, one per child, on the cases topic keyed by case like the rest of the front door. */
export const AssessmentEventTypes = {
  assessmentStarted: 'uk.gov.plo.cases.assessment-started.v1',
  assessmentCompleted: 'uk.gov.plo.cases.assessment-completed.v1',
  assessmentCancelled: 'uk.gov.plo.cases.assessment-cancelled.v1',
} as const;

export const ASSESSMENT_OUTCOMES = ['no-further-action', 'cin-plan', 'strategy-discussion'] as const;
export type AssessmentOutcome = (typeof ASSESSMENT_OUTCOMES)[number];

@DomainEvent(
  AssessmentEventTypes.assessmentStarted,
  PRODUCER_TOPICS.cases,
  "A child-and-family assessment of one child began, from a referral; due 45 working days after the referral (or the council's shorter target).",
)
export class AssessmentStartedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsUUID() assessmentId: string;
  @IsUUID() referralId: string;
  @IsLegalDate() startedOn: string;
  @IsLegalDate() dueDate: string;
}

@DomainEvent(AssessmentEventTypes.assessmentCompleted, PRODUCER_TOPICS.cases, "A child's assessment was completed, with its outcome.")
export class AssessmentCompletedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsUUID() assessmentId: string;
  @IsLegalDate() completedOn: string;
  @IsIn(ASSESSMENT_OUTCOMES) outcome: AssessmentOutcome;
}

@DomainEvent(AssessmentEventTypes.assessmentCancelled, PRODUCER_TOPICS.cases, "A child's assessment was ended before it was completed.")
export class AssessmentCancelledV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsUUID() assessmentId: string;
  @IsLegalDate() cancelledOn: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
