import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { CaseAccessGuard } from '../case/case-access.guard';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiWrite, caseIdParam, ETAG_HEADER, withETag } from '../case/http';
import { CancelReviewDto, HoldReviewDto, RescheduleReviewDto, ScheduleReviewDto } from './reviews.dto';
import { ReviewsService } from './reviews.service';
import { ReviewView } from './reviews.views';

@ApiTags('reviews and conferences')
@UseGuards(CaseAccessGuard)
@Controller('cases/:caseId/reviews')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'review', 'caseId')
  @ApiOperation({ summary: "The case's reviews and conferences: due date (by rule), planned and actual dates, outcome" })
  @ApiOkResponse({ type: [ReviewView] })
  list(@caseIdParam() caseId: string) {
    return this.reviews.list(caseId);
  }

  @Get(':reviewId')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'review', 'caseId')
  @ApiOperation({ summary: 'One review; ETag = its version' })
  @ApiOkResponse({ type: ReviewView, headers: ETAG_HEADER })
  async get(
    @caseIdParam() caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    return withETag(response, await this.reviews.get(caseId, reviewId));
  }

  @Post()
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'review', 'caseId')
  @ApiOperation({
    summary:
      'Schedule a review or conference: ICPC 15 WD after the strategy discussion; CP review 3 months after the ICPC then 6-monthly; looked-after review 20 WD, 3 months, then 6-monthly; CIN review 12-weekly (local)',
  })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: ReviewView, headers: ETAG_HEADER, description: 'The review as scheduled, with its due date' })
  async schedule(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: ScheduleReviewDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.reviews.schedule(caseId, body, ifMatch, actorOf(principal)));
  }

  @Post(':reviewId/held')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'review', 'caseId')
  @ApiOperation({ summary: 'Record that it was held, with its outcome; schedules the next of its series from the date held' })
  @ApiWrite('required', 'review')
  @ApiCreatedResponse({ type: ReviewView, headers: ETAG_HEADER, description: 'The review as held' })
  async hold(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: HoldReviewDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.reviews.hold(caseId, reviewId, body, ifMatch, actorOf(principal)));
  }

  @Post(':reviewId/reschedule')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'review', 'caseId')
  @ApiOperation({ summary: 'Move the planned date, with a reason; the due date set by rule does not move' })
  @ApiWrite('required', 'review')
  @ApiCreatedResponse({ type: ReviewView, headers: ETAG_HEADER, description: 'The review with its new planned date' })
  async reschedule(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: RescheduleReviewDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.reviews.reschedule(caseId, reviewId, body, ifMatch, actorOf(principal)));
  }

  @Post(':reviewId/cancellation')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'review', 'caseId')
  @ApiOperation({ summary: 'Cancel, with a reason; its obligation ends' })
  @ApiWrite('required', 'review')
  @ApiCreatedResponse({ type: ReviewView, headers: ETAG_HEADER, description: 'The cancelled review' })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: CancelReviewDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.reviews.cancel(caseId, reviewId, body, ifMatch, actorOf(principal)));
  }
}
