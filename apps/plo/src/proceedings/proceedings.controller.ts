import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAllocatedV1, CaseClosedV1, CaseOpenedV1, CouncilRulesChangedV1, EventEnvelope, EventTypes } from '@plo/contracts';
import { HandlesEvent, InboxContext } from '@plo/messaging';
import { actorOf, Audited, CurrentPrincipal, Principal, Roles, Scopes } from '@plo/platform';
import { HearingsService } from './hearings.service';
import { PLO_READERS, PLO_WRITERS, PloAccess } from './plo-access';
import {
  ChangeHearingDto,
  DraftOrderUploadedDto,
  EnterStageDto,
  GrantExtensionDto,
  HearingOutcomeDto,
  IssueProceedingsDto,
  ListHearingDto,
  MoveHearingDto,
  TaskDoneDto,
} from './proceedings.dto';
import { PloRules } from './plo-rules';
import { ProceedingsService } from './proceedings.service';

@ApiTags('proceedings')
@ApiBearerAuth()
@Roles(...PLO_WRITERS)
@Controller('proceedings')
export class ProceedingsController {
  constructor(
    private readonly proceedings: ProceedingsService,
    private readonly hearings: HearingsService,
    private readonly access: PloAccess,
  ) {}

  @Post()
  @Audited('collection', 'proceedings')
  @ApiOperation({ summary: "Record that care proceedings were issued; starts each child's 26-week clock and the PD12A windows" })
  async issue(@Body() body: IssueProceedingsDto, @CurrentPrincipal() principal: Principal) {
    await this.access.caseToBringIntoPlo(principal, body.caseId);
    return this.proceedings.issue(body, actorOf(principal));
  }

  @Get()
  @Roles(...PLO_READERS)
  @Audited('consultation', 'proceedings')
  @ApiOperation({ summary: "A case's proceedings (stage, children's clocks and extensions, hearings, deadlines, projected drift)" })
  list(@Query('caseId', ParseUUIDPipe) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.proceedings.listForCase(caseId, principal);
  }

  @Get(':id')
  @Roles(...PLO_READERS)
  @Audited('consultation', 'proceedings', 'id')
  async view(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.proceedings.view(id);
  }

  @Get(':id/timetable')
  @Roles(...PLO_READERS)
  @Scopes('timetable:read')
  @Audited('disclosure', 'timetable', 'id')
  @ApiOperation({ summary: "The council's timetable for the proceedings (milestones and dates), as court systems receive it; court systems need scope timetable:read" })
  async timetable(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.proceedings.timetable(id);
  }

  @Post(':id/stage')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'Enter the next PLO stage (409 naming the current stage if it cannot follow)' })
  async enterStage(@Param('id', ParseUUIDPipe) id: string, @Body() body: EnterStageDto, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.proceedings.enterStage(id, body, actorOf(principal));
  }

  @Post(':id/children/:childId/extensions')
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: "Record an extension of a child's 26 weeks; an end beyond s.32(8) is refused (422) with the latest allowed date" })
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
  @ApiOperation({ summary: "Mark work due before a hearing (advocates' meeting, bundle, case summary) as done on a day; the obligation is met" })
  async taskDone(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('obligationId', ParseUUIDPipe) obligationId: string,
    @Body() body: TaskDoneDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.proceedings.markTaskDone(id, obligationId, body, actorOf(principal));
  }

  @Post(':id/hearings')
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'List a hearing; deadlines counted back from it are scheduled' })
  async listHearing(@Param('id', ParseUUIDPipe) id: string, @Body() body: ListHearingDto, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.hearings.list(id, body, actorOf(principal));
  }

  @Patch(':id/hearings/:hearingId')
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: "Correct a hearing's type (the court feed lists hearings as 'other'); its deadlines are re-planned for the new type" })
  async changeHearing(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('hearingId', ParseUUIDPipe) hearingId: string,
    @Body() body: ChangeHearingDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.hearings.changeHearing(id, hearingId, body, actorOf(principal));
  }

  @Post(':id/hearings/:hearingId/move')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'Move (or re-list) a hearing; its deadlines move with it' })
  async moveHearing(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('hearingId', ParseUUIDPipe) hearingId: string,
    @Body() body: MoveHearingDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.hearings.move(id, hearingId, body, actorOf(principal));
  }

  @Post(':id/hearings/:hearingId/vacate')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'Vacate a hearing; its deadlines are cancelled' })
  async vacate(@Param('id', ParseUUIDPipe) id: string, @Param('hearingId', ParseUUIDPipe) hearingId: string, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.hearings.vacate(id, hearingId, actorOf(principal));
  }

  @Post(':id/hearings/:hearingId/adjourn')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  async adjourn(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('hearingId', ParseUUIDPipe) hearingId: string,
    @Body() body: HearingOutcomeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.hearings.adjourn(id, hearingId, body, actorOf(principal));
  }

  @Post(':id/hearings/:hearingId/held')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'Record that a hearing took place, with its outcome; a draft order is then owed within 5 days' })
  async held(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('hearingId', ParseUUIDPipe) hearingId: string,
    @Body() body: HearingOutcomeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.hearings.held(id, hearingId, body, actorOf(principal));
  }

  @Post(':id/hearings/:hearingId/draft-order')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'Record that the draft order after a held hearing was uploaded; the draft-order obligation is met' })
  async draftOrder(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('hearingId', ParseUUIDPipe) hearingId: string,
    @Body() body: DraftOrderUploadedDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.hearings.draftOrderUploaded(id, hearingId, body, actorOf(principal));
  }
}

@Controller()
export class CaseEventHandlers {
  constructor(
    private readonly proceedings: ProceedingsService,
    private readonly rules: PloRules,
  ) {}

  @HandlesEvent(EventTypes.councilRulesChanged)
  councilRulesChanged(@Payload() event: EventEnvelope<CouncilRulesChangedV1>, @Ctx() context: InboxContext) {
    return this.rules.remember(context.manager, event.data);
  }

  @HandlesEvent(EventTypes.caseOpened)
  caseOpened(@Payload() event: EventEnvelope<CaseOpenedV1>, @Ctx() context: InboxContext) {
    return this.proceedings.rememberCase(context.manager, event.data);
  }

  @HandlesEvent(EventTypes.caseAllocated)
  caseAllocated(@Payload() event: EventEnvelope<CaseAllocatedV1>, @Ctx() context: InboxContext) {
    return this.proceedings.rememberAllocation(context.manager, event.data);
  }

  @HandlesEvent(EventTypes.caseClosed)
  caseClosed(@Payload() event: EventEnvelope<CaseClosedV1>, @Ctx() context: InboxContext) {
    return this.proceedings.forgetClosedCase(context.manager, event.data);
  }
}
