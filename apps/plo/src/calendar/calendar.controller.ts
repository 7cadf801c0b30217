import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Audited, AuditTrail, CurrentPrincipal, Principal, Public, Roles } from '@plo/platform';
import { PLO_READERS } from '../access/plo-access';
import { CreateFeedDto, ListFeedsQuery } from './calendar.dto';
import { CalendarService } from './calendar.service';

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly audit: AuditTrail,
  ) {}

  @Post('calendar-feeds')
  @ApiBearerAuth()
  @Roles(...PLO_READERS)
  @Audited('disclosure', 'calendar-feed')
  @ApiOperation({
    summary: 'Create a calendar feed (per case, worker or team) showing only what you can see; the response carries its secret URL once',
  })
  create(@Body() body: CreateFeedDto, @CurrentPrincipal() principal: Principal) {
    return this.calendar.createFeed(body.scope, body.scopeId, principal);
  }

  @Get('calendar-feeds')
  @ApiBearerAuth()
  @Roles(...PLO_READERS)
  @Audited('consultation', 'calendar-feed')
  @ApiOperation({ summary: 'Your calendar feeds (an administrator: every feed of the council)' })
  list(@Query() query: ListFeedsQuery, @CurrentPrincipal() principal: Principal) {
    return this.calendar.listFeeds(principal, query.scope, query.scopeId);
  }

  @Delete('calendar-feeds/:id')
  @ApiBearerAuth()
  @Roles(...PLO_READERS)
  @Audited('alteration', 'calendar-feed', 'id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a feed (yours; an administrator: any of the council): its URL stops working at once' })
  revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.calendar.revoke(id, principal);
  }

  /** No bearer token: calendar clients cannot send one. The unguessable token in the URL is the credential. */
  @Get('calendar/:file')
  @Public()
  @ApiOperation({ summary: 'The iCalendar feed (RFC 5545) for a feed token: GET /calendar/{token}.ics' })
  async feed(@Param('file') file: string, @Req() request: Request, @Res() response: Response) {
    const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
    const feed = /^[A-Za-z0-9_-]{43}$/.test(token) ? await this.calendar.render(token) : undefined;
    if (feed === undefined) throw new NotFoundException('no such calendar feed (unknown or revoked)');
    // Each fetch discloses case data on the creator's behalf, so it is audited as theirs.
    await this.audit.record({
      principal: feed.reader,
      action: 'disclosure',
      resourceType: 'calendar-feed',
      resourceId: feed.feedId,
      route: `${request.method} ${request.route?.path ?? request.path}`,
      status: 200,
    });
    response
      .status(200)
      .setHeader('content-type', 'text/calendar; charset=utf-8')
      .setHeader('cache-control', 'private, max-age=300')
      .send(feed.text);
  }
}
