import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { actorOf, Audited, CurrentPrincipal, Principal, Roles, Scopes } from '@plo/platform';
import { PLO_READERS, PLO_WRITERS, PloAccess } from '../access/plo-access';
import {
  ConcludeChildProceedingsDto,
  EnterStageDto,
  GrantExtensionDto,
  IssueProceedingsDto,
  JoinProceedingsDto,
  MakeOrderDto,
  TaskDoneDto,
} from './proceedings.dto';
import { ProceedingsService } from './proceedings.service';
import {
  ChildJoinedView,
  ChildProceedingsConcludedView,
  ExtensionGrantedView,
  OrderMadeView,
  ProceedingsIssuedView,
  ProceedingsView,
  StageEnteredView,
  TaskDoneView,
  TimetableView,
} from './proceedings.views';

const PROBLEM = { $ref: '#/components/schemas/Problem' };

@ApiTags('proceedings')
@ApiBearerAuth()
@Roles(...PLO_WRITERS)
@Controller('proceedings')
export class ProceedingsController {
  constructor(
    private readonly proceedings: ProceedingsService,
    private readonly access: PloAccess,
  ) {}

  @Post()
  @Audited('collection', 'proceedings')
  @ApiOperation({ summary: "Record that care proceedings were issued; starts each child's 26-week clock and the PD12A windows" })
  @ApiCreatedResponse({ type: ProceedingsIssuedView })
  @ApiConflictResponse({ schema: PROBLEM, description: 'The case is closed, or the court case number is already recorded' })
  async issue(@Body() body: IssueProceedingsDto, @CurrentPrincipal() principal: Principal) {
    await this.access.caseToBringIntoPlo(principal, body.caseId);
    return this.proceedings.issue(body, actorOf(principal));
  }

  @Get()
  @Roles(...PLO_READERS)
  @Audited('consultation', 'proceedings')
  @ApiOperation({ summary: "A case's proceedings (stage, children's clocks and extensions, hearings, deadlines, projected drift)" })
  @ApiOkResponse({ type: [ProceedingsView] })
  list(@Query('caseId', ParseUUIDPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.proceedings.listForCase(caseId, principal);
  }

  // Declared before ':id', which would otherwise take 'open' for an id.
  @Get('open')
  @Roles(...PLO_READERS)
  @Audited('consultation', 'proceedings')
  @ApiOperation({
    summary:
      'Every open set of proceedings the caller may see (for legal, all of their council’s), the one whose child is nearest or furthest past their completion date first',
  })
  @ApiOkResponse({ type: [ProceedingsView] })
  listOpen(@CurrentPrincipal() principal: Principal) {
    return this.proceedings.listOpen(principal);
  }

  @Get(':id')
  @Roles(...PLO_READERS)
  @Audited('consultation', 'proceedings', 'id')
  @ApiOperation({ summary: "One set of proceedings: stage, children's clocks and extensions, hearings, deadlines, projected drift" })
  @ApiOkResponse({ type: ProceedingsView })
  async view(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.proceedings.view(id);
  }

  @Get(':id/timetable')
  @Roles(...PLO_READERS)
  @Scopes('timetable:read')
  @Audited('disclosure', 'timetable', 'id')
  @ApiOperation({
    summary:
      "The council's timetable for the proceedings (milestones and dates), as court systems receive it; court systems need scope timetable:read",
  })
  @ApiOkResponse({ type: TimetableView })
  async timetable(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.proceedings.timetable(id);
  }

  @Post(':id/stage')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'Enter the next PLO stage (409 naming the current stage if it cannot follow)' })
  @ApiOkResponse({ type: StageEnteredView })
  @ApiConflictResponse({ schema: PROBLEM, description: 'The stage cannot follow the current one (named, with the stages that can)' })
  async enterStage(@Param('id', ParseUUIDPipe) id: string, @Body() body: EnterStageDto, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.proceedings.enterStage(id, body, actorOf(principal));
  }

  @Post(':id/children')
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({
    summary: 'A child of the case joins the proceedings (a baby born during them) with their own issue date and 26 weeks',
  })
  @ApiCreatedResponse({ type: ChildJoinedView })
  @ApiConflictResponse({ schema: PROBLEM, description: 'The child is already in the proceedings, or they have concluded' })
  @ApiUnprocessableEntityResponse({ schema: PROBLEM, description: 'The child is not a child of the case (fields names childId)' })
  async joinChild(@Param('id', ParseUUIDPipe) id: string, @Body() body: JoinProceedingsDto, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.proceedings.joinChild(id, body, actorOf(principal));
  }

  @Post(':id/children/:childId/conclusion')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({
    summary:
      "One child's proceedings end (final order or withdrawn); a sibling's go on, and the proceedings conclude with the last child's",
  })
  @ApiOkResponse({ type: ChildProceedingsConcludedView })
  @ApiNotFoundResponse({ schema: PROBLEM, description: 'No such proceedings, or the child is not in them' })
  @ApiConflictResponse({ schema: PROBLEM, description: "The child's proceedings (or all of them) have already concluded" })
  async concludeChild(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('childId', ParseUUIDPipe) childId: string,
    @Body() body: ConcludeChildProceedingsDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.proceedings.concludeChildProceedings(id, childId, body, actorOf(principal));
  }

  @Post(':id/orders')
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'Record an order the court made for a child (interim or final); an interim order after a final one is refused' })
  @ApiCreatedResponse({ type: OrderMadeView })
  @ApiConflictResponse({ schema: PROBLEM, description: 'An interim order after the child’s final order or the end of their proceedings' })
  @ApiUnprocessableEntityResponse({ schema: PROBLEM, description: 'The child is not in the proceedings (fields names childId)' })
  async makeOrder(@Param('id', ParseUUIDPipe) id: string, @Body() body: MakeOrderDto, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.proceedings.makeOrder(id, body, actorOf(principal));
  }

  @Post(':id/children/:childId/extensions')
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({
    summary: "Record an extension of a child's 26 weeks; an end beyond s.32(8) is refused (422) with the latest allowed date",
  })
  @ApiCreatedResponse({ type: ExtensionGrantedView })
  @ApiConflictResponse({ schema: PROBLEM, description: "The proceedings, or the child's, are concluded" })
  @ApiUnprocessableEntityResponse({ schema: PROBLEM, description: 'Beyond what s.32(8) allows; the body gives latestAllowedEndDate' })
  async grantExtension(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('childId', ParseUUIDPipe) childId: string,
    @Body() body: GrantExtensionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.proceedings.grantExtension(id, childId, body, actorOf(principal));
  }

  @Post(':id/tasks/:obligationId/done')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({
    summary: "Mark work due before a hearing (advocates' meeting, bundle, case summary) as done on a day; the obligation is met",
  })
  @ApiOkResponse({ type: TaskDoneView })
  @ApiConflictResponse({ schema: PROBLEM, description: 'The task is no longer open (currentStatus says what it is)' })
  async taskDone(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('obligationId', ParseUUIDPipe) obligationId: string,
    @Body() body: TaskDoneDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.proceedings.markTaskDone(id, obligationId, body, actorOf(principal));
  }
}
