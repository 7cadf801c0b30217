import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DomainEvent, PRODUCER_TOPICS } from '../event-registry';
import { IsLegalDate } from '../legal-date';
import { Topics } from '../topics';
import { CHILD_ORDERS, ChildOrder, LEGAL_INVOLVEMENTS, LegalInvolvement } from './legal-status';

export const ProceedingsEventTypes = {
  proceedingsIssued: 'uk.gov.plo.proceedings.proceedings-issued.v1',
  driftProjected: 'uk.gov.plo.proceedings.drift-projected.v1',
  driftProjectionCleared: 'uk.gov.plo.proceedings.drift-projection-cleared.v1',
  stageEntered: 'uk.gov.plo.proceedings.stage-entered.v1',
  proceedingsConcluded: 'uk.gov.plo.proceedings.proceedings-concluded.v1',
  extensionGranted: 'uk.gov.plo.proceedings.extension-granted.v1',
  hearingListed: 'uk.gov.plo.proceedings.hearing-listed.v1',
  hearingMoved: 'uk.gov.plo.proceedings.hearing-moved.v1',
  hearingVacated: 'uk.gov.plo.proceedings.hearing-vacated.v1',
  hearingAdjourned: 'uk.gov.plo.proceedings.hearing-adjourned.v1',
  hearingHeld: 'uk.gov.plo.proceedings.hearing-held.v1',
  timetableChanged: 'uk.gov.plo.proceedings.timetable-changed.v1',
  preProceedingsStarted: 'uk.gov.plo.proceedings.pre-proceedings-started.v1',
  preProceedingsStepRecorded: 'uk.gov.plo.proceedings.pre-proceedings-step-recorded.v1',
  preProceedingsConcluded: 'uk.gov.plo.proceedings.pre-proceedings-concluded.v1',
  preProceedingsExtended: 'uk.gov.plo.proceedings.pre-proceedings-extended.v1',
  legalInvolvementStarted: 'uk.gov.plo.proceedings.legal-involvement-started.v1',
  legalInvolvementEnded: 'uk.gov.plo.proceedings.legal-involvement-ended.v1',
  childJoinedProceedings: 'uk.gov.plo.proceedings.child-joined-proceedings.v1',
  childProceedingsConcluded: 'uk.gov.plo.proceedings.child-proceedings-concluded.v1',
  orderMade: 'uk.gov.plo.proceedings.order-made.v1',
} as const;

/** Stages of care proceedings under the PLO (PD12A); 'final-order' and 'withdrawn' end them. */
export const PROCEEDINGS_STAGES = [
  'issued',
  'gatekeeping',
  'case-management-hearing',
  'further-case-management-hearing',
  'issues-resolution-hearing',
  'final-hearing',
  'final-order',
  'withdrawn',
] as const;
export type ProceedingsStage = (typeof PROCEEDINGS_STAGES)[number];

/** HMCTS hearing types (fpl-ccd-configuration). */
export const HEARING_TYPES = [
  'case-management',
  'further-case-management',
  'issue-resolution',
  'final',
  'fact-finding',
  'interim-care-order',
  'emergency-protection-order',
  'other',
] as const;
export type HearingType = (typeof HEARING_TYPES)[number];

export const HEARING_LISTING_STATUSES = ['draft', 'provisional', 'fixed'] as const;
export type HearingListingStatus = (typeof HEARING_LISTING_STATUSES)[number];

export const HEARING_STATUSES = ['listed', 'adjourned', 'adjourned-and-relisted', 'vacated', 'vacated-and-relisted', 'held'] as const;
export type HearingStatus = (typeof HEARING_STATUSES)[number];

/** Where a hearing change came from: typed in by staff, the court's feed (Kafka or HTTP), or a CSV import. */
export const HEARING_CHANGE_SOURCES = ['manual', 'court-feed', 'csv-import'] as const;

/** HMCTS's fixed list of reasons for extending the 26 weeks (fpl-ccd-configuration CaseExtensionReasonList). */
export const EXTENSION_REASONS = [
  'timetable-for-proceedings',
  'timetable-for-child',
  'delay-in-case-impact-on-child',
  'international-aspect',
] as const;
export type ExtensionReason = (typeof EXTENSION_REASONS)[number];

export const DRIFT_PROJECTION_REASONS = ['final-hearing-after-completion', 'no-final-hearing-listed'] as const;

