import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ALERT_SEVERITIES, AlertEventTypes } from '@plo/contracts';

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

export class TeamDirectoryDto {
  @IsString() @IsNotEmpty() @MaxLength(200) serviceManagerId: string;
}

export class PersonDto {
  @IsEmail() email: string;
  @IsOptional() @IsString() @MaxLength(200) displayName?: string;
}

export class CreateWebhookSubscriptionDto {
  /** https only, to a public address (http and private addresses only with WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }) @MaxLength(2000) url: string;
  /** Shared secret for the HMAC signature; generated (and returned once) when omitted. */
  @IsOptional() @IsString() @MinLength(16) @MaxLength(200) secret?: string;
  /** Always the caller's council; another council is refused (403). */
  @IsOptional() @IsString() @MaxLength(64) councilId?: string;
  @IsOptional() @IsString() @MaxLength(64) teamId?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(10) @IsIn(Object.values(AlertEventTypes), { each: true }) eventTypes?: string[];
}

export class ListDeliveriesQuery {
  @IsOptional() @IsIn(['pending', 'sent', 'failed']) status?: 'pending' | 'sent' | 'failed';
  @IsOptional() @IsIn(['webhook', 'email']) channel?: 'webhook' | 'email';
  @IsOptional() @Matches(/^[0-9a-f-]{36}$/i) alertId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}
