import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { Body, Controller, Get, Headers, Post, Res, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CaseAccessGuard } from '../case/case-access.guard';
import { ApiWrite, caseIdParam, ETAG_HEADER, withETag } from '../case/http';
import { RecordVisitDto } from './visits.dto';
import { VisitsService } from './visits.service';
import { CaseWithVisitView, VisitView } from './visits.views';

@ApiTags('cases')
@UseGuards(CaseAccessGuard)
@Controller('cases')
export class VisitsController {
  constructor(private readonly visitsService: VisitsService) {}

  @Get(':caseId/visits')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'visit', 'caseId')
  @ApiOperation({ summary: 'Visits, latest first' })
  @ApiOkResponse({ type: [VisitView] })
  visits(@caseIdParam() caseId: string) {
    return this.visitsService.list(caseId);
  }

  @Post(':caseId/visits')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'visit', 'caseId')
  @ApiOperation({
    summary:
      'Record a visit (late entry is fine); a statutory visit with the child seen meets the visit obligation and schedules the next. The same visit (day, type, children seen) entered again answers 200 with the one recorded',
  })
  @ApiWrite('optional')
  @ApiCreatedResponse({
    type: CaseWithVisitView,
    headers: ETAG_HEADER,
    description: 'The case after the visit, with what the visit counted for',
  })
  @ApiOkResponse({
    type: CaseWithVisitView,
    headers: ETAG_HEADER,
    description: 'The visit was already recorded: the one recorded, nothing changed',
  })
  async recordVisit(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: RecordVisitDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    const { existing, ...recorded } = await this.visitsService.record(caseId, body, ifMatch, actorOf(principal));
    if (existing) response.status(200);
    return withETag(response, recorded);
  }
}