export class ChildClock {
  @IsUUID() childId: string;
  /** Last day of the 26 weeks beginning with the issue day (issue + 181 days). */
  @IsLegalDate() completionDate: string;
  /** HMCTS's display convention, submission + 26 weeks; informational. */
  @IsLegalDate() hmctsDisplayDate: string;
}

@DomainEvent(
  ProceedingsEventTypes.proceedingsIssued,
  PRODUCER_TOPICS.proceedings,
  'Care proceedings were issued; each child has a 26-week clock.',
)
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
@DomainEvent(
  ProceedingsEventTypes.driftProjected,
  PRODUCER_TOPICS.proceedings,
  "A child's proceedings are projected to overrun their completion date.",
)
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

@DomainEvent(
  ProceedingsEventTypes.driftProjectionCleared,
  PRODUCER_TOPICS.proceedings,
  'A projected overrun no longer applies (hearing relisted, extension granted, proceedings concluded).',
)
export class DriftProjectionClearedV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsUUID() childId: string;
  @IsLegalDate() clearedOn: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@DomainEvent(ProceedingsEventTypes.stageEntered, PRODUCER_TOPICS.proceedings, 'Proceedings moved to the next PLO stage.')
export class StageEnteredV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsIn(PROCEEDINGS_STAGES) stage: ProceedingsStage;
  @IsIn(PROCEEDINGS_STAGES) previousStage: ProceedingsStage;
  @IsLegalDate() enteredOn: string;
}

export class ChildOutcome {
  @IsUUID() childId: string;
  @IsLegalDate() completionDate: string;
  /** Concluded on or before the child's (possibly extended) completion date. */
  @IsBoolean() withinTimescale: boolean;
}

@DomainEvent(
  ProceedingsEventTypes.proceedingsConcluded,
  PRODUCER_TOPICS.proceedings,
  'Proceedings ended with a final order or were withdrawn.',
)
export class ProceedingsConcludedV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsIn(['final-order', 'withdrawn']) outcome: 'final-order' | 'withdrawn';
  @IsLegalDate() concludedOn: string;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ChildOutcome) children: ChildOutcome[];
}

@DomainEvent(
  ProceedingsEventTypes.extensionGranted,
  PRODUCER_TOPICS.proceedings,
  "The court extended a child's 26 weeks (s.32(5)); the child's completion date moved.",
)
export class ExtensionGrantedV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsUUID() childId: string;
  @IsUUID() extensionId: string;
  @IsLegalDate() grantedOn: string;
  @IsOptional() @IsUUID() hearingId?: string;
  @IsLegalDate() previousEndDate: string;
  @IsLegalDate() newEndDate: string;
  /** HMCTS's display date after this extension (its convention runs a day behind the legal last day). */
  @IsOptional() @IsLegalDate() hmctsDisplayDate?: string;
  /** The latest end date s.32(8) allowed for this extension. */
  @IsLegalDate() latestAllowedEndDate: string;
  @IsIn(['explicit-date', 'eight-weeks']) requestedAs: 'explicit-date' | 'eight-weeks';
  @IsIn(EXTENSION_REASONS) reason: ExtensionReason;
  @IsString() @IsNotEmpty() @MaxLength(200) recordedBy: string;
  /** The latest of the children's completion dates after this extension. */
  @IsLegalDate() caseCompletionDate: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) explanation: string;
}

/** A hearing as it stands after the change the event reports. */
export class HearingDetails {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsUUID() hearingId: string;
  @IsIn(HEARING_TYPES) hearingType: HearingType;
  @IsISO8601({ strict: true }) startsAt: string;
  @IsOptional() @IsISO8601({ strict: true }) endsAt?: string;
  /** The Europe/London date of startsAt: what deadlines before the hearing count from. */
  @IsLegalDate() hearingDate: string;
  @IsOptional() @IsString() @MaxLength(200) venue?: string;
  @IsOptional() @IsString() @MaxLength(200) judge?: string;
  @IsIn(HEARING_LISTING_STATUSES) listingStatus: HearingListingStatus;
  @IsIn(HEARING_STATUSES) status: HearingStatus;
  @IsOptional() @IsString() @MaxLength(1000) outcome?: string;
  @IsIn(HEARING_CHANGE_SOURCES) source: (typeof HEARING_CHANGE_SOURCES)[number];
}

@DomainEvent(
  ProceedingsEventTypes.hearingListed,
  PRODUCER_TOPICS.proceedings,
  'A hearing was listed; deadlines counted from it were scheduled.',
)
export class HearingListedV1 extends HearingDetails {}

