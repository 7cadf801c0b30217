import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { CaseAccessGuard } from '../case/case-access.guard';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Put, Res, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiWrite, caseIdParam, ETAG_HEADER, withETag } from '../case/http';
import { CreatePlanDto, SignOffDto, UpdatePlanDto } from './plans.dto';
import { PlansService } from './plans.service';
import { PlanView, SignOffView } from './plans.views';

const SIGN_OFF_REFUSED =
  'Refused while standards are unmet (overdue obligations, actions without owner / due date / measurable outcome, review not held or held late): `unmetStandards` lists them. Send exceptionReason to sign off as a recorded exception.';

@ApiTags('plans and sign-off')
@UseGuards(CaseAccessGuard)
@Controller('cases/:caseId')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get('plans')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'plan', 'caseId')
  @ApiOperation({ summary: "The case's plans, each saying whether it is SMART and which actions are not" })
  @ApiOkResponse({ type: [PlanView] })
  list(@caseIdParam() caseId: string) {
    return this.plans.list(caseId);
  }

  @Get('plans/:planId')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'plan', 'caseId')
  @ApiOperation({ summary: 'One plan; ETag = its version' })
  @ApiOkResponse({ type: PlanView, headers: ETAG_HEADER })
  async get(
    @caseIdParam() caseId: string,
    @Param('planId', new ParseUUIDPipe()) planId: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ) {
    return withETag(response, await this.plans.get(caseId, planId));
  }

  @Post('plans')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'plan', 'caseId')
  @ApiOperation({ summary: "Record a child's plan; its review date becomes an obligation" })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: PlanView, headers: ETAG_HEADER, description: 'The plan as recorded' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: CreatePlanDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.plans.create(caseId, body, ifMatch, actorOf(principal)));
  }

  @Put('plans/:planId')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'plan', 'caseId')
  @ApiOperation({ summary: 'Replace the actions and review date; reviewedOn records a review of the plan (meets its review obligation)' })
  @ApiWrite('required', 'plan')
  @ApiOkResponse({ type: PlanView, headers: ETAG_HEADER, description: 'The plan as changed' })
  async update(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('planId', new ParseUUIDPipe()) planId: string,
    @Body() body: UpdatePlanDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.plans.update(caseId, planId, body, ifMatch, actorOf(principal)));
  }

  @Post('plans/:planId/sign-offs')
  @Roles('team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'sign-off', 'caseId')
  @ApiOperation({ summary: 'A manager signs off the plan at the version read (If-Match)' })
  @ApiWrite('required', 'plan')
  @ApiConflictResponse({ description: SIGN_OFF_REFUSED })
  @ApiCreatedResponse({ type: SignOffView, description: 'The sign-off as recorded' })
  signOffPlan(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('planId', new ParseUUIDPipe()) planId: string,
    @Body() body: SignOffDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.plans.signOff(caseId, 'plan', planId, body, ifMatch, actorOf(principal));
  }

  @Post('reviews/:reviewId/sign-offs')
  @Roles('team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'sign-off', 'caseId')
  @ApiOperation({ summary: 'A manager signs off the review record at the version read (If-Match)' })
  @ApiWrite('required', 'review')
  @ApiConflictResponse({ description: SIGN_OFF_REFUSED })
  @ApiCreatedResponse({ type: SignOffView, description: 'The sign-off as recorded' })
  signOffReview(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('reviewId', new ParseUUIDPipe()) reviewId: string,
    @Body() body: SignOffDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.plans.signOff(caseId, 'review', reviewId, body, ifMatch, actorOf(principal));
  }

  @Get('sign-offs')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'sign-off', 'caseId')
  @ApiOperation({ summary: 'Every sign-off on the case, exceptions with their reasons and the standards they overrode' })
  @ApiOkResponse({ type: [SignOffView] })
  signOffs(@caseIdParam() caseId: string) {
    return this.plans.signOffs(caseId);
  }
}
