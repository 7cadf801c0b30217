import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsLegalDate, LEGAL_STATUSES, LegalStatus } from '@plo/contracts';

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const SEXES = ['female', 'male', 'unknown', 'indeterminate'] as const;

export class NewChildDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) firstName: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) lastName: string;
  @ApiPropertyOptional({ example: '2019-04-01' }) @IsOptional() @IsLegalDate() dateOfBirth?: string;
  @ApiPropertyOptional({ description: 'For an unborn child' }) @IsOptional() @IsLegalDate() expectedDateOfBirth?: string;
  @ApiProperty({ enum: SEXES }) @IsIn(SEXES) sex: (typeof SEXES)[number];
}

export class OpenCaseDto {
  @ApiProperty({ example: 'bury' }) @Matches(IDENTIFIER) @MaxLength(64) councilId: string;
  @ApiProperty({ example: 'BC-2026-0042' }) @Matches(IDENTIFIER) @MaxLength(64) caseReference: string;
  @ApiProperty({ example: 'north-1' }) @Matches(IDENTIFIER) @MaxLength(64) teamId: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) allocatedWorkerId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) teamManagerId?: string;
  @ApiProperty({ enum: LEGAL_STATUSES }) @IsIn(LEGAL_STATUSES) legalStatus: LegalStatus;
  @ApiProperty({ example: '2026-11-02', description: 'May be in the past: backfilled cases are normal' }) @IsLegalDate() openedOn: string;
  @ApiProperty({ type: [NewChildDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => NewChildDto)
  children: NewChildDto[];
}

export const VISIT_PURPOSES = [
  'statutory-visit',
  'child-protection-plan-review',
  'care-plan-progress',
  'assessment',
  'placement-stability',
  'direct-work',
  'other',
] as const;

export class RecordVisitDto {
  @ApiProperty({ example: '2026-11-20' }) @IsLegalDate() visitedOn: string;
  @ApiProperty({ example: 'statutory' }) @Matches(IDENTIFIER) @MaxLength(64) visitType: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) visitorId: string;
  @ApiProperty() @IsBoolean() childSeen: boolean;
  @ApiProperty() @IsBoolean() seenAlone: boolean;
  @ApiProperty() @IsBoolean() bedroomSeen: boolean;
  @ApiProperty({ enum: VISIT_PURPOSES, description: 'Required: the peer review found visit purposes unclear' })
  @IsIn(VISIT_PURPOSES)
  purpose: (typeof VISIT_PURPOSES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) purposeDetail?: string;
}

export class CloseCaseDto {
  @ApiProperty() @IsLegalDate() closedOn: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
