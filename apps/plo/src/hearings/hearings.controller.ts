import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { PLO_WRITERS, PloAccess } from '../access/plo-access';
import { ChangeHearingDto, DraftOrderUploadedDto, HearingOutcomeDto, ListHearingDto, MoveHearingDto } from './hearings.dto';
import { HearingsService } from './hearings.service';
import { HearingView } from './hearings.views';

const PROBLEM = { $ref: '#/components/schemas/Problem' };

/** A proceedings' hearings, as staff record them (the court feed changes them too, through the same service). */
@ApiTags('proceedings')
@ApiBearerAuth()
@Roles(...PLO_WRITERS)
@ApiConflictResponse({ schema: PROBLEM, description: 'The proceedings are concluded, or the hearing is not in a state that allows this' })
@Controller('proceedings')
export class HearingsController {
  constructor(
    private readonly hearings: HearingsService,
    private readonly access: PloAccess,
  ) {}

  @Post(':id/hearings')
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'List a hearing; deadlines counted back from it are scheduled' })
  @ApiCreatedResponse({ type: HearingView })
  async listHearing(@Param('id', ParseUUIDPipe) id: string, @Body() body: ListHearingDto, @CurrentPrincipal() principal: Principal) {
    await this.access.proceedings(principal, id);
    return this.hearings.list(id, body, actorOf(principal));
  }

  @Patch(':id/hearings/:hearingId')
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({
    summary: "Correct a hearing's type (the court feed lists hearings as 'other'); its deadlines are re-planned for the new type",
  })
  @ApiOkResponse({ type: HearingView })
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
  @ApiOkResponse({ type: HearingView })
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
  @ApiOkResponse({ type: HearingView })
  async vacate(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('hearingId', ParseUUIDPipe) hearingId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.access.proceedings(principal, id);
    return this.hearings.vacate(id, hearingId, actorOf(principal));
  }

  @Post(':id/hearings/:hearingId/adjourn')
  @HttpCode(200)
  @Audited('alteration', 'proceedings', 'id')
  @ApiOperation({ summary: 'Record that a hearing was adjourned, with its outcome; it can be re-listed by moving it' })
  @ApiOkResponse({ type: HearingView })
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
  @ApiOkResponse({ type: HearingView })
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
  @ApiOkResponse({ type: HearingView })
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
