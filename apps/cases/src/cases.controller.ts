import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CasesService } from './cases.service';
import {
  AllocateCaseDto,
  ChangeLegalStatusDto,
  CloseCaseDto,
  ListCasesQuery,
  NewChildDto,
  OpenCaseDto,
  PlacementDto,
  RecordVisitDto,
  UpdateCaseDetailsDto,
} from './cases.dto';
import { actorFrom, ApiWrite, withETag } from './http';

const caseIdParam = () => Param('caseId', new ParseUUIDPipe());

@ApiTags('cases')
@ApiHeader({ name: 'x-user-id', required: false, description: 'Who is acting (recorded on every event)' })
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @ApiOperation({ summary: 'Open a case for one or more children (backfilled dates welcome); schedules the first visit, and for a looked-after child the first review' })
  @ApiBadRequestResponse({ description: 'Invalid input: every failing field is named in `fields`; nothing is written' })
  @ApiConflictResponse({ description: 'The case reference is already used in the council' })
  async open(@Body() body: OpenCaseDto, @Res({ passthrough: true }) response: Response, @Headers('x-user-id') userId?: string) {
    return withETag(response, await this.cases.open(body, actorFrom(userId)));
  }

  @Get()
  @ApiOperation({
    summary: "List a council's cases, filtered and paginated; each with its overdue obligations and the next one due ('my team's cases with what is overdue': ?teamId=…&overdue=true)",
  })
  list(@Query() query: ListCasesQuery) {
    return this.cases.list(query);
  }

  @Get(':caseId')
  @ApiOperation({ summary: 'A case with its children, legal status and allocation histories, placements and obligations; ETag = version' })
  @ApiOkResponse({ description: 'The case; the ETag header carries its version for If-Match' })
  async get(@caseIdParam() caseId: string, @Res({ passthrough: true }) response: Response) {
    return withETag(response, await this.cases.get(caseId));
  }

  @Patch(':caseId')
  @ApiOperation({ summary: 'Change the team manager and/or legal lead' })
  @ApiWrite('required')
  async updateDetails(
    @caseIdParam() caseId: string,
    @Body() body: UpdateCaseDetailsDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.cases.updateDetails(caseId, body, ifMatch, actorFrom(userId)));
  }

  @Post(':caseId/allocations')
  @ApiOperation({ summary: 'Re-allocate the case (history kept); open obligations follow the new worker' })
  @ApiWrite('required')
  async allocate(
    @caseIdParam() caseId: string,
    @Body() body: AllocateCaseDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.cases.allocate(caseId, body, ifMatch, actorFrom(userId)));
  }

  @Post(':caseId/legal-status')
  @ApiOperation({ summary: "Change the child's legal status; ends the old status and its reviews, reschedules the visit by the new status's rule" })
  @ApiWrite('required')
  async changeLegalStatus(
    @caseIdParam() caseId: string,
    @Body() body: ChangeLegalStatusDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.cases.changeLegalStatus(caseId, body, ifMatch, actorFrom(userId)));
  }

  @Get(':caseId/children')
  @ApiOperation({ summary: 'The children on the case (siblings; unborn children with their expected date)' })
  children(@caseIdParam() caseId: string) {
    return this.cases.listChildren(caseId);
  }

  @Post(':caseId/children')
  @ApiOperation({ summary: 'Add a child (a sibling, or an unborn child with expectedDateOfBirth)' })
  @ApiWrite('optional')
  async addChild(
    @caseIdParam() caseId: string,
    @Body() body: NewChildDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.cases.addChild(caseId, body, ifMatch, actorFrom(userId)));
  }

  @Post(':caseId/placements')
  @ApiOperation({ summary: 'Record a looked-after child’s new placement; the next visit is due within a week of it (reg 28(2))' })
  @ApiWrite('optional')
  async startPlacement(
    @caseIdParam() caseId: string,
    @Body() body: PlacementDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.cases.startPlacement(caseId, body, ifMatch, actorFrom(userId)));
  }

  @Get(':caseId/visits')
  @ApiOperation({ summary: 'Visits, latest first' })
  visits(@caseIdParam() caseId: string) {
    return this.cases.listVisits(caseId);
  }

  @Post(':caseId/visits')
  @ApiOperation({ summary: 'Record a visit (late entry is fine); a statutory visit with the child seen meets the visit obligation and schedules the next' })
  @ApiWrite('optional')
  async recordVisit(
    @caseIdParam() caseId: string,
    @Body() body: RecordVisitDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.cases.recordVisit(caseId, body, ifMatch, actorFrom(userId)));
  }

  @Post(':caseId/closure')
  @ApiOperation({ summary: 'Close a case; its open obligations and reviews end' })
  @ApiWrite('optional')
  async close(
    @caseIdParam() caseId: string,
    @Body() body: CloseCaseDto,
    @Res({ passthrough: true }) response: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('x-user-id') userId?: string,
  ) {
    return withETag(response, await this.cases.close(caseId, body, ifMatch, actorFrom(userId)));
  }
}
