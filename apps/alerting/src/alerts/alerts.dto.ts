import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ALERT_SEVERITIES } from '@plo/contracts';

export const ALERT_STATE_FILTERS = ['active', 'open', 'acknowledged', 'resolved'] as const;

export class ListAlertsQuery {
  /** Narrows to one team; without it, every alert the caller may see. */
  @IsOptional() @IsString() @MaxLength(64) teamId?: string;
  @IsOptional() @IsString() @MaxLength(200) workerId?: string;
  @IsOptional() @IsString() @MaxLength(64) kind?: string;
  @IsOptional() @IsString() @MaxLength(64) level?: string;
  @IsOptional() @IsIn(ALERT_SEVERITIES) severity?: (typeof ALERT_SEVERITIES)[number];
  /** `active` (open or acknowledged, the default), or one state. */
  @IsOptional() @IsIn(ALERT_STATE_FILTERS) state?: (typeof ALERT_STATE_FILTERS)[number];
  /** Only alerts raised at least this many hours ago. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(24 * 366) minAgeHours?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  /** `nextCursor` from the previous page. */
  @IsOptional() @Matches(/^[A-Za-z0-9_-]+$/) cursor?: string;
}

export class DashboardQuery {
  @IsOptional() @IsString() @MaxLength(64) teamId?: string;
}

export class AcknowledgeAlertDto {
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ResolveAlertDto {
  @IsString() @IsNotEmpty() @MaxLength(2000) reason: string;
}
