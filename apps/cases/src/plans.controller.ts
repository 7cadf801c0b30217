import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { actorFrom, ApiWrite, withETag } from './http';
import { CreatePlanDto, SignOffDto, UpdatePlanDto } from './plans.dto';
import { PlansService } from './plans.service';

const SIGN_OFF_REFUSED = 'Refused while standards are unmet (overdue obligations, actions without owner / due date / measurable outcome, review not held or held late): `unmetStandards` lists them. Send exceptionReason to sign off as a recorded exception.';

@ApiTags('plans and sign-off')
@ApiHeader({ name: 'x-user-id', required: false, description: 'Who is acting (the manager, for a sign-off)' })
@Controller('cases/:caseId')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get('plans')
  @ApiOperation({ summary: "The case's plans, each saying whether it is SMART and which actions are not" })
  list(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.plans.list(caseId);
  }

  @Get('plans/:planId')
  @ApiOperation({ summary: 'One plan; ETag = its version' })
  async get(@Param('caseId', new ParseUUIDPipe()) caseId: string, @Param('planId', new ParseUUIDPipe()) planId: string, @Res({ passthrough: true }) response: Response) {
    return withETag(response, await this.plans.get(caseId, planId));
  }

  @Post('plans')
  @ApiOperation({ summary: "Record a child's plan; its review date becomes an obligation" })
  @ApiWrite('optional')
  async create(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Body() body: CreatePlanDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.plans.create(caseId, body, ifMatch, actorFrom(userId)));
  }

  @Put('plans/:planId')
  @ApiOperation({ summary: 'Replace the actions and review date; reviewedOn records a review of the plan (meets its review obligation)' })
  @ApiWrite('required', 'plan')
  async update(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Param('planId', new ParseUUIDPipe()) planId: string,
    @Body() body: UpdatePlanDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.plans.update(caseId, planId, body, ifMatch, actorFrom(userId)));
  }

  @Post('plans/:planId/sign-offs')
  @ApiOperation({ summary: 'A manager signs off the plan at the version read (If-Match)' })
  @ApiWrite('required', 'plan')
  @ApiConflictResponse({ description: SIGN_OFF_REFUSED })
  signOffPlan(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Param('planId', new ParseUUIDPipe()) planId: string,
    @Body() body: SignOffDto,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return this.plans.signOff(caseId, 'plan', planId, body, ifMatch, actorFrom(userId));
  }

  @Post('reviews/:reviewId/sign-offs')
  @ApiOperation({ summary: 'A manager signs off the review record at the version read (If-Match)' })
  @ApiWrite('required', 'review')
  @ApiConflictResponse({ description: SIGN_OFF_REFUSED })
  signOffReview(
    @Param('caseId', new ParseUUIDPipe()) caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: SignOffDto,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return this.plans.signOff(caseId, 'review', reviewId, body, ifMatch, actorFrom(userId));
  }

  @Get('sign-offs')
  @ApiOperation({ summary: 'Every sign-off on the case, exceptions with their reasons and the standards they overrode' })
  signOffs(@Param('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.plans.signOffs(caseId);
  }
}
