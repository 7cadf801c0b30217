import { createHash } from 'node:crypto';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
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

import { CHILD_STATUSES, ChildStatus, LEGAL_STATUSES, LegalStatus, LOOKED_AFTER_BASES, LookedAfterBasis } from './legal-status';

export const CaseEventTypes = {
  caseOpened: 'uk.gov.plo.cases.case-opened.v1',
  caseAllocated: 'uk.gov.plo.cases.case-allocated.v1',
  caseDetailsChanged: 'uk.gov.plo.cases.case-details-changed.v1',
  legalStatusChanged: 'uk.gov.plo.cases.legal-status-changed.v1',
  childAdded: 'uk.gov.plo.cases.child-added.v1',
  placementStarted: 'uk.gov.plo.cases.placement-started.v1',
  caseClosed: 'uk.gov.plo.cases.case-closed.v1',
  visitRecorded: 'uk.gov.plo.cases.visit-recorded.v1',
  reviewScheduled: 'uk.gov.plo.cases.review-scheduled.v1',
  reviewRescheduled: 'uk.gov.plo.cases.review-rescheduled.v1',
  reviewHeld: 'uk.gov.plo.cases.review-held.v1',
  reviewCancelled: 'uk.gov.plo.cases.review-cancelled.v1',
  referralRecorded: 'uk.gov.plo.cases.referral-recorded.v1',
  referralDecided: 'uk.gov.plo.cases.referral-decided.v1',
  planChanged: 'uk.gov.plo.cases.plan-changed.v1',
  signedOff: 'uk.gov.plo.cases.signed-off.v1',
  councilRulesChanged: 'uk.gov.plo.cases.council-rules-changed.v1',
  childStatusStarted: 'uk.gov.plo.cases.child-status-started.v1',
  childStatusEnded: 'uk.gov.plo.cases.child-status-ended.v1',
  caseNoteAdded: 'uk.gov.plo.cases.case-note-added.v1',
  caseNoteAmended: 'uk.gov.plo.cases.case-note-amended.v1',
  strategyDiscussionHeld: 'uk.gov.plo.cases.strategy-discussion-held.v1',
  section47Started: 'uk.gov.plo.cases.section-47-started.v1',
  section47Concluded: 'uk.gov.plo.cases.section-47-concluded.v1',
  supervisionRecorded: 'uk.gov.plo.cases.supervision-recorded.v1',
  supervisionActionDone: 'uk.gov.plo.cases.supervision-action-done.v1',
} as const;

export const REVIEW_KINDS = ['icpc', 'cp-review', 'lac-review', 'cin-review', 'core-group'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** Who took part in a strategy discussion (Working Together 2023: at least the police, health and the council). */
export const STRATEGY_AGENCIES = ['police', 'health', 'council', 'education', 'other'] as const;
export type StrategyAgency = (typeof STRATEGY_AGENCIES)[number];

export const STRATEGY_DECISIONS = ['section-47', 'cin', 'no-further-action'] as const;
export type StrategyDecision = (typeof STRATEGY_DECISIONS)[number];

export const SECTION_47_OUTCOMES = ['icpc', 'cin-plan', 'no-further-action'] as const;
export type Section47Outcome = (typeof SECTION_47_OUTCOMES)[number];

export const REFERRAL_KINDS = ['contact', 'referral'] as const;
export type ReferralKind = (typeof REFERRAL_KINDS)[number];

export const SIGN_OFF_SUBJECTS = ['plan', 'review'] as const;
export type SignOffSubject = (typeof SIGN_OFF_SUBJECTS)[number];

@DomainEvent(CaseEventTypes.caseOpened, PRODUCER_TOPICS.cases, 'A case was opened for one or more children.')
export class CaseOpenedV1 {
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) councilId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) caseReference: string;
  @IsString() @IsNotEmpty() @MaxLength(64) teamId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) allocatedWorkerId: string;
  @IsOptional() @IsString() @MaxLength(200) teamManagerId?: string;
  @IsOptional() @IsString() @MaxLength(200) legalLeadId?: string;
  @IsIn(LEGAL_STATUSES) legalStatus: LegalStatus;
  @IsLegalDate() openedOn: string;
  /** The children opened with the case (further ones arrive as child-added). */
  @IsOptional() @IsArray() @IsUUID(undefined, { each: true }) childIds?: string[];
}

