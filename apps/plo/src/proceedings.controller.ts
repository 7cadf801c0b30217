import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CaseAllocatedV1, CaseClosedV1, CaseOpenedV1, EventEnvelope, EventTypes } from '@plo/contracts';
import { HandlesEvent, InboxContext } from '@plo/messaging';
import { HearingsService } from './hearings.service';
import { EnterStageDto, GrantExtensionDto, HearingOutcomeDto, ListHearingDto, MoveHearingDto, IssueProceedingsDto } from './proceedings.dto';
import { ProceedingsService } from './proceedings.service';

/** Auth comes later: the actor is whoever the x-user-id header names, and a guard will replace this. */
export function actorFrom(userId: string | undefined): Actor {
  return { kind: 'user', id: userId?.trim() || 'unidentified' };
}

@ApiTags('proceedings')
@ApiHeader({ name: 'x-user-id', required: false, description: 'Who is acting (recorded on every event)' })
@Controller('proceedings')
export class ProceedingsController {
  constructor(
    private readonly proceedings: ProceedingsService,
    private readonly hearings: HearingsService,
  ) {}

  @Post()
  @ApiOperation({ summary: "Record that care proceedings were issued; starts each child's 26-week clock and the PD12A windows" })
  issue(@Body() body: IssueProceedingsDto, @Headers('x-user-id') userId?: string) {
    return this.proceedings.issue(body, actorFrom(userId));
  }

  @Get()
  @ApiOperation({ summary: "A case's proceedings (stage, children's clocks and extensions, hearings, deadlines, projected drift)" })
  list(@Query('caseId', ParseUUIDPipe) caseId: string) {
    return this.proceedings.listForCase(caseId);
  }

  @Get(':id')
  view(@Param('id', ParseUUIDPipe) id: string) {
    return this.proceedings.view(id);
  }

  @Post(':id/stage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enter the next PLO stage (409 naming the current stage if it cannot follow)' })
  enterStage(@Param('id', ParseUUIDPipe) id: string, @Body() body: EnterStageDto, @Headers('x-user-id') userId?: string) {
    return this.proceedings.enterStage(id, body, actorFrom(userId));
  }

  @Post(':id/children/:childId/extensions')
  @ApiOperation({ summary: "Record an extension of a child's 26 weeks; an end beyond s.32(8) is refused (422) with the latest allowed date" })
  grantExtension(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('childId', ParseUUIDPipe) childId: string,
    @Body() body: GrantExtensionDto,
    @Headers('x-user-id') userId?: string,
  ) {
    return this.proceedings.grantExtension(id, childId, body, actorFrom(userId));
  }

  @Post(':id/hearings')
  @ApiOperation({ summary: 'List a hearing; deadlines counted back from it are scheduled' })
  listHearing(@Param('id', ParseUUIDPipe) id: string, @Body() body: ListHearingDto, @Headers('x-user-id') userId?: string) {
    return this.hearings.list(id, body, actorFrom(userId));
  }

  @Post(':id/hearings/:hearingId/move')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move (or re-list) a hearing; its deadlines move with it' })
  moveHearing(@Param('id', ParseUUIDPipe) id: string, @Param('hearingId', ParseUUIDPipe) hearingId: string, @Body() body: MoveHearingDto, @Headers('x-user-id') userId?: string) {
    return this.hearings.move(id, hearingId, body, actorFrom(userId));
  }

  @Post(':id/hearings/:hearingId/vacate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Vacate a hearing; its deadlines are cancelled' })
  vacate(@Param('id', ParseUUIDPipe) id: string, @Param('hearingId', ParseUUIDPipe) hearingId: string, @Headers('x-user-id') userId?: string) {
    return this.hearings.vacate(id, hearingId, actorFrom(userId));
  }

  @Post(':id/hearings/:hearingId/adjourn')
  @HttpCode(200)
  adjourn(@Param('id', ParseUUIDPipe) id: string, @Param('hearingId', ParseUUIDPipe) hearingId: string, @Body() body: HearingOutcomeDto, @Headers('x-user-id') userId?: string) {
    return this.hearings.adjourn(id, hearingId, body, actorFrom(userId));
  }

  @Post(':id/hearings/:hearingId/held')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a hearing took place, with its outcome' })
  held(@Param('id', ParseUUIDPipe) id: string, @Param('hearingId', ParseUUIDPipe) hearingId: string, @Body() body: HearingOutcomeDto, @Headers('x-user-id') userId?: string) {
    return this.hearings.held(id, hearingId, body, actorFrom(userId));
  }
}

@Controller()
export class CaseEventHandlers {
  constructor(private readonly proceedings: ProceedingsService) {}

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
