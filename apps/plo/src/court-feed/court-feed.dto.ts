import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { HMC_STATUSES } from '../domain/court-update';

export class DismissExceptionDto {
  @ApiProperty({ example: 'Sent to the wrong council; the court was told', description: 'Why it is dismissed; kept as its resolution' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note: string;
}

/**
 * The documentation of HMC's hearing update (domain.md §6) as posted to /court/hearing-updates. The
 * route takes the body as it comes and `parseCourtUpdate` validates it (HmcHearingUpdateMessage), so that
 * one that fails is kept on the exceptions list; these classes only describe it.
 */
export class HmcHearingUpdateBody {
  @ApiPropertyOptional({ format: 'date-time', description: 'With a UTC offset or Z' }) hearingResponseReceivedDateTime?: string;
  @ApiProperty({
    format: 'date-time',
    example: '2026-11-02T09:30:00Z',
    description: 'With a UTC offset or Z; orders updates: one broadcast before the last applied is stale',
  })
  hearingEventBroadcastDateTime: string;
  @ApiProperty({ enum: HMC_STATUSES }) HMCStatus: string;
  @ApiPropertyOptional({ enum: ['draft', 'provisional', 'fixed'], description: 'Any letter case' }) hearingListingStatus?: string;
  @ApiPropertyOptional({
    example: '2026-11-16T10:00:00',
    description: 'The hearing start: an instant (with offset or Z) or a London wall-clock time (YYYY-MM-DDTHH:MM[:SS]); LISTED needs it',
  })
  nextHearingDate?: string;
  @ApiPropertyOptional({ maxLength: 200 }) hearingVenueId?: string;
  @ApiPropertyOptional({ maxLength: 200 }) hearingJudgeId?: string;
  @ApiPropertyOptional({ maxLength: 100, description: "Kept as a held hearing's outcome" }) ListAssistCaseStatus?: string;
  @ApiPropertyOptional({ maxLength: 100 }) hearingRoomId?: string;
}

export class HmcHearingUpdateMessageBody {
  @ApiProperty({ maxLength: 20, example: 'ABA3' }) hmctsServiceCode: string;
  @ApiProperty({ pattern: '^[A-Za-z0-9/-]{1,64}$', example: 'MA26C00123', description: 'The court case number' }) caseRef: string;
  @ApiProperty({ maxLength: 64, example: '2000000123', description: "The court's hearing id" }) hearingID: string;
  @ApiProperty({ type: HmcHearingUpdateBody }) hearingUpdate: HmcHearingUpdateBody;
}
