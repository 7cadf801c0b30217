import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { HEARING_LISTING_STATUSES, HEARING_TYPES, HearingListingStatus, HearingType, IsLegalDate } from '@plo/contracts';

const INSTANT_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

export class ListHearingDto {
  @ApiProperty({ enum: HEARING_TYPES }) @IsIn(HEARING_TYPES) hearingType: HearingType;
  @ApiProperty({ example: '2026-11-16T10:00:00Z', description: 'An instant (with offset or Z)' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'startsAt must carry a UTC offset or Z' })
  startsAt: string;
  @ApiPropertyOptional({ example: '2026-11-16T12:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'endsAt must carry a UTC offset or Z' })
  endsAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) venue?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) judge?: string;
  @ApiProperty({ enum: HEARING_LISTING_STATUSES }) @IsIn(HEARING_LISTING_STATUSES) listingStatus: HearingListingStatus;
  @ApiPropertyOptional({ description: "The court's hearing id (HMC hearingID), so the court feed updates this hearing" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  courtHearingId?: string;
}

export class MoveHearingDto {
  @ApiProperty({ example: '2026-11-18T10:00:00Z' })
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'startsAt must carry a UTC offset or Z' })
  startsAt: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT_WITH_OFFSET, { message: 'endsAt must carry a UTC offset or Z' })
  endsAt?: string;
  @ApiPropertyOptional({ enum: HEARING_LISTING_STATUSES })
  @IsOptional()
  @IsIn(HEARING_LISTING_STATUSES)
  listingStatus?: HearingListingStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) venue?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) judge?: string;
}

export class HearingOutcomeDto {
  @ApiPropertyOptional({ example: 'Directions given; IRH listed' }) @IsOptional() @IsString() @MaxLength(1000) outcome?: string;
}

export class DraftOrderUploadedDto {
  @ApiProperty({ example: '2025-01-23', description: 'The day the draft order after the hearing was uploaded to the court' })
  @IsLegalDate()
  uploadedOn: string;
}

export class ChangeHearingDto {
  @ApiProperty({
    enum: HEARING_TYPES,
    description: 'Correct the type (e.g. a hearing the court feed listed as "other"); its deadlines are re-planned',
  })
  @IsIn(HEARING_TYPES)
  hearingType: HearingType;
}