@DomainEvent(CaseEventTypes.caseAllocated, PRODUCER_TOPICS.cases, 'A case was re-allocated; open obligations follow the new worker.')
export class CaseAllocatedV1 {
  @IsUUID() caseId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) teamId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) allocatedWorkerId: string;
  @IsOptional() @IsString() @MaxLength(200) teamManagerId?: string;
  @IsLegalDate() allocatedOn: string;
  @IsOptional() @IsString() @MaxLength(200) previousWorkerId?: string;
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

@DomainEvent(
  CaseEventTypes.caseDetailsChanged,
  PRODUCER_TOPICS.cases,
  "A case's team manager or legal lead changed (absent fields did not change).",
)
export class CaseDetailsChangedV1 {
  @IsUUID() caseId: string;
  @IsOptional() @IsString() @MaxLength(200) teamManagerId?: string;
  @IsOptional() @IsString() @MaxLength(200) legalLeadId?: string;
}

@DomainEvent(
  CaseEventTypes.legalStatusChanged,
  PRODUCER_TOPICS.cases,
  "The child's legal status changed; the previous status ended the day the new one began.",
)
export class LegalStatusChangedV1 {
  @IsUUID() caseId: string;
  @IsIn(LEGAL_STATUSES) previousStatus: LegalStatus;
  @IsIn(LEGAL_STATUSES) legalStatus: LegalStatus;
  @IsLegalDate() startDate: string;
}

/** Names stay in the case register: events carry only what other services need. */
@DomainEvent(CaseEventTypes.childAdded, PRODUCER_TOPICS.cases, 'A child (possibly unborn, with an expected date) was added to a case.')
export class ChildAddedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsOptional() @IsLegalDate() dateOfBirth?: string;
  @IsOptional() @IsLegalDate() expectedDateOfBirth?: string;
}

@DomainEvent(
  CaseEventTypes.placementStarted,
  PRODUCER_TOPICS.cases,
  'A looked-after child started a placement; statutory visits are counted from it.',
)
export class PlacementStartedV1 {
  @IsUUID() caseId: string;
  @IsUUID() placementId: string;
  @IsOptional() @IsUUID() childId?: string;
  @IsLegalDate() startedOn: string;
  @IsBoolean() intendedToLastUntil18: boolean;
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
  /** Whether the visit met the statutory visit obligation (a visit where the child was not seen does not). */
  @IsOptional() @IsBoolean() countsAsStatutory?: boolean;
  /** The children seen on the visit: only their visit obligations are met (siblings may share a visit). */
  @IsOptional() @IsArray() @IsUUID(undefined, { each: true }) childrenSeen?: string[];
}

@DomainEvent(CaseEventTypes.reviewScheduled, PRODUCER_TOPICS.cases, 'A review or conference is due by a date computed by rule.')
export class ReviewScheduledV1 {
  @IsUUID() caseId: string;
  /** The child whose series this is; absent only on reviews recorded before reviews were per child. */
  @IsOptional() @IsUUID() childId?: string;
  @IsUUID() reviewId: string;
  @IsIn(REVIEW_KINDS) kind: ReviewKind;
  /** 1 for the first of its series (first CP review conference, first looked-after review…). */
  @IsInt() @Min(1) sequence: number;
  @IsUUID() obligationId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) ruleId: string;
  @IsLegalDate() dueDate: string;
  @IsString() @IsNotEmpty() @MaxLength(1000) explanation: string;
}