@DomainEvent(
  ProceedingsEventTypes.hearingMoved,
  PRODUCER_TOPICS.proceedings,
  'A hearing moved (or was re-listed); deadlines counted from it moved with it.',
)
export class HearingMovedV1 extends HearingDetails {
  @IsLegalDate() previousHearingDate: string;
  @IsISO8601({ strict: true }) previousStartsAt: string;
}

@DomainEvent(
  ProceedingsEventTypes.hearingVacated,
  PRODUCER_TOPICS.proceedings,
  'A hearing was vacated; deadlines counted from it were cancelled.',
)
export class HearingVacatedV1 extends HearingDetails {}

@DomainEvent(ProceedingsEventTypes.hearingAdjourned, PRODUCER_TOPICS.proceedings, 'A hearing was adjourned without a new date.')
export class HearingAdjournedV1 extends HearingDetails {}

@DomainEvent(ProceedingsEventTypes.hearingHeld, PRODUCER_TOPICS.proceedings, 'A hearing took place; its outcome is recorded.')
export class HearingHeldV1 extends HearingDetails {}

export const MILESTONE_KINDS = ['hearing', 'deadline', 'child-completion'] as const;

export class TimetableMilestone {
  /** Stable: the hearing, obligation or child id the milestone stands for. */
  @IsUUID() milestoneId: string;
  @IsIn(MILESTONE_KINDS) kind: (typeof MILESTONE_KINDS)[number];
  @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @IsLegalDate() date: string;
  @IsOptional() @IsISO8601({ strict: true }) startsAt?: string;
  @IsString() @IsNotEmpty() @MaxLength(64) status: string;
  @IsOptional() @IsString() @MaxLength(1000) explanation?: string;
}

/**
 * The council's whole timetable for a case as it stands, for court systems: every change
 * republishes all of it (a snapshot with a version that only grows), so a consumer keeps the latest.
 */
@DomainEvent(
  ProceedingsEventTypes.timetableChanged,
  [Topics.courtTimetable],
  "The council's timetable for a case (milestones and dates) changed; the whole timetable is carried.",
)
export class TimetableChangedV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) courtCaseNumber: string;
  @IsInt() @Min(1) version: number;
  @IsIn(PROCEEDINGS_STAGES) stage: ProceedingsStage;
  @IsLegalDate() caseCompletionDate: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => TimetableMilestone) milestones: TimetableMilestone[];
}

export const PRE_PROCEEDINGS_DECISIONS = ['pre-proceedings', 'issue-now', 'continue-plan'] as const;
export const PRE_PROCEEDINGS_STEPS = ['letter-before-proceedings', 'pre-proceedings-meeting', 'review-meeting'] as const;
export const PRE_PROCEEDINGS_OUTCOMES = ['step-down', 'issue'] as const;

@DomainEvent(
  ProceedingsEventTypes.preProceedingsStarted,
  PRODUCER_TOPICS.proceedings,
  'A legal gateway / planning meeting decided on pre-proceedings, issue now, or continuing the plan.',
)
export class PreProceedingsStartedV1 {
  @IsUUID() caseId: string;
  @IsUUID() preProceedingsId: string;
  @IsLegalDate() decidedOn: string;
  @IsIn(PRE_PROCEEDINGS_DECISIONS) decision: (typeof PRE_PROCEEDINGS_DECISIONS)[number];
  @IsOptional() @IsString() @MaxLength(1000) shortNoticeReason?: string;
}

@DomainEvent(
  ProceedingsEventTypes.preProceedingsStepRecorded,
  PRODUCER_TOPICS.proceedings,
  'A pre-proceedings step (letter, meeting, review) took place; the next review is due.',
)
export class PreProceedingsStepRecordedV1 {
  @IsUUID() caseId: string;
  @IsUUID() preProceedingsId: string;
  @IsIn(PRE_PROCEEDINGS_STEPS) step: (typeof PRE_PROCEEDINGS_STEPS)[number];
  @IsLegalDate() on: string;
  @IsInt() @Min(0) meetingsHeld: number;
  @IsOptional() @IsLegalDate() nextReviewDue?: string;
  @IsOptional() @IsLegalDate() timescaleEnds?: string;
}

