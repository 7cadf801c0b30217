import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsLegalDate, PRE_PROCEEDINGS_DECISIONS, PRE_PROCEEDINGS_OUTCOMES } from '@plo/contracts';

export class StartPreProceedingsDto {
  @ApiProperty() @IsUUID() caseId: string;
  @ApiProperty({ example: '2026-09-01', description: 'Date of the legal gateway / planning meeting' }) @IsLegalDate() decidedOn: string;
  @ApiProperty({ enum: PRE_PROCEEDINGS_DECISIONS }) @IsIn(PRE_PROCEEDINGS_DECISIONS) decision: (typeof PRE_PROCEEDINGS_DECISIONS)[number];
  @ApiPropertyOptional({ description: 'Required when the decision is to issue now (short-notice issue)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  shortNoticeReason?: string;
}

export class LetterSentDto {
  @ApiProperty({ example: '2026-09-03', description: 'Letter Before Proceedings sent; the 16 weeks run from here' })
  @IsLegalDate()
  sentOn: string;
}

export class MeetingHeldDto {
  @ApiProperty({ example: '2026-09-15', description: 'The pre-proceedings meeting, or a later review meeting' })
  @IsLegalDate()
  heldOn: string;
}

export class PreProceedingsOutcomeDto {
  @ApiProperty({ enum: PRE_PROCEEDINGS_OUTCOMES }) @IsIn(PRE_PROCEEDINGS_OUTCOMES) outcome: (typeof PRE_PROCEEDINGS_OUTCOMES)[number];
  @ApiProperty({ example: '2026-12-01' }) @IsLegalDate() decidedOn: string;
  @ApiPropertyOptional({ description: 'Required for a step down' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;
  @ApiPropertyOptional({ description: 'Issue earlier than the plan allowed' }) @IsOptional() @IsBoolean() shortNotice?: boolean;
  @ApiPropertyOptional({ description: 'Required for a short-notice issue' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  shortNoticeReason?: string;
}

export class ExtendPreProceedingsDto {
  @ApiProperty({ example: '2027-02-26', description: 'The new last day of the pre-proceedings period (after the current one)' })
  @IsLegalDate()
  newEndDate: string;
  @ApiProperty({ example: 'The baby is due on 2 February; the parenting assessment needs the first weeks after the birth' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
  @ApiProperty({ example: '2026-12-14', description: 'The day the extension was decided (a review meeting, say); not in the future' })
  @IsLegalDate()
  decidedOn: string;
}
