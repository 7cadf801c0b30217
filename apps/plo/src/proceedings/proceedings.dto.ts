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
import {
  CHILD_ORDERS,
  ChildOrder,
  EXTENSION_REASONS,
  ExtensionReason,
  IsLegalDate,
  PROCEEDINGS_STAGES,
  ProceedingsStage,
} from '@plo/contracts';

/** Orders that end a child's proceedings; the interim ones last at most until then. */
export const FINAL_ORDERS = ['care-order', 'supervision-order', 'placement-order'] as const satisfies readonly ChildOrder[];
export const INTERIM_ORDERS = ['interim-care-order', 'interim-supervision-order'] as const satisfies readonly ChildOrder[];

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

export class JoinProceedingsDto {
  @ApiProperty({ description: 'A child of the case (as the cases service announced it) not yet in these proceedings' })
  @IsUUID()
  childId: string;
  @ApiProperty({
    example: '2025-03-03',
    description: "The child's own issue date: day 1 of their 26 weeks (not before the proceedings', not in the future)",
  })
  @IsLegalDate()
  issuedOn: string;
}

export class ConcludeChildProceedingsDto {
  @ApiProperty({ enum: ['final-order', 'withdrawn'] }) @IsIn(['final-order', 'withdrawn']) outcome: 'final-order' | 'withdrawn';
  @ApiProperty({ example: '2025-06-20', description: "The day the child's proceedings ended (not in the future)" })
  @IsLegalDate()
  concludedOn: string;
  @ApiPropertyOptional({
    enum: FINAL_ORDERS,
    description: 'The final order made, recorded among the child’s orders; only with outcome final-order',
  })
  @IsOptional()
  @IsIn(FINAL_ORDERS)
  finalOrder?: (typeof FINAL_ORDERS)[number];
}

export class MakeOrderDto {
  @ApiProperty({ description: 'A child in these proceedings' }) @IsUUID() childId: string;
  @ApiProperty({ enum: CHILD_ORDERS }) @IsIn(CHILD_ORDERS) order: ChildOrder;
  @ApiProperty({ example: '2025-01-07', description: 'Not before the child’s issue date, not in the future' })
  @IsLegalDate()
  madeOn: string;
  @ApiPropertyOptional({ example: '2025-02-04', description: 'When the order ends, if the court set a date' })
  @IsOptional()
  @IsLegalDate()
  endsOn?: string;
  @ApiPropertyOptional({ description: 'The hearing at which it was made' }) @IsOptional() @IsUUID() hearingId?: string;
}
