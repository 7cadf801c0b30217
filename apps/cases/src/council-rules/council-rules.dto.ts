import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { COUNTINGS, Counting, TIME_UNITS, TimeUnit } from '@plo/timescales';
import { IDENTIFIER } from '../case/http';

export class CouncilParams {
  @ApiProperty({ example: 'bury' }) @Matches(IDENTIFIER) @MaxLength(64) councilId: string;
}

export class CouncilRuleParams extends CouncilParams {
  @ApiProperty({ example: 'cp-visit' }) @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/) @MaxLength(64) ruleId: string;
}

export class OverrideRuleDto {
  @ApiPropertyOptional({ example: 20, description: 'Defaults to the national figure' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  offset?: number;
  @ApiPropertyOptional({ enum: TIME_UNITS, example: 'working-days', description: 'Defaults to the national unit' })
  @IsOptional()
  @IsIn(TIME_UNITS)
  unit?: TimeUnit;
  @ApiPropertyOptional({ enum: COUNTINGS, description: 'Defaults to the national counting convention' })
  @IsOptional()
  @IsIn(COUNTINGS)
  counting?: Counting;
  @ApiPropertyOptional({ example: 'Cabinet decision 2026-14: CP visits every 4 weeks', description: 'Why, for the audit trail' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason?: string;
}

export class PreviewRuleChangeDto extends OverrideRuleDto {
  @ApiPropertyOptional({ description: 'Preview returning the rule to its national default (instead of offset, unit and/or counting)' })
  @IsOptional()
  @IsBoolean()
  reset?: boolean;
}

export class ResetRuleDto {
  @ApiPropertyOptional({ description: 'Why, for the audit trail' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) reason?: string;
}
