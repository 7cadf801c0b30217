import { ApiProperty } from '@nestjs/swagger';
import { HEARING_LISTING_STATUSES, HEARING_STATUSES, HEARING_TYPES } from '@plo/contracts';

/** A hearing as every hearing route (and the court feed) answers it: `hearingView` builds it. */
export class HearingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: HEARING_TYPES }) hearingType: string;
  @ApiProperty({ format: 'date-time', example: '2026-11-16T10:00:00.000Z' }) startsAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) endsAt: string | null;
  @ApiProperty({ format: 'date', example: '2026-11-16', description: 'The London day the hearing starts on' }) hearingDate: string;
  @ApiProperty({ nullable: true, type: String }) venue: string | null;
  @ApiProperty({ nullable: true, type: String }) judge: string | null;
  @ApiProperty({ enum: HEARING_LISTING_STATUSES }) listingStatus: string;
  @ApiProperty({ enum: HEARING_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'What the court decided, once adjourned or held' }) outcome: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The court's hearing id (HMC hearingID)" }) courtHearingId: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Set once the draft order after a held hearing is uploaded' })
  draftOrderUploadedOn: string | null;
  @ApiProperty({
    format: 'date',
    nullable: true,
    type: String,
    description: 'The London day the hearing was last moved from, if it was moved while listed (kept from this release on)',
  })
  movedFrom: string | null;
}
