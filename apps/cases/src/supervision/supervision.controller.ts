import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CaseAccessGuard } from '../case/case-access.guard';
import { ApiAppendWrite, caseIdParam } from '../case/http';
import { RecordSupervisionDto, SupervisionActionDoneDto } from './supervision.dto';
import { SupervisionService } from './supervision.service';
import { SupervisionView } from './supervision.views';

@ApiTags('supervision')
@UseGuards(CaseAccessGuard)
@Controller('cases/:caseId/supervisions')
export class SupervisionController {
  constructor(private readonly supervision: SupervisionService) {}

  @Get()
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'supervision', 'caseId')
  @ApiOperation({ summary: "The case's supervision sessions, oldest first, with their decisions and actions" })
  @ApiOkResponse({ type: [SupervisionView] })
  list(@caseIdParam() caseId: string) {
    return this.supervision.list(caseId);
  }

  @Get(':supervisionId')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'supervision', 'caseId')
  @ApiOperation({ summary: 'One supervision session' })
  @ApiNotFoundResponse({ description: 'Unknown case or supervision' })
  @ApiOkResponse({ type: SupervisionView })
  get(@caseIdParam() caseId: string, @Param('supervisionId', new ParseUUIDPipe()) supervisionId: string) {
    return this.supervision.get(caseId, supervisionId);
  }

  @Post()
  @Roles('team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'supervision', 'caseId')
  @ApiOperation({
    summary:
      "Record a supervision of the worker's case: it meets the case's supervision obligation and schedules the next at the council's cadence",
  })
  @ApiAppendWrite('case, supervision or action')
  @ApiUnprocessableEntityResponse({
    description: 'A child not on the case, or an action without owner, due date or measurable outcome: each named in `fields`',
  })
  @ApiCreatedResponse({ type: SupervisionView })
  record(@CurrentPrincipal() principal: Principal, @caseIdParam() caseId: string, @Body() body: RecordSupervisionDto) {
    return this.supervision.record(caseId, body, actorOf(principal));
  }

  @Post(':supervisionId/actions/:actionId/done')
  @HttpCode(200)
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'supervision', 'caseId')
  @ApiOperation({ summary: 'Mark an action agreed in supervision done; done twice, the first date stands' })
  @ApiAppendWrite('case, supervision or action')
  @ApiOkResponse({ type: SupervisionView, description: 'The supervision with its actions' })
  actionDone(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('supervisionId', new ParseUUIDPipe()) supervisionId: string,
    @Param('actionId', new ParseUUIDPipe()) actionId: string,
    @Body() body: SupervisionActionDoneDto,
  ) {
    return this.supervision.actionDone(caseId, supervisionId, actionId, body, actorOf(principal));
  }
}
