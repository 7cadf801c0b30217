import { SomeChildIds } from '../case/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ASSESSMENT_OUTCOMES, AssessmentOutcome, IsLegalDate } from '@plo/contracts';

export class StartAssessmentDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The referral on this case the assessment starts from; its receipt starts the 45 working days',
  })
  @IsUUID()
  referralId: string;
  @SomeChildIds('The children assessed, each getting an assessment of their own; default: every child the referral is about')
  childIds?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'One child: the same as childIds with one id; give one or the other' })
  @IsOptional()
  @IsUUID()
  childId?: string;
  @ApiProperty({ example: '2026-11-03' }) @IsLegalDate() startedOn: string;
}

export class CompleteAssessmentDto {
  @ApiProperty({ example: '2026-12-18' }) @IsLegalDate() completedOn: string;
  @ApiProperty({ enum: ASSESSMENT_OUTCOMES }) @IsIn(ASSESSMENT_OUTCOMES) outcome: AssessmentOutcome;
}

export class CancelAssessmentDto {
  @ApiProperty({ example: '2026-11-20' }) @IsLegalDate() cancelledOn: string;
  @ApiProperty({ maxLength: 500, example: 'family moved out of the area' }) @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
