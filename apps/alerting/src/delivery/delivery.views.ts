import { ApiProperty } from '@nestjs/swagger';
import { AlertEventTypes } from '@plo/contracts';

const EVENT_TYPES = Object.values(AlertEventTypes);

class WebhookSubscriptionFields {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uri', example: 'https://example.org/plo-alerts' }) url: string;
  @ApiProperty() councilId: string;
  @ApiProperty({ nullable: true, type: String, description: "Only this team's alerts; null for the whole council" }) teamId: string | null;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true, nullable: true, description: 'Only these events; null for every alert event' })
  eventTypes: string[] | null;
}

export class NewWebhookSubscription extends WebhookSubscriptionFields {
  @ApiProperty({ description: 'The HMAC-SHA256 key of the signatures; it is never shown again' }) secret: string;
}

export class WebhookSubscription extends WebhookSubscriptionFields {
  @ApiProperty() createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class Delivery {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel: string;
  @ApiProperty({ enum: ['alert-event', 'alert-email', 'digest'] }) purpose: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for a digest' }) alertId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The webhook subscription, for a webhook delivery' })
  subscriptionId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The person e-mailed, for an e-mail' }) recipientId: string | null;
  @ApiProperty({ enum: ['pending', 'sent', 'failed'], description: '`failed`: it gave up after its last attempt' }) status: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt: string;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) sentAt: string | null;
}

export class DeliveryAttempt {
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt: number;
  @ApiProperty({ format: 'date-time' }) attemptedAt: string;
  @ApiProperty() succeeded: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's HTTP status, if it answered" }) responseStatus:
    number | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ type: 'integer' }) durationMs: number;
}
