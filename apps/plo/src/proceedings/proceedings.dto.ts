import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { EXTENSION_REASONS, ExtensionReason, IsLegalDate, PROCEEDINGS_STAGES, ProceedingsStage } from '@plo/contracts';

export class IssueProceedingsDto {
  @ApiProperty() @IsUUID() caseId: string;
  @ApiProperty({ example: 'Manchester Family Court' }) @IsString() @IsNotEmpty() @MaxLength(200) court: string;
  @ApiProperty({ example: 'MA26C00123' }) @Matches(/^[A-Za-z0-9/-]+$/) @MaxLength(64) courtCaseNumber: string;
  @ApiProperty({ example: '2026-11-02', description: 'Day 1 of the 26 weeks' }) @IsLegalDate() issuedOn: string;
  @ApiProperty({ example: '2026-10-30', description: "The council's submission date (HMCTS counts its display date from it)" })
  @IsLegalDate()
  submittedOn: string;
  @ApiProperty({ type: [String], description: 'The children the application concerns; each gets its own clock' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  childIds: string[];
}

export class EnterStageDto {
  @ApiProperty({ enum: PROCEEDINGS_STAGES }) @IsIn(PROCEEDINGS_STAGES) stage: ProceedingsStage;
  @ApiProperty({ example: '2026-11-16', description: 'The day the step happened (e.g. the day the CMH was held)' })
  @IsLegalDate()
  enteredOn: string;
}

export class GrantExtensionDto {
  @ApiProperty({ example: '2025-07-01' }) @IsLegalDate() grantedOn: string;
  @ApiPropertyOptional({ description: 'The hearing at which the court granted it' }) @IsOptional() @IsUUID() hearingId?: string;
  @ApiPropertyOptional({ example: '2025-08-15', description: 'An explicit new end date; give exactly one of newEndDate and extendBy' })
  @IsOptional()
  @IsLegalDate()
  newEndDate?: string;
  @ApiPropertyOptional({
    example: '8 weeks',
    description: 'The longest extension s.32(8) allows; give exactly one of newEndDate and extendBy',
  })
  @IsOptional()
  @Equals('8 weeks', { message: 'extendBy must be "8 weeks"' })
  extendBy?: '8 weeks';
  @ApiProperty({ enum: EXTENSION_REASONS }) @IsIn(EXTENSION_REASONS) reason: ExtensionReason;
}

export class TaskDoneDto {
  @ApiProperty({ example: '2025-01-16', description: 'The day the task was done (not in the future)' }) @IsLegalDate() doneOn: string;
}
