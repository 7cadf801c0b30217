import { randomBytes, randomUUID } from 'node:crypto';
import { BadRequestException, Body, Controller, Delete, ForbiddenException, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Audited, CurrentPrincipal, Principal, returningRows, Roles } from '@plo/platform';
import { WebhookTargetPolicy, WebhookTargetRefused } from '../delivery/webhook-target';
import { CreateWebhookSubscriptionDto, ListDeliveriesQuery, PersonDto, TeamDirectoryDto } from './alerts.dto';

const TEAM_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The escalation and e-mail directory of the administrator's own council. */
@ApiTags('alerting administration')
@ApiBearerAuth()
@Roles('administrator')
@Controller('admin')
export class DirectoryController {
  constructor(private readonly dataSource: DataSource) {}

  @Put('teams/:teamId')
  @ApiOperation({ summary: "Set a team's service manager (the last step of the escalation ladder); 403 for another council's team" })
  async setTeam(@Param('teamId') teamId: string, @Body() body: TeamDirectoryDto, @CurrentPrincipal() principal: Principal) {
    if (!TEAM_ID.test(teamId)) throw new NotFoundException(`team ${teamId} is not a valid team id`);
    const rows = await returningRows(
      this.dataSource,
      `INSERT INTO team_directory (team_id, service_manager_id, council_id) VALUES ($1, $2, $3)
       ON CONFLICT (team_id) DO UPDATE SET service_manager_id = EXCLUDED.service_manager_id, council_id = EXCLUDED.council_id, updated_at = now()
        WHERE team_directory.council_id IS NULL OR team_directory.council_id = EXCLUDED.council_id
       RETURNING team_id`,
      [teamId, body.serviceManagerId, principal.councilId],
    );
    if (!rows.length) throw new ForbiddenException(`team ${teamId} belongs to another council`);
    return { teamId, serviceManagerId: body.serviceManagerId };
  }

  @Get('teams')
  listTeams(@CurrentPrincipal() principal: Principal) {
    return this.dataSource.query(
      `SELECT team_id AS "teamId", service_manager_id AS "serviceManagerId" FROM team_directory WHERE council_id = $1 ORDER BY team_id`,
      [principal.councilId],
    );
  }

  @Put('people/:personId')
  @ApiOperation({ summary: "Set a person's e-mail address for alert e-mails and digests; 403 for another council's person" })
  async setPerson(@Param('personId') personId: string, @Body() body: PersonDto, @CurrentPrincipal() principal: Principal) {
    const rows = await returningRows(
      this.dataSource,
      `INSERT INTO people (person_id, email, display_name, council_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person_id) DO UPDATE SET email = EXCLUDED.email, display_name = EXCLUDED.display_name, council_id = EXCLUDED.council_id
        WHERE people.council_id IS NULL OR people.council_id = EXCLUDED.council_id
       RETURNING person_id`,
      [personId, body.email, body.displayName ?? null, principal.councilId],
    );
    if (!rows.length) throw new ForbiddenException(`person ${personId} belongs to another council`);
    return { personId, email: body.email, displayName: body.displayName ?? null };
  }
}

/** Webhook subscriptions and the delivery log, each within the administrator's own council. */
@ApiTags('alert delivery')
@ApiBearerAuth()
@Roles('administrator')
@Controller()
export class DeliveryController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly targets: WebhookTargetPolicy,
  ) {}

  @Post('webhook-subscriptions')
  @ApiOperation({
    summary: "Subscribe an https URL to the council's alert events (signed with HMAC-SHA256); the secret is shown only in this response",
  })
  async subscribe(@Body() body: CreateWebhookSubscriptionDto, @CurrentPrincipal() principal: Principal) {
    if (body.councilId !== undefined && body.councilId !== principal.councilId) {
      throw new ForbiddenException('a subscription can only receive your own council’s alerts');
    }
    try {
      await this.targets.addressesFor(body.url);
    } catch (error) {
      if (!(error instanceof WebhookTargetRefused)) throw error;
      throw new BadRequestException({ statusCode: 400, message: 'validation failed', fields: [{ field: 'url', messages: [error.message] }] });
    }
    const id = randomUUID();
    const secret = body.secret ?? randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO webhook_subscriptions (id, url, secret, council_id, team_id, event_types, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, body.url, secret, principal.councilId, body.teamId ?? null, body.eventTypes ?? null, principal.subject],
    );
    return { id, url: body.url, secret, councilId: principal.councilId, teamId: body.teamId ?? null, eventTypes: body.eventTypes ?? null };
  }

  @Get('webhook-subscriptions')
  listSubscriptions(@CurrentPrincipal() principal: Principal) {
    return this.dataSource.query(
      `SELECT id, url, council_id AS "councilId", team_id AS "teamId", event_types AS "eventTypes", created_by AS "createdBy", created_at AS "createdAt"
         FROM webhook_subscriptions WHERE deleted_at IS NULL AND council_id = $1 ORDER BY created_at`,
      [principal.councilId],
    );
  }

  @Delete('webhook-subscriptions/:id')
  @HttpCode(204)
  async unsubscribe(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    const rows = await returningRows(
      this.dataSource,
      `UPDATE webhook_subscriptions SET deleted_at = now() WHERE id = $1 AND council_id = $2 AND deleted_at IS NULL RETURNING id`,
      [id, principal.councilId],
    );
    if (!rows.length) throw new NotFoundException(`webhook subscription ${id} does not exist`);
  }

  @Get('deliveries')
  @Audited('consultation', 'alert-delivery')
  @ApiOperation({ summary: 'Deliveries, newest first; status=failed lists those that gave up' })
  listDeliveries(@Query() query: ListDeliveriesQuery, @CurrentPrincipal() principal: Principal) {
    return this.dataSource.query(
      `SELECT d.id::int, d.channel, d.purpose, d.alert_id AS "alertId", d.subscription_id AS "subscriptionId", d.recipient_id AS "recipientId",
              d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt", d.last_error AS "lastError", d.created_at AS "createdAt", d.sent_at AS "sentAt"
         FROM ${DELIVERIES_WITH_COUNCIL}
        WHERE ${DELIVERY_COUNCIL} = $1
          AND ($2::text IS NULL OR d.status = $2) AND ($3::text IS NULL OR d.channel = $3) AND ($4::uuid IS NULL OR d.alert_id = $4)
        ORDER BY d.id DESC LIMIT $5`,
      [principal.councilId, query.status ?? null, query.channel ?? null, query.alertId ?? null, query.limit ?? 100],
    );
  }

  @Get('deliveries/:id/attempts')
  @Audited('consultation', 'alert-delivery', 'id')
  async attempts(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    const [delivery] = /^\d{1,18}$/.test(id)
      ? await this.dataSource.query(`SELECT d.id FROM ${DELIVERIES_WITH_COUNCIL} WHERE d.id = $1 AND ${DELIVERY_COUNCIL} = $2`, [id, principal.councilId])
      : [];
    if (!delivery) throw new NotFoundException(`delivery ${id} does not exist`);
    return this.dataSource.query(
      `SELECT attempt, attempted_at AS "attemptedAt", succeeded, response_status AS "responseStatus", error, duration_ms AS "durationMs"
         FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
      [id],
    );
  }
}

/** A delivery belongs to the council of its alert, its subscription or (a digest) its recipient. */
const DELIVERIES_WITH_COUNCIL = `deliveries d
  LEFT JOIN alerts a ON a.id = d.alert_id
  LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id
  LEFT JOIN people p ON p.person_id = d.recipient_id`;
const DELIVERY_COUNCIL = 'coalesce(a.council_id, s.council_id, p.council_id)';
