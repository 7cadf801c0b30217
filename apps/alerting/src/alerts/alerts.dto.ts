import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ALERT_SEVERITIES } from '@plo/contracts';

export const ALERT_STATE_FILTERS = ['active', 'open', 'acknowledged', 'resolved'] as const;

export class ListAlertsQuery {
  @ApiPropertyOptional({ maxLength: 64, example: 'north-1', description: "Only this team's alerts; without it, every alert you may see" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  teamId?: string;
  @ApiPropertyOptional({ maxLength: 200, example: 'sw.alex', description: "Only alerts on this worker's cases" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  workerId?: string;
  @ApiPropertyOptional({ maxLength: 64, example: 'proceedings-completion', description: 'Only alerts on obligations of this kind' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  kind?: string;
  @ApiPropertyOptional({
    maxLength: 64,
    example: 'drift',
    description: '`drift`, `projected-drift` or a warning level such as `warning-6-weeks`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  level?: string;
  @ApiPropertyOptional({ enum: ALERT_SEVERITIES }) @IsOptional() @IsIn(ALERT_SEVERITIES) severity?: (typeof ALERT_SEVERITIES)[number];
  @ApiPropertyOptional({ enum: ALERT_STATE_FILTERS, default: 'active', description: '`active` is open or acknowledged' })
  @IsOptional()
  @IsIn(ALERT_STATE_FILTERS)
  state?: (typeof ALERT_STATE_FILTERS)[number];
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'true: only alerts that have gone up the escalation ladder (to a team or service manager); false: only those that have not',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  escalated?: 'true' | 'false';
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 24 * 366, description: 'Only alerts raised at least this many hours ago' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(24 * 366)
  minAgeHours?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]+$', description: '`nextCursor` from the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+$/)
  cursor?: string;
}

export class DashboardQuery {
  @ApiPropertyOptional({ maxLength: 64, example: 'north-1', description: "Only this team's alerts; without it, every alert you may see" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  teamId?: string;
}

export class TeamSummaryQuery {
  @ApiPropertyOptional({ maxLength: 64, example: 'north-1', description: 'Only this team; without it, each of your teams' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  teamId?: string;
}

export class AcknowledgeAlertDto {
  @ApiPropertyOptional({ maxLength: 2000, example: 'Visit booked for Thursday' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ResolveAlertDto {
  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'Extension granted by the court' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason: string;
}
