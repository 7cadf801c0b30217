import { Body, Controller, Delete, Get, Headers, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { CalendarService, FEED_SCOPES, FeedScope } from './calendar.service';
import { actorFrom } from './proceedings.controller';

export class CreateFeedDto {
  @IsIn(FEED_SCOPES) scope: FeedScope;
  @IsString() @IsNotEmpty() @MaxLength(200) scopeId: string;
}

export class ListFeedsQuery {
  @IsOptional() @IsIn(FEED_SCOPES) scope?: FeedScope;
  @IsOptional() @IsString() @MaxLength(200) scopeId?: string;
}

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Post('calendar-feeds')
  @ApiOperation({ summary: 'Create a calendar feed (per case, worker or team); the response carries its secret URL once' })
  create(@Body() body: CreateFeedDto, @Headers('x-user-id') userId?: string) {
    return this.calendar.createFeed(body.scope, body.scopeId, actorFrom(userId).id);
  }

  @Get('calendar-feeds')
  list(@Query() query: ListFeedsQuery) {
    return this.calendar.listFeeds(query.scope, query.scopeId);
  }

  @Delete('calendar-feeds/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a feed: its URL stops working at once' })
  revoke(@Param('id', ParseUUIDPipe) id: string) {
    return this.calendar.revoke(id);
  }

  @Get('calendar/:file')
  @ApiOperation({ summary: 'The iCalendar feed (RFC 5545) for a feed token: GET /calendar/{token}.ics' })
  async feed(@Param('file') file: string, @Res() response: Response) {
    const token = file.endsWith('.ics') ? file.slice(0, -4) : file;
    const text = /^[A-Za-z0-9_-]{43}$/.test(token) ? await this.calendar.render(token) : undefined;
    if (text === undefined) throw new NotFoundException('no such calendar feed (unknown or revoked)');
    response.status(200).setHeader('content-type', 'text/calendar; charset=utf-8').setHeader('cache-control', 'private, max-age=300').send(text);
  }
}
