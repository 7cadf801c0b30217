import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Audited, AuditEntry, AuditTrail, CurrentPrincipal, Principal, Public, Roles, routeOf } from '@plo/platform';
import { PLO_READERS } from '../access/plo-access';
import { CreatedFeedView, CreateFeedDto, FeedView, ListFeedsQuery } from './calendar.dto';
import { CalendarService } from './calendar.service';

const PROBLEM = { $ref: '#/components/schemas/Problem' };

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
  @ApiCreatedResponse({ type: CreatedFeedView })
  @ApiNotFoundResponse({ description: 'A case feed for a case you may not see (or that does not exist)', schema: PROBLEM })
  create(@Body() body: CreateFeedDto, @CurrentPrincipal() principal: Principal) {
    return this.calendar.createFeed(body.scope, body.scopeId, principal);
  }

  @Get('calendar-feeds')
  @ApiBearerAuth()
  @Roles(...PLO_READERS)
  @Audited('consultation', 'calendar-feed')
  @ApiOperation({ summary: 'Your calendar feeds (an administrator: every feed of the council)' })
  @ApiOkResponse({ type: [FeedView] })
  list(@Query() query: ListFeedsQuery, @CurrentPrincipal() principal: Principal) {
    return this.calendar.listFeeds(principal, query.scope, query.scopeId);
  }

  @Delete('calendar-feeds/:id')
  @ApiBearerAuth()
  @Roles(...PLO_READERS)
  @Audited('alteration', 'calendar-feed', 'id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a feed (yours; an administrator: any of the council): its URL stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    return this.calendar.revoke(id, principal);
  }

  /**
   * No bearer token: calendar clients cannot send one. The unguessable token in the URL is the
   * credential, and the feed serves what its owner may see now (their rights as last seen).
   *
   * Each fetch discloses case data on the owner's behalf, so it is audited as theirs: 200 for what was
   * served; 403 as well when the owner has lost rights to part or all of the feed (that part is not
   * served); 401 alone when the owner's rights are too old to trust and the feed stops (it answers 404,
   * as a revoked feed does, until the owner calls the service again).
   */
  @Get('calendar/:file')
  @Public()
  @ApiOperation({ summary: 'The iCalendar feed (RFC 5545) for a feed token: GET /calendar/{token}.ics' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'The calendar', content: { 'text/calendar': { schema: { type: 'string' } } } })
  @ApiNotFoundResponse({
    description: 'Unknown or revoked token, or a feed whose owner has not used the service for FEED_OWNER_RIGHTS_MAX_AGE_DAYS',
    schema: PROBLEM,
  })
  async feed(@Param('file') file: string, @Req() request: FastifyRequest, @Res() response: FastifyReply) {
    const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
    const feed = /^[A-Za-z0-9_-]{43}$/.test(token) ? await this.calendar.render(token) : undefined;
    if (feed === undefined) throw new NotFoundException('no such calendar feed (unknown or revoked)');
    const fetch = (status: number): AuditEntry => ({
      principal: feed.owner,
      action: 'disclosure',
      resourceType: 'calendar-feed',
      resourceId: feed.feedId,
      route: routeOf(request),
      status,
    });
    if (feed.outcome === 'stale') {
      await this.audit.record(fetch(401));
      throw new NotFoundException('no such calendar feed (unknown or revoked)');
    }
    await this.audit.record(fetch(200));
    if (feed.withheld) await this.audit.record(fetch(403));
    response
      .status(200)
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('cache-control', 'private, max-age=300')
      .send(feed.text);
  }
}
