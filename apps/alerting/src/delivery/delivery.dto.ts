import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { AlertEventTypes } from '@plo/contracts';

export class CreateWebhookSubscriptionDto {
  @ApiProperty({
    format: 'uri',
    maxLength: 2000,
    example: 'https://example.org/plo-alerts',
    description: 'https only, to a public address (http and private addresses only where WEBHOOK_ALLOW_PRIVATE_TARGETS allows them)',
  })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url: string;
  @ApiPropertyOptional({
    format: 'password',
    minLength: 16,
    maxLength: 200,
    description: 'The HMAC-SHA256 key of the signatures; generated (and returned once) when omitted',
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;
  @ApiPropertyOptional({ maxLength: 64, description: "Always the caller's council; another council is refused (403)" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  councilId?: string;
  @ApiPropertyOptional({ maxLength: 64, example: 'north-1', description: "Only this team's alerts; without it, the whole council's" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  teamId?: string;
  @ApiPropertyOptional({ enum: Object.values(AlertEventTypes), isArray: true, maxItems: 10, description: 'Without it, every alert event' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(Object.values(AlertEventTypes), { each: true })
  eventTypes?: string[];
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'sent', 'failed'])
  status?: 'pending' | 'sent' | 'failed';
  @ApiPropertyOptional({ enum: ['webhook', 'email'] }) @IsOptional() @IsIn(['webhook', 'email']) channel?: 'webhook' | 'email';
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the deliveries of this alert' })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i)
  alertId?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
