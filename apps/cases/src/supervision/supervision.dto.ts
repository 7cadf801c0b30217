import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { IsLegalDate } from '@plo/contracts';

/**
 * Owner, due date and measurable outcome may be missing here so that the SMART checks plans use
 * answer for them: a supervision action that is not SMART is refused with 422 naming what it lacks.
 */
export class SupervisionActionDto {
  @ApiProperty({ example: 'Book the family group conference' }) @IsString() @IsNotEmpty() @MaxLength(1000) description: string;
  @ApiProperty({ example: 'sw.alex', description: 'Who is responsible' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  ownerId?: string;
  @ApiProperty({ example: '2026-12-18' }) @IsOptional() @IsLegalDate() dueDate?: string;
  @ApiProperty({ example: 'Conference held; plan agreed with the wider family' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  measurableOutcome?: string;
}

export class RecordSupervisionDto {
  @ApiProperty({ example: '2026-11-20', description: 'When it was held; the future is refused' }) @IsLegalDate() heldOn: string;
  @ApiProperty({ example: 'tm.sam', description: 'The manager who supervised' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  supervisorId: string;
  @ApiPropertyOptional({ example: 'sw.alex', description: "The worker supervised; default: the case's allocated worker" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  workerId?: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'The children discussed, all on this case' })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  childIds: string[];
  @ApiProperty({ type: [String], example: ['Step down to CIN not agreed: risk from the father unchanged'] })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(2000, { each: true })
  decisions: string[];
  @ApiProperty({ type: [SupervisionActionDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => SupervisionActionDto)
  actions: SupervisionActionDto[];
}

export class SupervisionActionDoneDto {
  @ApiProperty({ example: '2026-12-10', description: 'When it was done; the future is refused' }) @IsLegalDate() doneOn: string;
}
