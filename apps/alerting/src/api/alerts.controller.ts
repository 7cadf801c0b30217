import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AcknowledgeAlertDto, DashboardQuery, ListAlertsQuery, ResolveAlertDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

/** Until authentication exists (a later issue) the acting person is the `x-user-id` header. */
export function requireUser(userId: string | undefined): string {
  const trimmed = userId?.trim();
  if (!trimmed) {
    throw new BadRequestException({ statusCode: 400, message: 'validation failed', fields: [{ field: 'x-user-id', messages: ['x-user-id header naming the acting person is required'] }] });
  }
  return trimmed;
}

@ApiTags('alerts')
@ApiHeader({ name: 'x-user-id', required: false, description: 'The acting person (until authentication exists)' })
@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({ summary: "Alerts for a team (default: the caller's teams), newest first, filtered and paginated" })
  list(@Query() query: ListAlertsQuery, @Headers('x-user-id') userId?: string) {
    return this.alerts.list(query, userId?.trim() || undefined);
  }

  @Get('dashboard')
  @ApiOperation({ summary: 'Counts for a team dashboard' })
  dashboard(@Query() query: DashboardQuery, @Headers('x-user-id') userId?: string) {
    return this.alerts.dashboard(query, userId?.trim() || undefined);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alert; its ETag is the version to send as If-Match' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) response: Response) {
    const alert = await this.alerts.get(id);
    response.setHeader('ETag', `"${alert.version}"`);
    return alert;
  }

  @Get(':id/history')
  @ApiOperation({ summary: "Every transition of an alert, oldest first (append-only)" })
  history(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.alerts.history(id);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take responsibility for an open alert (stops escalation); 409 if it is not open' })
  acknowledge(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AcknowledgeAlertDto,
    @Headers('x-user-id') userId?: string,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.alerts.acknowledge(id, requireUser(userId), body.note, ifMatch);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'A manager resolves an alert with a reason; 409 if it is already resolved' })
  resolve(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ResolveAlertDto,
    @Headers('x-user-id') userId?: string,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.alerts.resolve(id, requireUser(userId), body.reason, ifMatch);
  }
}
