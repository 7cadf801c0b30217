import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { describeErrors, HearingListingStatus, HearingStatus } from '@plo/contracts';
import { londonInstant } from '@plo/timescales';

/** HMCStatus values of HMCTS's Hearing Management Component (hmc-cft-hearing-service). */
export const HMC_STATUSES = [
  'HEARING_REQUESTED',
  'AWAITING_LISTING',
  'UPDATE_REQUESTED',
  'UPDATE_SUBMITTED',
  'ADJOURNED',
  'COMPLETED',
  'LISTED',
  'CANCELLATION_REQUESTED',
  'CANCELLATION_SUBMITTED',
  'CANCELLED',
  'CLOSED',
  'EXCEPTION',
] as const;
export type HmcStatus = (typeof HMC_STATUSES)[number];

// HMC's own timestamps must say which instant they are; a wall-clock time there is refused rather than guessed.
const INSTANT_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = 'must be an ISO 8601 date-time with a UTC offset or Z';
// Listings give the hearing's start as the court's (London) wall-clock time, often without an offset.
const LISTING_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

export class HmcHearingUpdate {
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: `hearingResponseReceivedDateTime ${INSTANT_MESSAGE}` })
  hearingResponseReceivedDateTime?: string;

  /** Orders updates: an update broadcast earlier than one already applied is stale. */
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: `hearingEventBroadcastDateTime ${INSTANT_MESSAGE}` })
  hearingEventBroadcastDateTime: string;

  @IsIn(HMC_STATUSES) HMCStatus: HmcStatus;

  @IsOptional()
  @Transform(lowerCase)
  @IsIn(['draft', 'provisional', 'fixed'])
  hearingListingStatus?: HearingListingStatus;

  /** An instant (with offset or Z) or a London wall-clock time; parsing makes it an instant. */
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(LISTING_TIME, {
    message: 'nextHearingDate must be an ISO 8601 date-time: with a UTC offset or Z, or a London wall-clock time (YYYY-MM-DDTHH:MM[:SS])',
  })
  nextHearingDate?: string;

  @IsOptional() @IsString() @MaxLength(200) hearingVenueId?: string;
  @IsOptional() @IsString() @MaxLength(200) hearingJudgeId?: string;
  @IsOptional() @IsString() @MaxLength(100) ListAssistCaseStatus?: string;
  @IsOptional() @IsString() @MaxLength(100) hearingRoomId?: string;
}

/** The HMC hearing update message (domain.md §6): not a CloudEvent, so validated on its own. */
export class HmcHearingUpdateMessage {
  @IsString() @IsNotEmpty() @MaxLength(20) hmctsServiceCode: string;
  @Matches(/^[A-Za-z0-9/-]{1,64}$/, { message: 'caseRef must be a court case number (letters, digits, / and -)' }) caseRef: string;
  @IsString() @IsNotEmpty() @MaxLength(64) hearingID: string;
  @IsDefined() @ValidateNested() @Type(() => HmcHearingUpdate) hearingUpdate: HmcHearingUpdate;
}

export type ParsedCourtUpdate = { valid: true; update: HmcHearingUpdateMessage } | { valid: false; reason: string };

export function parseCourtUpdate(raw: unknown): ParsedCourtUpdate {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { valid: false, reason: 'message is not a JSON object' };
  const update = plainToInstance(HmcHearingUpdateMessage, raw);
  const errors = validateSync(update);
  if (errors.length) return { valid: false, reason: `invalid hearing update: ${describeErrors(errors)}` };
  const next = update.hearingUpdate.nextHearingDate;
  if (next !== undefined) {
    try {
      update.hearingUpdate.nextHearingDate = londonInstant(next).toISOString();
    } catch (error) {
      return { valid: false, reason: `invalid hearing update: hearingUpdate.nextHearingDate: ${(error as Error).message}` };
    }
  }
  return { valid: true, update };
}

export function parseCourtUpdateText(text: string | null): ParsedCourtUpdate {
  if (!text) return { valid: false, reason: 'message has no value' };
  try {
    return parseCourtUpdate(JSON.parse(text));
  } catch (error) {
    return { valid: false, reason: `message is not JSON: ${(error as Error).message}` };
  }
}

/** Same hearing, same broadcast: the same update, however often it is delivered. */
export function courtUpdateId(update: HmcHearingUpdateMessage): string {
  return `hmc:${update.caseRef}:${update.hearingID}:${new Date(update.hearingUpdate.hearingEventBroadcastDateTime).toISOString()}`;
}

export interface KnownHearing {
  status: HearingStatus;
  startsAt: string;
}

export type CourtAction =
  | { kind: 'list'; startsAt: string }
  | { kind: 'move'; startsAt: string; status: HearingStatus }
  | { kind: 'restate' }
  | { kind: 'vacate' }
  | { kind: 'adjourn' }
  | { kind: 'held' }
  | { kind: 'none'; note: string }
  | { kind: 'reject'; reason: string };

/** What an HMC status means for our record of the hearing (if we have one yet). */
export function interpretCourtUpdate(update: HmcHearingUpdate, hearing: KnownHearing | undefined): CourtAction {
  const next = update.nextHearingDate;
  switch (update.HMCStatus) {
    case 'LISTED': {
      if (!next) return { kind: 'reject', reason: 'HMCStatus LISTED needs nextHearingDate' };
      if (!hearing) return { kind: 'list', startsAt: next };
      const relisted: HearingStatus =
        hearing.status === 'vacated' ? 'vacated-and-relisted' : hearing.status === 'adjourned' ? 'adjourned-and-relisted' : hearing.status;
      if (sameInstant(hearing.startsAt, next) && relisted === hearing.status) return { kind: 'restate' };
      return { kind: 'move', startsAt: next, status: relisted === 'held' ? 'listed' : relisted };
    }
    case 'ADJOURNED':
      if (!hearing) return { kind: 'reject', reason: 'ADJOURNED for a hearing this service does not know' };
      return next ? { kind: 'move', startsAt: next, status: 'adjourned-and-relisted' } : { kind: 'adjourn' };
    case 'CANCELLED':
    case 'CANCELLATION_SUBMITTED':
      return hearing ? { kind: 'vacate' } : { kind: 'none', note: 'cancellation of a hearing never listed here' };
    case 'COMPLETED':
    case 'CLOSED':
      if (!hearing) return { kind: 'reject', reason: `${update.HMCStatus} for a hearing this service does not know` };
      return hearing.status === 'held' ? { kind: 'none', note: 'already recorded as held' } : { kind: 'held' };
    default:
      return { kind: 'none', note: `${update.HMCStatus} does not change the listing` };
  }
}

function sameInstant(a: string, b: string): boolean {
  return new Date(a).getTime() === new Date(b).getTime();
}
