import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { PLO_READERS, PLO_WRITERS, PloAccess } from '../access/plo-access';
import {
  ExtendPreProceedingsDto,
  LetterSentDto,
  MeetingHeldDto,
  PreProceedingsOutcomeDto,
  StartPreProceedingsDto,
} from './pre-proceedings.dto';
import { PreProceedingsService } from './pre-proceedings.service';
import { PreProceedingsView } from './pre-proceedings.views';

const PROBLEM = { $ref: '#/components/schemas/Problem' };

@ApiTags('pre-proceedings')
@ApiBearerAuth()
@Roles(...PLO_WRITERS)
@Controller('pre-proceedings')
export class PreProceedingsController {
  constructor(
    private readonly preProceedings: PreProceedingsService,
    private readonly access: PloAccess,
  ) {}

  @Post()
  @Audited('collection', 'pre-proceedings')
  @ApiOperation({ summary: 'Record the legal gateway / planning meeting decision' })
  @ApiCreatedResponse({ type: PreProceedingsView })
  @ApiConflictResponse({ schema: PROBLEM, description: 'The case is closed or already in pre-proceedings' })
  async start(@Body() body: StartPreProceedingsDto, @CurrentPrincipal() principal: Principal) {
    await this.access.caseToBringIntoPlo(principal, body.caseId);
    return this.preProceedings.start(body, actorOf(principal));
  }

  @Get(':id')
  @Roles(...PLO_READERS)
  @Audited('consultation', 'pre-proceedings', 'id')
  @ApiOperation({ summary: 'Pre-proceedings as they stand: decision, letter, meetings, outcome and the dates due' })
  @ApiOkResponse({ type: PreProceedingsView })
  async view(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.view(id);
  }

  @Post(':id/letter')
  @HttpCode(200)
  @Audited('alteration', 'pre-proceedings', 'id')
  @ApiOperation({ summary: 'Letter Before Proceedings sent; the 16-week timescale starts' })
  @ApiOkResponse({ type: PreProceedingsView })
  @ApiConflictResponse({
    schema: PROBLEM,
    description: 'The pre-proceedings have ended, or this step is out of order (currentStatus says where they are)',
  })
  async letter(@Param('id', ParseUUIDPipe) id: string, @Body() body: LetterSentDto, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.letterSent(id, body, actorOf(principal));
  }

  @Post(':id/meetings')
  @HttpCode(200)
  @Audited('alteration', 'pre-proceedings', 'id')
  @ApiOperation({ summary: 'Pre-proceedings meeting (the first) or review meeting held; the next review falls due at the council cadence' })
  @ApiOkResponse({ type: PreProceedingsView })
  @ApiConflictResponse({
    schema: PROBLEM,
    description: 'The pre-proceedings have ended, or this step is out of order (currentStatus says where they are)',
  })
  async meeting(@Param('id', ParseUUIDPipe) id: string, @Body() body: MeetingHeldDto, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.meetingHeld(id, body, actorOf(principal));
  }

  @Post(':id/outcome')
  @HttpCode(200)
  @Audited('alteration', 'pre-proceedings', 'id')
  @ApiOperation({ summary: 'Step down (with a reason) or issue (short notice needs a reason)' })
  @ApiOkResponse({ type: PreProceedingsView })
  @ApiConflictResponse({
    schema: PROBLEM,
    description: 'The pre-proceedings have ended, or this step is out of order (currentStatus says where they are)',
  })
  async outcome(@Param('id', ParseUUIDPipe) id: string, @Body() body: PreProceedingsOutcomeDto, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.conclude(id, body, actorOf(principal));
  }

  @Post(':id/extension')
  @HttpCode(200)
  @Audited('alteration', 'pre-proceedings', 'id')
  @ApiOperation({
    summary: 'Extend the 16-week pre-proceedings period (guidance, not statute) to a later end, with the reason recorded',
  })
  @ApiOkResponse({ type: PreProceedingsView })
  @ApiConflictResponse({
    schema: PROBLEM,
    description: 'The pre-proceedings have ended, or the 16 weeks have not started (currentStatus says where they are)',
  })
  async extend(@Param('id', ParseUUIDPipe) id: string, @Body() body: ExtendPreProceedingsDto, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.extend(id, body, actorOf(principal));
  }
}
