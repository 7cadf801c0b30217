import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { AcknowledgeAlertDto, DashboardQuery, ListAlertsQuery, ResolveAlertDto, TeamSummaryQuery } from './alerts.dto';
import { AlertsService } from './alerts.service';
import { Alert, AlertDashboard, AlertPage, AlertTransition, TeamAlertSummary } from './alerts.views';

/** The shared error body, which conformOpenApi adds to the document's components. */
const PROBLEM = { $ref: '#/components/schemas/Problem' };

/** Optional: without it the transition applies to whatever version is current. */
const IF_MATCH = { name: 'if-match', required: false, description: "The alert's ETag as you read it; if the alert changed since → 412" };

/** Alerts are case data: people who work cases read them, within what their role lets them see. */
@ApiTags('alerts')
@ApiBearerAuth()
@Roles('social-worker', 'team-manager', 'service-manager', 'legal')
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Audited('consultation', 'alert')
  @ApiOperation({ summary: 'Alerts on the cases the caller may see (optionally one team), newest first, filtered and paginated' })
  @ApiOkResponse({ type: AlertPage })
  list(@Query() query: ListAlertsQuery, @CurrentPrincipal() principal: Principal) {
    return this.alerts.list(query, principal);
  }

  @Get('dashboard')
  @Audited('consultation', 'alert')
  @ApiOperation({ summary: 'Counts for a dashboard of the alerts the caller may see' })
  @ApiOkResponse({ type: AlertDashboard })
  dashboard(@Query() query: DashboardQuery, @CurrentPrincipal() principal: Principal) {
    return this.alerts.dashboard(query, principal);
  }

  @Get('teams')
  @Audited('consultation', 'alert')
  @ApiOperation({
    summary: 'Active alerts counted per team (drift, warnings, escalations, the oldest drift) for each of your teams, or one',
  })
  @ApiOkResponse({ type: [TeamAlertSummary], description: 'By team id; a team without active alerts has zeros' })
  teams(@Query() query: TeamSummaryQuery, @CurrentPrincipal() principal: Principal) {
    return this.alerts.teams(query, principal);
  }

  @Get(':id')
  @Audited('consultation', 'alert', 'id')
  @ApiOperation({ summary: 'One alert; its ETag is the version to send as If-Match' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: Alert, headers: { ETag: { description: "The alert's version, quoted", schema: { type: 'string' } } } })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    const alert = await this.alerts.get(id, principal);
    response.header('ETag', `"${alert.version}"`);
    return alert;
  }

  @Get(':id/history')
  @Audited('consultation', 'alert', 'id')
  @ApiOperation({ summary: 'Every transition of an alert, oldest first (append-only)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: [AlertTransition] })
  history(@Param('id', new ParseUUIDPipe()) id: string, @CurrentPrincipal() principal: Principal) {
    return this.alerts.history(id, principal);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('social-worker', 'team-manager', 'service-manager')
  @Audited('alteration', 'alert', 'id')
  @ApiOperation({
    summary: "The alert's current recipient or a manager of its team takes responsibility (stops escalation); 409 if it is not open",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: Alert, description: 'The alert, acknowledged' })
  @ApiConflictResponse({ description: 'The alert is not open; `currentState` says what it is', schema: PROBLEM })
  @ApiResponse({ status: 412, description: "If-Match is not the alert's current version", schema: PROBLEM })
  acknowledge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AcknowledgeAlertDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.alerts.acknowledge(id, principal, body.note, ifMatch);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('team-manager', 'service-manager')
  @Audited('alteration', 'alert', 'id')
  @ApiOperation({ summary: 'A manager of the team resolves an alert with a reason; 409 if it is already resolved' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: Alert, description: 'The alert, resolved' })
  @ApiConflictResponse({ description: 'The alert is already resolved', schema: PROBLEM })
  @ApiResponse({ status: 412, description: "If-Match is not the alert's current version", schema: PROBLEM })
  resolve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResolveAlertDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.alerts.resolve(id, principal, body.reason, ifMatch);
  }
}
