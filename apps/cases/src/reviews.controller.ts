import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorFrom, ApiWrite, withETag } from './http';
import { CancelReviewDto, HoldReviewDto, RescheduleReviewDto, ScheduleReviewDto } from './reviews.dto';
import { ReviewsService } from './reviews.service';

@ApiTags('reviews and conferences')
@ApiHeader({ name: 'x-user-id', required: false, description: 'Who is acting (recorded on every event)' })
@Controller('cases/:caseId/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @ApiOperation({ summary: "The case's reviews and conferences: due date (by rule), planned and actual dates, outcome" })
  list(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.reviews.list(caseId);
  }

  @Get(':reviewId')
  @ApiOperation({ summary: 'One review; ETag = its version' })
  async get(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Param('reviewId', new ParseUUIDPipe()) reviewId: string, @Res({ passthrough: true }) response: Response) {
    return withETag(response, await this.reviews.get(caseId, reviewId));
  }

  @Post()
  @ApiOperation({
    summary:
      'Schedule a review or conference: ICPC 15 WD after the strategy discussion; CP review 3 months after the ICPC then 6-monthly; looked-after review 20 WD, 3 months, then 6-monthly; CIN review 12-weekly (local)',
  })
  @ApiWrite('optional')
  async schedule(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Body() body: ScheduleReviewDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.reviews.schedule(caseId, body, ifMatch, actorFrom(userId)));
  }

  @Post(':reviewId/held')
  @ApiOperation({ summary: 'Record that it was held, with its outcome; schedules the next of its series from the date held' })
  @ApiWrite('required', 'review')
  async hold(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: HoldReviewDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.reviews.hold(caseId, reviewId, body, ifMatch, actorFrom(userId)));
  }

  @Post(':reviewId/reschedule')
  @ApiOperation({ summary: 'Move the planned date, with a reason; the due date set by rule does not move' })
  @ApiWrite('required', 'review')
  async reschedule(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: RescheduleReviewDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.reviews.reschedule(caseId, reviewId, body, ifMatch, actorFrom(userId)));
  }

  @Post(':reviewId/cancellation')
  @ApiOperation({ summary: 'Cancel, with a reason; its obligation ends' })
  @ApiWrite('required', 'review')
  async cancel(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: CancelReviewDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.reviews.cancel(caseId, reviewId, body, ifMatch, actorFrom(userId)));
  }
}
