import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsLegalDate, LEGAL_STATUSES, LegalStatus, LOOKED_AFTER_BASES, LookedAfterBasis } from '@plo/contracts';
import { IDENTIFIER } from '../case/http';

export const SEXES = ['female', 'male', 'unknown', 'indeterminate'] as const;

export class ChildIdentifierDto {
  @ApiProperty({ example: 'nhs-number', description: 'Which scheme the value belongs to (NHS number, UPN, local id…)' })
  @Matches(IDENTIFIER)
  @MaxLength(40)
  scheme: string;
  @ApiProperty({ example: '9990001234' }) @IsString() @IsNotEmpty() @MaxLength(100) value: string;
}

export class NewChildDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) firstName: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) lastName: string;
  @ApiPropertyOptional({ example: '2019-04-01', description: 'Give this or expectedDateOfBirth, not both' })
  @IsOptional()
  @IsLegalDate()
  dateOfBirth?: string;
  @ApiPropertyOptional({ description: 'For an unborn child' }) @IsOptional() @IsLegalDate() expectedDateOfBirth?: string;
  @ApiProperty({ enum: SEXES }) @IsIn(SEXES) sex: (typeof SEXES)[number];
  @ApiPropertyOptional({ type: [ChildIdentifierDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ChildIdentifierDto)
  identifiers?: ChildIdentifierDto[];
  @ApiPropertyOptional({
    example: 'P0012345',
    description:
      "The council's own person id for the child (e.g. the SSD person_id): how a child on two cases of the council is recognised as one, so repeat referrals count per child across cases",
  })
  @IsOptional()
  @Matches(IDENTIFIER)
  @MaxLength(64)
  personId?: string;
}

export class OpenCaseDto {
  @ApiProperty({ example: 'bury' }) @Matches(IDENTIFIER) @MaxLength(64) councilId: string;
  @ApiProperty({ example: 'BC-2026-0042' }) @Matches(IDENTIFIER) @MaxLength(64) caseReference: string;
  @ApiProperty({ example: 'north-1' }) @Matches(IDENTIFIER) @MaxLength(64) teamId: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) allocatedWorkerId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) teamManagerId?: string;
  @ApiPropertyOptional({ description: "The council's lawyer for the case" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  legalLeadId?: string;
  @ApiProperty({
    enum: LEGAL_STATUSES,
    description: "Every child's first status. 'plo' is refused (422): pre-proceedings and proceedings are started in the PLO service",
  })
  @IsIn(LEGAL_STATUSES)
  legalStatus: LegalStatus;
  @ApiPropertyOptional({
    enum: LOOKED_AFTER_BASES,
    description: 'For looked-after only: why the children are looked after (s.20, interim care order, care order, placement order)',
  })
  @IsOptional()
  @IsIn(LOOKED_AFTER_BASES)
  basis?: LookedAfterBasis;
  @ApiProperty({ example: '2026-11-02', description: 'May be in the past: backfilled cases are normal' }) @IsLegalDate() openedOn: string;
  @ApiProperty({ type: [NewChildDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => NewChildDto)
  children: NewChildDto[];
}

export class UpdateCaseDetailsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) teamManagerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) legalLeadId?: string;
}

export class AllocateCaseDto {
  @ApiProperty({ example: 'north-1' }) @Matches(IDENTIFIER) @MaxLength(64) teamId: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) allocatedWorkerId: string;
  @ApiPropertyOptional({ description: 'Defaults to the current team manager' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  teamManagerId?: string;
  @ApiProperty({ example: '2026-11-20', description: 'May be in the past; not before the current allocation began' })
  @IsLegalDate()
  allocatedOn: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) reason?: string;
}

export class PlacementDto {
  @ApiProperty({ example: '2026-11-20' }) @IsLegalDate() startedOn: string;
  @ApiProperty({ description: 'Intended to last until the child is 18 (reg 28(2)(c)(i): 3-monthly visits after the first year)' })
  @IsBoolean()
  intendedToLastUntil18: boolean;
  @ApiPropertyOptional({ description: 'The child placed, for a case with siblings' }) @IsOptional() @IsUUID() childId?: string;
}

export class ChangeLegalStatusDto {
  @ApiProperty({
    enum: LEGAL_STATUSES,
    description: "Applied to every child. 'plo' is refused (422): pre-proceedings and proceedings are started in the PLO service",
  })
  @IsIn(LEGAL_STATUSES)
  legalStatus: LegalStatus;
  @ApiPropertyOptional({
    enum: LOOKED_AFTER_BASES,
    description: 'For looked-after only: why the children are looked after (s.20, interim care order, care order, placement order)',
  })
  @IsOptional()
  @IsIn(LOOKED_AFTER_BASES)
  basis?: LookedAfterBasis;

  @ApiProperty({
    example: '2026-11-20',
    description: 'The day the new status began (may be in the past); the previous status ends that day',
  })
  @IsLegalDate()
  startDate: string;
  @ApiPropertyOptional({
    type: PlacementDto,
    description: 'For a child becoming looked after: the placement, from which visits are counted',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlacementDto)
  placement?: PlacementDto;
}

export class CloseCaseDto {
  @ApiProperty() @IsLegalDate() closedOn: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export const CASE_STATES = ['open', 'closed', 'all'] as const;

export class ListCasesQuery {
  @ApiProperty({ description: 'The council (tenant) whose cases to list' }) @Matches(IDENTIFIER) @MaxLength(64) councilId: string;
  @ApiPropertyOptional() @IsOptional() @Matches(IDENTIFIER) @MaxLength(64) teamId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) workerId?: string;
  @ApiPropertyOptional({ enum: LEGAL_STATUSES }) @IsOptional() @IsIn(LEGAL_STATUSES) legalStatus?: LegalStatus;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only cases with something overdue today' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
  @ApiPropertyOptional({ enum: CASE_STATES, default: 'open' }) @IsOptional() @IsIn(CASE_STATES) state?: (typeof CASE_STATES)[number];
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 25, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) pageSize?: number;
}
