import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccessGuard } from '../case/case-access.guard';
import { ApiAppendWrite, caseIdParam } from '../case/http';
import { ConcludeSection47Dto, RecordStrategyDiscussionDto, StartSection47Dto } from './enquiries.dto';
import { EnquiriesService } from './enquiries.service';
import { RecordedStrategyDiscussionView, Section47EnquiryView, StrategyDiscussionView } from './enquiries.views';

@ApiTags('child protection enquiries')
@UseGuards(CaseAccessGuard)
@Controller('cases/:caseId')
export class EnquiriesController {
  constructor(private readonly enquiries: EnquiriesService) {}

  @Get('strategy-discussions')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'strategy-discussion', 'caseId')
  @ApiOperation({ summary: "The case's strategy discussions, oldest first, with who took part and what was decided" })
  @ApiOkResponse({ type: [StrategyDiscussionView] })
  discussions(@caseIdParam() caseId: string) {
    return this.enquiries.discussions(caseId);
  }

  @Post('strategy-discussions')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'strategy-discussion', 'caseId')
  @ApiOperation({
    summary:
      "Record a strategy discussion about some or all of the children; a section-47 decision makes each child's ICPC due 15 WD after it (a later discussion moves it)",
  })
  @ApiAppendWrite('case or enquiry', 'The case is closed, or the enquiry is already open or concluded')
  @ApiCreatedResponse({ type: RecordedStrategyDiscussionView })
  recordDiscussion(@CurrentPrincipal() principal: Principal, @caseIdParam() caseId: string, @Body() body: RecordStrategyDiscussionDto) {
    return this.enquiries.recordDiscussion(caseId, body, actorOf(principal));
  }

  @Get('section-47-enquiries')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'section-47-enquiry', 'caseId')
  @ApiOperation({ summary: "The children's s.47 enquiries: started, concluded and with what outcome" })
  @ApiOkResponse({ type: [Section47EnquiryView] })
  section47s(@caseIdParam() caseId: string) {
    return this.enquiries.section47s(caseId);
  }

  @Post('section-47-enquiries')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'section-47-enquiry', 'caseId')
  @ApiOperation({ summary: 'Start a s.47 enquiry for each child named, from the strategy discussion that decided it' })
  @ApiAppendWrite('case or enquiry', 'The case is closed, or the enquiry is already open or concluded')
  @ApiCreatedResponse({ type: [Section47EnquiryView], description: 'One enquiry per child' })
  startSection47(@CurrentPrincipal() principal: Principal, @caseIdParam() caseId: string, @Body() body: StartSection47Dto) {
    return this.enquiries.startSection47(caseId, body, actorOf(principal));
  }

  @Post('section-47-enquiries/:enquiryId/conclusion')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'section-47-enquiry', 'caseId')
  @ApiOperation({ summary: "Conclude a child's s.47 enquiry; with cin-plan or no-further-action the child's waiting ICPC is cancelled" })
  @ApiAppendWrite('case or enquiry', 'The case is closed, or the enquiry is already open or concluded')
  @ApiCreatedResponse({ type: Section47EnquiryView })
  concludeSection47(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('enquiryId', new ParseUUIDPipe()) enquiryId: string,
    @Body() body: ConcludeSection47Dto,
  ) {
    return this.enquiries.concludeSection47(caseId, enquiryId, body, actorOf(principal));
  }
}
