import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccessGuard } from '../case/case-access.guard';
import { ApiWrite, caseIdParam } from '../case/http';
import { CancelAssessmentDto, CompleteAssessmentDto, StartAssessmentDto } from './assessments.dto';
import { AssessmentsService } from './assessments.service';
import { AssessmentView } from './assessments.views';

const assessmentIdParam = () => Param('assessmentId', new ParseUUIDPipe());

@ApiTags('referrals and KPIs')
@UseGuards(CaseAccessGuard)
@Controller('cases')
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Get(':caseId/assessments')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'assessment', 'caseId')
  @ApiOperation({ summary: 'Child-and-family assessments on the case, one per child, with their due dates and outcomes' })
  @ApiOkResponse({ type: [AssessmentView] })
  list(@caseIdParam() caseId: string) {
    return this.assessments.list(caseId);
  }

  @Get(':caseId/assessments/:assessmentId')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'assessment', 'caseId')
  @ApiOperation({ summary: 'One child-and-family assessment' })
  @ApiOkResponse({ type: AssessmentView })
  @ApiNotFoundResponse({ description: 'Unknown case or assessment' })
  get(@caseIdParam() caseId: string, @assessmentIdParam() assessmentId: string) {
    return this.assessments.get(caseId, assessmentId);
  }

  @Post(':caseId/assessments')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'assessment', 'caseId')
  @ApiOperation({
    summary:
      "Start a child-and-family assessment from a referral: one per child, each due at the council's target, at most 45 working days after the referral",
  })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: [AssessmentView], description: "The children's assessments as started" })
  start(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: StartAssessmentDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.assessments.start(caseId, body, ifMatch, actorOf(principal));
  }

  @Post(':caseId/assessments/:assessmentId/completion')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'assessment', 'caseId')
  @ApiOperation({ summary: 'Complete an assessment with its outcome; after its due date the obligation is met late' })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: AssessmentView })
  complete(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @assessmentIdParam() assessmentId: string,
    @Body() body: CompleteAssessmentDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.assessments.complete(caseId, assessmentId, body, ifMatch, actorOf(principal));
  }

  @Post(':caseId/assessments/:assessmentId/cancellation')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'assessment', 'caseId')
  @ApiOperation({ summary: 'End an assessment before it is completed: its obligation is cancelled, not met' })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: AssessmentView })
  cancel(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @assessmentIdParam() assessmentId: string,
    @Body() body: CancelAssessmentDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.assessments.cancel(caseId, assessmentId, body, ifMatch, actorOf(principal));
  }
}
