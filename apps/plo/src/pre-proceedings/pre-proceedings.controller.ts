import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { PLO_READERS, PLO_WRITERS, PloAccess } from '../access/plo-access';
import { LetterSentDto, MeetingHeldDto, PreProceedingsOutcomeDto, StartPreProceedingsDto } from './pre-proceedings.dto';
import { PreProceedingsService } from './pre-proceedings.service';

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
  async start(@Body() body: StartPreProceedingsDto, @CurrentPrincipal() principal: Principal) {
    await this.access.caseToBringIntoPlo(principal, body.caseId);
    return this.preProceedings.start(body, actorOf(principal));
  }

  @Get(':id')
  @Roles(...PLO_READERS)
  @Audited('consultation', 'pre-proceedings', 'id')
  async view(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.view(id);
  }

  @Post(':id/letter')
  @HttpCode(200)
  @Audited('alteration', 'pre-proceedings', 'id')
  @ApiOperation({ summary: 'Letter Before Proceedings sent; the 16-week timescale starts' })
  async letter(@Param('id', ParseUUIDPipe) id: string, @Body() body: LetterSentDto, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.letterSent(id, body, actorOf(principal));
  }

  @Post(':id/meetings')
  @HttpCode(200)
  @Audited('alteration', 'pre-proceedings', 'id')
  @ApiOperation({ summary: 'Pre-proceedings meeting (the first) or review meeting held; the next review falls due at the council cadence' })
  async meeting(@Param('id', ParseUUIDPipe) id: string, @Body() body: MeetingHeldDto, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.meetingHeld(id, body, actorOf(principal));
  }

  @Post(':id/outcome')
  @HttpCode(200)
  @Audited('alteration', 'pre-proceedings', 'id')
  @ApiOperation({ summary: 'Step down (with a reason) or issue (short notice needs a reason)' })
  async outcome(@Param('id', ParseUUIDPipe) id: string, @Body() body: PreProceedingsOutcomeDto, @CurrentPrincipal() principal: Principal) {
    await this.access.preProceedings(principal, id);
    return this.preProceedings.conclude(id, body, actorOf(principal));
  }
}
