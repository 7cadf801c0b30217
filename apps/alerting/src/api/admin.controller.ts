import { randomBytes, randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, Headers, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { returningRows } from '@plo/platform';
import { CreateWebhookSubscriptionDto, ListDeliveriesQuery, PersonDto, TeamDirectoryDto } from './alerts.dto';
import { requireUser } from './alerts.controller';

const TEAM_ID = /^[A-Za-z0-9._-]{1,64}$/;

@ApiTags('alerting administration')
@Controller('admin')
export class DirectoryController {
  constructor(private readonly dataSource: DataSource) {}

  @Put('teams/:teamId')
  @ApiOperation({ summary: "Set a team's service manager (the last step of the escalation ladder)" })
  async setTeam(@Param('teamId') teamId: string, @Body() body: TeamDirectoryDto) {
    if (!TEAM_ID.test(teamId)) throw new NotFoundException(`team ${teamId} is not a valid team id`);
    await this.dataSource.query(
      `INSERT INTO team_directory (team_id, service_manager_id) VALUES ($1, $2)
       ON CONFLICT (team_id) DO UPDATE SET service_manager_id = EXCLUDED.service_manager_id, updated_at = now()`,
      [teamId, body.serviceManagerId],
    );
    return { teamId, serviceManagerId: body.serviceManagerId };
  }

  @Get('teams')
  listTeams() {
    return this.dataSource.query(`SELECT team_id AS "teamId", service_manager_id AS "serviceManagerId" FROM team_directory ORDER BY team_id`);
  }

  @Put('people/:personId')
  @ApiOperation({ summary: "Set a person's e-mail address for alert e-mails and digests" })
  async setPerson(@Param('personId') personId: string, @Body() body: PersonDto) {
    await this.dataSource.query(
      `INSERT INTO people (person_id, email, display_name) VALUES ($1, $2, $3)
       ON CONFLICT (person_id) DO UPDATE SET email = EXCLUDED.email, display_name = EXCLUDED.display_name`,
      [personId, body.email, body.displayName ?? null],
    );
    return { personId, email: body.email, displayName: body.displayName ?? null };
  }
}

@ApiTags('alert delivery')
@Controller()
export class DeliveryController {
  constructor(private readonly dataSource: DataSource) {}

  @Post('webhook-subscriptions')
  @ApiOperation({ summary: 'Subscribe a URL to alert events (signed with HMAC-SHA256); the secret is shown only in this response' })
  async subscribe(@Body() body: CreateWebhookSubscriptionDto, @Headers('x-user-id') userId?: string) {
    const id = randomUUID();
    const secret = body.secret ?? randomBytes(32).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO webhook_subscriptions (id, url, secret, council_id, team_id, event_types, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, body.url, secret, body.councilId ?? null, body.teamId ?? null, body.eventTypes ?? null, requireUser(userId)],
    );
    return { id, url: body.url, secret, councilId: body.councilId ?? null, teamId: body.teamId ?? null, eventTypes: body.eventTypes ?? null };
  }

  @Get('webhook-subscriptions')
  listSubscriptions() {
    return this.dataSource.query(
      `SELECT id, url, council_id AS "councilId", team_id AS "teamId", event_types AS "eventTypes", created_by AS "createdBy", created_at AS "createdAt"
         FROM webhook_subscriptions WHERE deleted_at IS NULL ORDER BY created_at`,
    );
  }

  @Delete('webhook-subscriptions/:id')
  @HttpCode(204)
  async unsubscribe(@Param('id', new ParseUUIDPipe()) id: string) {
    const rows = await returningRows(this.dataSource, `UPDATE webhook_subscriptions SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id`, [id]);
    if (!rows.length) throw new NotFoundException(`webhook subscription ${id} does not exist`);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'Deliveries, newest first; status=failed lists those that gave up' })
  listDeliveries(@Query() query: ListDeliveriesQuery) {
    return this.dataSource.query(
      `SELECT id::int, channel, purpose, alert_id AS "alertId", subscription_id AS "subscriptionId", recipient_id AS "recipientId", status,
              attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError", created_at AS "createdAt", sent_at AS "sentAt"
         FROM deliveries
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR channel = $2) AND ($3::uuid IS NULL OR alert_id = $3)
        ORDER BY id DESC LIMIT $4`,
      [query.status ?? null, query.channel ?? null, query.alertId ?? null, query.limit ?? 100],
    );
  }

  @Get('deliveries/:id/attempts')
  async attempts(@Param('id') id: string) {
    const [delivery] = /^\d{1,18}$/.test(id) ? await this.dataSource.query('SELECT id FROM deliveries WHERE id = $1', [id]) : [];
    if (!delivery) throw new NotFoundException(`delivery ${id} does not exist`);
    return this.dataSource.query(
      `SELECT attempt, attempted_at AS "attemptedAt", succeeded, response_status AS "responseStatus", error, duration_ms AS "durationMs"
         FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`,
      [id],
    );
  }
}
