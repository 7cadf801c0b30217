import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { AcknowledgeAlertDto, DashboardQuery, ListAlertsQuery, ResolveAlertDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

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
  list(@Query() query: ListAlertsQuery, @CurrentPrincipal() principal: Principal) {
    return this.alerts.list(query, principal);
  }

  @Get('dashboard')
  @Audited('consultation', 'alert')
  @ApiOperation({ summary: 'Counts for a dashboard of the alerts the caller may see' })
  dashboard(@Query() query: DashboardQuery, @CurrentPrincipal() principal: Principal) {
    return this.alerts.dashboard(query, principal);
  }

  @Get(':id')
  @Audited('consultation', 'alert', 'id')
  @ApiOperation({ summary: 'One alert; its ETag is the version to send as If-Match' })
  async get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const alert = await this.alerts.get(id, principal);
    response.setHeader('ETag', `"${alert.version}"`);
    return alert;
  }

  @Get(':id/history')
  @Audited('consultation', 'alert', 'id')
  @ApiOperation({ summary: 'Every transition of an alert, oldest first (append-only)' })
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
  resolve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResolveAlertDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.alerts.resolve(id, principal, body.reason, ifMatch);
  }
}
