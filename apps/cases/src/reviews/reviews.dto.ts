import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsLegalDate, REVIEW_KINDS, ReviewKind } from '@plo/contracts';
import { ALL_REVIEW_OUTCOMES, REVIEW_ANCHORS } from '../domain/review-rules';

const ANCHOR_HELP = Object.entries(REVIEW_ANCHORS)
  .map(([kind, anchor]) => `${kind}: ${anchor}`)
  .join('; ');

export class ScheduleReviewDto {
  @ApiProperty({ enum: REVIEW_KINDS }) @IsIn(REVIEW_KINDS) kind: ReviewKind;
  @ApiProperty({ example: '2026-11-02', description: `The date the due date counts from. ${ANCHOR_HELP}` })
  @IsLegalDate()
  anchorDate: string;
  @ApiPropertyOptional({
    description:
      'Position in its series (1 = first review conference / first looked-after review). Defaults to one more than the reviews of this kind already held; set it when backfilling a case from another system.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(999)
  sequence?: number;
  @ApiPropertyOptional({
    format: 'uuid',
    description: "The child whose series it is; may be left out when the case has one child. A sibling's series is the sibling's own.",
  })
  @IsOptional()
  @IsUUID()
  childId?: string;
}

export class HoldReviewDto {
  @ApiProperty({ example: '2026-11-20', description: 'The actual date (late entry is fine; the future is refused)' })
  @IsLegalDate()
  heldOn: string;
  @ApiProperty({
    enum: ALL_REVIEW_OUTCOMES,
    description:
      'icpc: plan | no-plan; cp-review: plan-continues | plan-ended; lac-review: care-plan-endorsed | care-plan-changed | ceased-looked-after; cin-review: plan-continues | plan-ended | stepped-up; core-group: plan-continues | plan-ended',
  })
  @IsIn(ALL_REVIEW_OUTCOMES)
  outcome: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) outcomeNotes?: string;
}

export class RescheduleReviewDto {
  @ApiProperty({ example: '2026-12-01', description: 'The new planned date; the due date set by rule does not move' })
  @IsLegalDate()
  plannedOn: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class CancelReviewDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