@DomainEvent(
  CaseEventTypes.reviewRescheduled,
  PRODUCER_TOPICS.cases,
  'A review was moved to a new planned date; its due date (set by rule) does not move.',
)
export class ReviewRescheduledV1 {
  @IsUUID() caseId: string;
  /** The child whose series this is; absent only on reviews recorded before reviews were per child. */
  @IsOptional() @IsUUID() childId?: string;
  @IsUUID() reviewId: string;
  @IsLegalDate() plannedOn: string;
  @IsLegalDate() dueDate: string;
  /** The new date misses the due date: drift is already certain. */
  @IsBoolean() afterDueDate: boolean;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@DomainEvent(CaseEventTypes.reviewHeld, PRODUCER_TOPICS.cases, 'A review or conference took place, with its outcome.')
export class ReviewHeldV1 {
  @IsUUID() caseId: string;
  /** The child whose series this is; absent only on reviews recorded before reviews were per child. */
  @IsOptional() @IsUUID() childId?: string;
  @IsUUID() reviewId: string;
  @IsIn(REVIEW_KINDS) kind: ReviewKind;
  @IsLegalDate() heldOn: string;
  @IsLegalDate() dueDate: string;
  @IsBoolean() heldLate: boolean;
  @IsString() @IsNotEmpty() @MaxLength(64) outcome: string;
}

@DomainEvent(CaseEventTypes.reviewCancelled, PRODUCER_TOPICS.cases, 'A review will not take place; its obligation ends.')
export class ReviewCancelledV1 {
  @IsUUID() caseId: string;
  /** The child whose series this is; absent only on reviews recorded before reviews were per child. */
  @IsOptional() @IsUUID() childId?: string;
  @IsUUID() reviewId: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

@DomainEvent(
  CaseEventTypes.referralRecorded,
  PRODUCER_TOPICS.cases,
  'A contact or referral was received (repeat = a referral within 12 months of a previous one).',
)
export class ReferralRecordedV1 {
  @IsUUID() caseId: string;
  @IsUUID() referralId: string;
  @IsIn(REFERRAL_KINDS) kind: ReferralKind;
  @IsLegalDate() receivedOn: string;
  @IsBoolean() repeat: boolean;
  /** The children it is about; absent on events from before contacts and referrals were per child. */
  @IsOptional() @IsArray() @IsUUID(undefined, { each: true }) childIds?: string[];
  /** The children for whom it is a repeat referral (another within 12 months, on any of the council's cases). */
  @IsOptional() @IsArray() @IsUUID(undefined, { each: true }) repeatFor?: string[];
}

@DomainEvent(CaseEventTypes.referralDecided, PRODUCER_TOPICS.cases, 'A decision was made on a contact or referral.')
export class ReferralDecidedV1 {
  @IsUUID() caseId: string;
  @IsUUID() referralId: string;
  @IsLegalDate() decidedOn: string;
  @IsString() @IsNotEmpty() @MaxLength(64) outcome: string;
  @IsBoolean() withinTimescale: boolean;
}

@DomainEvent(
  CaseEventTypes.planChanged,
  PRODUCER_TOPICS.cases,
  "A child's plan was created or changed; says whether every action is SMART.",
)
export class PlanChangedV1 {
  @IsUUID() caseId: string;
  @IsUUID() planId: string;
  @IsInt() @Min(1) version: number;
  @IsString() @IsNotEmpty() @MaxLength(64) kind: string;
  @IsLegalDate() reviewDate: string;
  @IsInt() @Min(0) actionCount: number;
  /** Every action has an owner, a due date and a measurable outcome. */
  @IsBoolean() smart: boolean;
  @IsArray() @IsUUID(undefined, { each: true }) actionsNotSmart: string[];
}

@DomainEvent(
  CaseEventTypes.signedOff,
  PRODUCER_TOPICS.cases,
  'A manager signed off a plan or review; an exception records the standards it did not meet and why.',
)
export class SignedOffV1 {
  @IsUUID() caseId: string;
  @IsIn(SIGN_OFF_SUBJECTS) subject: SignOffSubject;
  @IsUUID() subjectId: string;
  @IsInt() @Min(1) subjectVersion: number;
  @IsString() @IsNotEmpty() @MaxLength(200) managerId: string;
  @IsLegalDate() signedOn: string;
  @IsBoolean() exception: boolean;
  @IsOptional() @IsString() @MaxLength(1000) exceptionReason?: string;
  @IsArray() @IsString({ each: true }) unmetStandards: string[];
  /** The supervision that agreed what was signed off; absent on sign-offs made before it was asked for. */
  @IsOptional() @IsUUID() supervisionId?: string;
}

export const RULE_CHANGES = ['overridden', 'reset'] as const;

/** A local rule's period as a council has it: what the next due date computed with it uses. */
export class RulePeriod {
  @IsInt() @Min(1) offset: number;
  @IsString() @IsNotEmpty() @MaxLength(32) unit: string;
  @IsString() @IsNotEmpty() @MaxLength(32) counting: string;
}

/**
 * The subject (and Kafka key) of a council-wide event. The envelope needs a UUID and this event is
 * about no case: a name-based UUID (RFC 9562 v5 in a namespace of our own) of the council id keeps
 * each council's changes in order on one partition without a case id, and any service can derive it.
 */
export function councilSubject(councilId: string): string {
  const namespace = Buffer.from('5f0a3c1e6b2d4e8fa1c47d9e2b3f6a80', 'hex');
  const hash = createHash('sha1').update(namespace).update(councilId, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Keyed by council, not case: the envelope subject is councilSubject(councilId). Each service
 * recomputes its own open obligations governed by the rule from the day each was counted from
 * (cases in the same transaction as this event; PLO when it consumes it) and announces every move
 * with obligation-scheduled under the obligation's own id.
 */
@DomainEvent(
  CaseEventTypes.councilRulesChanged,
  PRODUCER_TOPICS.cases,
  'A council changed one of its local timescale rules (or reset it to the national default); subject = councilSubject(councilId), not a case.',
)
export class CouncilRulesChangedV1 {
  @IsString() @IsNotEmpty() @MaxLength(64) councilId: string;
  @IsString() @IsNotEmpty() @MaxLength(64) ruleId: string;
  @IsIn(RULE_CHANGES) change: (typeof RULE_CHANGES)[number];
  /** The rule set's version after the change (1, 2, …): each change of any of the council's rules adds one. */
  @IsInt() @Min(1) version: number;
  @IsDefined() @ValidateNested() @Type(() => RulePeriod) period: RulePeriod;
  @IsDefined() @ValidateNested() @Type(() => RulePeriod) previousPeriod: RulePeriod;
}

export const CHILD_STATUS_SOURCES = ['recorded', 'court-order', 'legal-involvement', 'import', 'migrated'] as const;
export type ChildStatusSource = (typeof CHILD_STATUS_SOURCES)[number];

/**
 * One of a child's statuses began. A child holds several at once (looked after under an interim
 * care order *and* in care proceedings); obligations follow from the whole set. A looked-after
 * child's change of basis (ICO to care order) ends one row and starts the next on the same day:
 * the child stays looked after, so reg 28 visits and the reg 33 review series carry on.
 */
@DomainEvent(
  CaseEventTypes.childStatusStarted,
  PRODUCER_TOPICS.cases,
  "A child's status (CIN, CP plan, looked after with its basis, pre-proceedings, care proceedings) began.",
)
export class ChildStatusStartedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsUUID() statusId: string;
  @IsIn(CHILD_STATUSES) status: ChildStatus;
  /** Only for `looked-after`: s.20, interim care order, care order or placement order. */
  @IsOptional() @IsIn(LOOKED_AFTER_BASES) basis?: LookedAfterBasis;
  @IsLegalDate() startDate: string;
  /** Recorded by a worker, made by a court order, copied from PLO's legal involvement, imported or migrated. */
  @IsIn(CHILD_STATUS_SOURCES) source: ChildStatusSource;
}

@DomainEvent(
  CaseEventTypes.childStatusEnded,
  PRODUCER_TOPICS.cases,
  "A child's status ended (the day after its last day is `endDate`'s next day; `endDate` is its last day).",
)
export class ChildStatusEndedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsUUID() statusId: string;
  @IsIn(CHILD_STATUSES) status: ChildStatus;
  @IsOptional() @IsIn(LOOKED_AFTER_BASES) basis?: LookedAfterBasis;
  @IsLegalDate() endDate: string;
  @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

/**
 * A note on the case was recorded. Its text stays in cases (free text about children is not for the
 * bus): the event says that a note exists, about whom, when it happened and whether it is significant.
 */
@DomainEvent(
  CaseEventTypes.caseNoteAdded,
  PRODUCER_TOPICS.cases,
  'A case note was recorded about some or all of the children (its text stays in cases).',
)
export class CaseNoteAddedV1 {
  @IsUUID() caseId: string;
  @IsUUID() noteId: string;
  @IsArray() @IsUUID(undefined, { each: true }) childIds: string[];
  @IsBoolean() significant: boolean;
  @IsLegalDate() occurredOn: string;
  @IsString() @IsNotEmpty() @MaxLength(200) authorId: string;
}

@DomainEvent(
  CaseEventTypes.caseNoteAmended,
  PRODUCER_TOPICS.cases,
  'A case note was amended: a new version, the earlier ones kept (its text stays in cases).',
)
export class CaseNoteAmendedV1 {
  @IsUUID() caseId: string;
  @IsUUID() noteId: string;
  @IsInt() @Min(2) version: number;
  @IsBoolean() significant: boolean;
  @IsString() @IsNotEmpty() @MaxLength(200) authorId: string;
}

/**
 * A strategy discussion was held about some of the children. Names and roles of those who took part
 * stay in cases; the event says which agencies were there and what was decided.
 */
@DomainEvent(
  CaseEventTypes.strategyDiscussionHeld,
  PRODUCER_TOPICS.cases,
  'A strategy discussion was held about some or all of the children, with the agencies that took part and its decision.',
)
export class StrategyDiscussionHeldV1 {
  @IsUUID() caseId: string;
  @IsUUID() strategyDiscussionId: string;
  @IsArray() @IsUUID(undefined, { each: true }) childIds: string[];
  @IsLegalDate() heldOn: string;
  @IsArray() @IsIn(STRATEGY_AGENCIES, { each: true }) agencies: StrategyAgency[];
  @IsIn(STRATEGY_DECISIONS) decision: StrategyDecision;
}

@DomainEvent(CaseEventTypes.section47Started, PRODUCER_TOPICS.cases, "A child's s.47 enquiry started, from a strategy discussion.")
export class Section47StartedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsUUID() enquiryId: string;
  @IsUUID() strategyDiscussionId: string;
  @IsLegalDate() startedOn: string;
}

@DomainEvent(CaseEventTypes.section47Concluded, PRODUCER_TOPICS.cases, "A child's s.47 enquiry concluded, with its outcome.")
export class Section47ConcludedV1 {
  @IsUUID() caseId: string;
  @IsUUID() childId: string;
  @IsUUID() enquiryId: string;
  @IsLegalDate() concludedOn: string;
  @IsIn(SECTION_47_OUTCOMES) outcome: Section47Outcome;
}

/**
 * A manager supervised a worker's case. Decisions and actions stay in cases (free text about children
 * is not for the bus): the event says who, when, which children and how many of each.
 */
@DomainEvent(
  CaseEventTypes.supervisionRecorded,
  PRODUCER_TOPICS.cases,
  "A supervision session on a worker's case was recorded (its decisions and actions stay in cases).",
)
export class SupervisionRecordedV1 {
  @IsUUID() caseId: string;
  @IsUUID() supervisionId: string;
  @IsLegalDate() heldOn: string;
  @IsString() @IsNotEmpty() @MaxLength(200) supervisorId: string;
  @IsString() @IsNotEmpty() @MaxLength(200) workerId: string;
  @IsArray() @IsUUID(undefined, { each: true }) childIds: string[];
  @IsInt() @Min(0) decisionCount: number;
  @IsArray() @IsUUID(undefined, { each: true }) actionIds: string[];
}

@DomainEvent(CaseEventTypes.supervisionActionDone, PRODUCER_TOPICS.cases, 'An action agreed in supervision was done.')
export class SupervisionActionDoneV1 {
  @IsUUID() caseId: string;
  @IsUUID() supervisionId: string;
  @IsUUID() actionId: string;
  @IsLegalDate() doneOn: string;
  @IsString() @IsNotEmpty() @MaxLength(200) recordedBy: string;
}