@DomainEvent(
  ProceedingsEventTypes.preProceedingsConcluded,
  PRODUCER_TOPICS.proceedings,
  'Pre-proceedings ended: stepped down, or proceedings to be issued.',
)
export class PreProceedingsConcludedV1 {
  @IsUUID() caseId: string;
  @IsUUID() preProceedingsId: string;
  @IsIn(PRE_PROCEEDINGS_OUTCOMES) outcome: (typeof PRE_PROCEEDINGS_OUTCOMES)[number];
  @IsLegalDate() decidedOn: string;
  @IsOptional() @IsString() @MaxLength(1000) reason?: string;
  @IsBoolean() shortNotice: boolean;
  @IsOptional() @IsString() @MaxLength(1000) shortNoticeReason?: string;
  @IsInt() @Min(0) meetingsHeld: number;
}

/**
 * PLO owns legal involvement: a child entered pre-proceedings or care proceedings. Cases records it
 * among the child's statuses and alerting in its case directory; "legal may see this case" is one
 * rule in all three services: a child of the case has been in legal involvement (see platform's
 * `canSeeCase`).
 */
@DomainEvent(
  ProceedingsEventTypes.legalInvolvementStarted,
  PRODUCER_TOPICS.proceedings,
  'A child entered pre-proceedings or care proceedings (legal involvement began).',
)
export class LegalInvolvementStartedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsIn(LEGAL_INVOLVEMENTS) involvement: LegalInvolvement;
  /** The pre-proceedings or proceedings record it belongs to. */
  @IsUUID() involvementId: string;
  @IsLegalDate() startDate: string;
}

@DomainEvent(
  ProceedingsEventTypes.legalInvolvementEnded,
  PRODUCER_TOPICS.proceedings,
  "A child's pre-proceedings or care proceedings ended (stepped down, issued, final order, withdrawn).",
)
export class LegalInvolvementEndedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsIn(LEGAL_INVOLVEMENTS) involvement: LegalInvolvement;
  @IsUUID() involvementId: string;
  @IsLegalDate() endDate: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

/** A child joined proceedings already running (a baby born during the case), with their own issue date and 26 weeks. */
@DomainEvent(
  ProceedingsEventTypes.childJoinedProceedings,
  PRODUCER_TOPICS.proceedings,
  'A child joined existing proceedings with their own issue date and 26-week clock.',
)
export class ChildJoinedProceedingsV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsUUID() childId: string;
  @IsLegalDate() issuedOn: string;
  @IsLegalDate() completionDate: string;
  @IsLegalDate() hmctsDisplayDate: string;
  /** The latest of the children's completion dates after the child joined. */
  @IsLegalDate() caseCompletionDate: string;
}

/** One child's proceedings ended (a final order is made per child); siblings' proceedings may continue. */
@DomainEvent(
  ProceedingsEventTypes.childProceedingsConcluded,
  PRODUCER_TOPICS.proceedings,
  "One child's proceedings ended with a final order or were withdrawn; siblings' may continue.",
)
export class ChildProceedingsConcludedV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsUUID() childId: string;
  @IsIn(['final-order', 'withdrawn']) outcome: 'final-order' | 'withdrawn';
  @IsLegalDate() concludedOn: string;
  @IsLegalDate() completionDate: string;
  @IsBoolean() withinTimescale: boolean;
}

/**
 * A court order for one child. Interim care, care and placement orders make the child looked after
 * with that basis (cases follows this event); a supervision order does not. An interim order lasts
 * until `endsOn` or the end of the proceedings (Children and Families Act 2014).
 */
@DomainEvent(ProceedingsEventTypes.orderMade, PRODUCER_TOPICS.proceedings, 'A court made an order for a child (interim or final).')
export class OrderMadeV1 {
  @IsUUID() caseId: string;
  @IsUUID() proceedingsId: string;
  @IsUUID() childId: string;
  @IsUUID() orderId: string;
  @IsIn(CHILD_ORDERS) order: ChildOrder;
  @IsLegalDate() madeOn: string;
  @IsOptional() @IsLegalDate() endsOn?: string;
  @IsOptional() @IsUUID() hearingId?: string;
}

/**
 * The 16-week pre-proceedings period is guidance (PLO 2023 Pre-Proceedings Guidance), not statute:
 * it can be extended with a recorded reason, an unborn baby for instance.
 */
@DomainEvent(
  ProceedingsEventTypes.preProceedingsExtended,
  PRODUCER_TOPICS.proceedings,
  "A case's pre-proceedings period (guidance, not statute) was extended with a recorded reason.",
)
export class PreProceedingsExtendedV1 {
  @IsUUID() caseId: string;
  @IsUUID() preProceedingsId: string;
  @IsLegalDate() previousEndDate: string;
  @IsLegalDate() newEndDate: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
  @IsLegalDate() decidedOn: string;
}
