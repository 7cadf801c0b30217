import { randomBytes, randomUUID } from 'node:crypto';
import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { UnitOfWork } from '@plo/messaging';
import { Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { CreateWebhookSubscriptionDto, ListDeliveriesQuery } from './delivery.dto';
import { DeliveryStore } from './delivery.store';
import { Delivery, DeliveryAttempt, NewWebhookSubscription, WebhookSubscription } from './delivery.views';
import { WebhookTargetPolicy, WebhookTargetRefused } from './webhook-target';

/** Webhook subscriptions and the delivery log, each within the administrator's own council. */
@ApiTags('alert delivery')
@ApiBearerAuth()
@Roles('administrator')
@Controller()
export class DeliveryController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: DeliveryStore,
    private readonly targets: WebhookTargetPolicy,
  ) {}

  @Post('webhook-subscriptions')
  @ApiOperation({
    summary: "Subscribe an https URL to the council's alert events (signed with HMAC-SHA256); the secret is shown only in this response",
  })
  @ApiCreatedResponse({ type: NewWebhookSubscription })
  async subscribe(@Body() body: CreateWebhookSubscriptionDto, @CurrentPrincipal() principal: Principal): Promise<NewWebhookSubscription> {
    if (body.councilId !== undefined && body.councilId !== principal.councilId) {
      throw new ForbiddenException('a subscription can only receive your own council’s alerts');
    }
    try {
      await this.targets.addressesFor(body.url);
    } catch (error) {
      if (!(error instanceof WebhookTargetRefused)) throw error;
      throw new BadRequestException({
        statusCode: 400,
        message: 'validation failed',
        fields: [{ field: 'url', messages: [error.message] }],
      });
    }
    const id = randomUUID();
    const secret = body.secret ?? randomBytes(32).toString('base64url');
    await this.unitOfWork.transaction((tx) =>
      this.store.subscribe(tx, {
        id,
        url: body.url,
        secret,
        councilId: principal.councilId,
        teamId: body.teamId ?? null,
        eventTypes: body.eventTypes ?? null,
        createdBy: principal.subject,
      }),
    );
    return { id, url: body.url, secret, councilId: principal.councilId, teamId: body.teamId ?? null, eventTypes: body.eventTypes ?? null };
  }

  @Get('webhook-subscriptions')
  @ApiOperation({ summary: "The council's current webhook subscriptions, oldest first (their secrets are never shown again)" })
  @ApiOkResponse({ type: [WebhookSubscription] })
  listSubscriptions(@CurrentPrincipal() principal: Principal) {
    return this.unitOfWork.transaction((tx) => this.store.subscriptions(tx, principal.councilId));
  }

  @Delete('webhook-subscriptions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: "End one of the council's webhook subscriptions: nothing more is sent to it" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Ended' })
  async unsubscribe(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    const ended = await this.unitOfWork.transaction((tx) => this.store.unsubscribe(tx, id, principal.councilId));
    if (!ended) throw new NotFoundException(`webhook subscription ${id} does not exist`);
  }

  @Get('deliveries')
  @Audited('consultation', 'alert-delivery')
  @ApiOperation({ summary: 'Deliveries, newest first; status=failed lists those that gave up' })
  @ApiOkResponse({ type: [Delivery] })
  listDeliveries(@Query() query: ListDeliveriesQuery, @CurrentPrincipal() principal: Principal) {
    return this.unitOfWork.transaction((tx) =>
      this.store.deliveries(tx, principal.councilId, {
        status: query.status ?? null,
        channel: query.channel ?? null,
        alertId: query.alertId ?? null,
        limit: query.limit ?? 100,
      }),
    );
  }

  @Get('deliveries/:id/attempts')
  @Audited('consultation', 'alert-delivery', 'id')
  @ApiOperation({ summary: "Every attempt to send one of the council's deliveries, oldest first, with what the receiver answered" })
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1 }, description: "The delivery's `id`" })
  @ApiOkResponse({ type: [DeliveryAttempt] })
  async attempts(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.unitOfWork.transaction(async (tx) => {
      const known = /^\d{1,18}$/.test(id) && (await this.store.isCouncilDelivery(tx, id, principal.councilId));
      if (!known) throw new NotFoundException(`delivery ${id} does not exist`);
      return this.store.attempts(tx, id);
    });
  }
}
