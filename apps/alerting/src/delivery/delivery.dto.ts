import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { AlertEventTypes } from '@plo/contracts';

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
