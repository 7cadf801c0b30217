import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { CaseAccessGuard } from '../case/case-access.guard';
import { Body, Controller, Get, Headers, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CaseRecordService } from './case-record.service';
import {
  AllocateCaseDto,
  ChangeLegalStatusDto,
  CloseCaseDto,
  ListCasesQuery,
  NewChildDto,
  OpenCaseDto,
  PlacementDto,
  UpdateCaseDetailsDto,
} from './case-record.dto';
import { ApiWrite, assertMayWriteFor, caseIdParam, ETAG_HEADER, withETag } from '../case/http';
import { CaseListView, CaseRecordView, CaseWithNewChildView, ChildView } from './case-record.view';

@ApiTags('cases')
@UseGuards(CaseAccessGuard)
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CaseRecordService) {}

  @Post()
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'case')
  @ApiOperation({
    summary:
      'Open a case for one or more children (backfilled dates welcome); schedules the first visit, and for a looked-after child the first review',
  })
  @ApiBadRequestResponse({ description: 'Invalid input: every failing field is named in `fields`; nothing is written' })
  @ApiConflictResponse({ description: 'The case reference is already used in the council' })
  @ApiCreatedResponse({ type: CaseRecordView, headers: ETAG_HEADER, description: 'The case as opened' })
  async open(@CurrentPrincipal() principal: Principal, @Body() body: OpenCaseDto, @Res({ passthrough: true }) response: FastifyReply) {
    assertMayWriteFor(principal, body.councilId, body.teamId);
    return withETag(response, await this.cases.open(body, actorOf(principal)));
  }

  @Get()
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'case')
  @ApiOperation({
    summary:
      "List a council's cases, filtered and paginated; each with its overdue obligations and the next one due ('my team's cases with what is overdue': ?teamId=…&overdue=true)",
  })
  @ApiOkResponse({ type: CaseListView })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListCasesQuery) {
    return this.cases.list(query, principal);
  }

  @Get(':caseId')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'case', 'caseId')
  @ApiOperation({ summary: 'A case with its children, legal status and allocation histories, placements and obligations; ETag = version' })
  @ApiOkResponse({ type: CaseRecordView, headers: ETAG_HEADER, description: 'The case; the ETag header carries its version for If-Match' })
  async get(@caseIdParam() caseId: string, @Res({ passthrough: true }) response: FastifyReply) {
    return withETag(response, await this.cases.get(caseId));
  }

  @Patch(':caseId')
  @Roles('team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'case', 'caseId')
  @ApiOperation({ summary: 'Change the team manager and/or legal lead' })
  @ApiWrite('required')
  @ApiOkResponse({ type: CaseRecordView, headers: ETAG_HEADER, description: 'The case as changed' })
  async updateDetails(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: UpdateCaseDetailsDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.cases.updateDetails(caseId, body, ifMatch, actorOf(principal)));
  }

  @Post(':caseId/allocations')
  @Roles('team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'case', 'caseId')
  @ApiOperation({ summary: 'Re-allocate the case (history kept); open obligations follow the new worker' })
  @ApiWrite('required')
  @ApiCreatedResponse({ type: CaseRecordView, headers: ETAG_HEADER, description: 'The case as re-allocated' })
  async allocate(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: AllocateCaseDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.cases.allocate(caseId, body, ifMatch, actorOf(principal)));
  }

  @Post(':caseId/legal-status')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'case', 'caseId')
  @ApiOperation({
    summary: "Change the child's legal status; ends the old status and its reviews, reschedules the visit by the new status's rule",
  })
  @ApiWrite('required')
  @ApiCreatedResponse({ type: CaseRecordView, headers: ETAG_HEADER, description: 'The case with its new legal status' })
  async changeLegalStatus(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: ChangeLegalStatusDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.cases.changeLegalStatus(caseId, body, ifMatch, actorOf(principal)));
  }

  @Get(':caseId/children')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'child', 'caseId')
  @ApiOperation({ summary: 'The children on the case (siblings; unborn children with their expected date)' })
  @ApiOkResponse({ type: [ChildView] })
  children(@caseIdParam() caseId: string) {
    return this.cases.listChildren(caseId);
  }

  @Post(':caseId/children')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'child', 'caseId')
  @ApiOperation({ summary: 'Add a child (a sibling, or an unborn child with expectedDateOfBirth)' })
  @ApiWrite('optional')
  @ApiCreatedResponse({
    type: CaseWithNewChildView,
    headers: ETAG_HEADER,
    description: 'The case with the child added, and the new child’s id',
  })
  async addChild(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: NewChildDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.cases.addChild(caseId, body, ifMatch, actorOf(principal)));
  }

  @Post(':caseId/placements')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'placement', 'caseId')
  @ApiOperation({ summary: 'Record a looked-after child’s new placement; the next visit is due within a week of it (reg 28(2))' })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: CaseRecordView, headers: ETAG_HEADER, description: 'The case with the placement and the rescheduled visit' })
  async startPlacement(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: PlacementDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.cases.startPlacement(caseId, body, ifMatch, actorOf(principal)));
  }

  @Post(':caseId/closure')
  @Roles('team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'case', 'caseId')
  @ApiOperation({ summary: 'Close a case; its open obligations and reviews end' })
  @ApiWrite('optional')
  @ApiCreatedResponse({ type: CaseRecordView, headers: ETAG_HEADER, description: 'The closed case' })
  async close(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Body() body: CloseCaseDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.cases.close(caseId, body, ifMatch, actorOf(principal)));
  }
}
