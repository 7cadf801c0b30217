import { SomeChildIds } from '../case/http';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  IsLegalDate,
  SECTION_47_OUTCOMES,
  Section47Outcome,
  STRATEGY_AGENCIES,
  STRATEGY_DECISIONS,
  StrategyAgency,
  StrategyDecision,
} from '@plo/contracts';

export class ParticipantDto {
  @ApiProperty({ enum: STRATEGY_AGENCIES }) @IsIn(STRATEGY_AGENCIES) agency: StrategyAgency;
  @ApiPropertyOptional({ example: 'DC Sam Patel' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ example: 'Child abuse investigation unit' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) role?: string;
}

export class RecordStrategyDiscussionDto {
  @ApiProperty({ example: '2026-11-20', description: 'The day it was held (late entry is fine; the future is refused)' })
  @IsLegalDate()
  heldOn: string;
  @SomeChildIds('The children it was about, all on this case; default: every child of the case')
  childIds?: string[];
  @ApiProperty({
    type: [ParticipantDto],
    description:
      'Who took part; Working Together 2023 expects the council, the police and health, and a discussion without one of them is refused',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants: ParticipantDto[];
  @ApiProperty({ enum: STRATEGY_DECISIONS, description: "section-47 starts the wait for each child's ICPC (15 WD from this discussion)" })
  @IsIn(STRATEGY_DECISIONS)
  decision: StrategyDecision;
}

export class StartSection47Dto {
  @ApiProperty({ format: 'uuid', description: 'The strategy discussion that decided it (its decision must be section-47)' })
  @IsUUID()
  strategyDiscussionId: string;
  @ApiProperty({ example: '2026-11-20', description: 'Not before the strategy discussion; the future is refused' })
  @IsLegalDate()
  startedOn: string;
  @SomeChildIds('The children whose enquiry starts, all discussed at that strategy discussion; default: every child it was about')
  childIds?: string[];
}

export class ConcludeSection47Dto {
  @ApiProperty({ example: '2026-11-27', description: 'Not before the enquiry started; the future is refused' })
  @IsLegalDate()
  concludedOn: string;
  @ApiProperty({
    enum: SECTION_47_OUTCOMES,
    description: "icpc: the child's ICPC stays due; cin-plan or no-further-action: the waiting ICPC is cancelled",
  })
  @IsIn(SECTION_47_OUTCOMES)
  outcome: Section47Outcome;
}
