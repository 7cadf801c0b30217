import { Body, Controller, Headers, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { CaseAccessGuard } from '../case/case-access.guard';
import { ApiWrite, caseIdParam, ETAG_HEADER, withETag } from '../case/http';
import { CaseRecordView } from '../case-record/case-record.view';
import { EndChildStatusDto, StartChildStatusDto } from './child-statuses.dto';
import { ChildStatusesService } from './child-statuses.service';

export class CaseWithChildStatusView extends CaseRecordView {
  @ApiProperty({ format: 'uuid', description: 'The status started or ended' }) statusId: string;
}

@ApiTags('cases')
@UseGuards(CaseAccessGuard)
@Controller('cases')
export class ChildStatusesController {
  constructor(private readonly statuses: ChildStatusesService) {}

  @Post(':caseId/children/:childId/statuses')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'child', 'caseId')
  @ApiOperation({
    summary:
      "Start one of a child's statuses (CIN, CP plan, looked after with its basis); a child holds several at once. A looked-after child given another basis changes basis without restarting reg 28 visits or the reg 33 series",
  })
  @ApiWrite('optional')
  @ApiBadRequestResponse({ description: 'Invalid input: every failing field is named in `fields`' })
  @ApiConflictResponse({ description: 'The child already holds the status (with that basis)' })
  @ApiUnprocessableEntityResponse({ description: 'Contradicts what is recorded (basis missing or refused, a future date…): fields named' })
  @ApiCreatedResponse({ type: CaseWithChildStatusView, headers: ETAG_HEADER, description: 'The case with the child’s statuses' })
  async start(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('childId', new ParseUUIDPipe()) childId: string,
    @Body() body: StartChildStatusDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.statuses.start(caseId, childId, body, ifMatch, actorOf(principal)));
  }

  @Post(':caseId/children/:childId/statuses/:statusId/end')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'child', 'caseId')
  @ApiOperation({ summary: "End one of a child's statuses; only that child's obligations and review series of that status end" })
  @ApiWrite('optional')
  @ApiBadRequestResponse({ description: 'Invalid input: every failing field is named in `fields`' })
  @ApiConflictResponse({ description: 'The status already ended, or it follows the PLO service' })
  @ApiUnprocessableEntityResponse({ description: 'The end date is before the status began or in the future: fields named' })
  @ApiCreatedResponse({ type: CaseWithChildStatusView, headers: ETAG_HEADER, description: 'The case with the child’s statuses' })
  async end(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('childId', new ParseUUIDPipe()) childId: string,
    @Param('statusId', new ParseUUIDPipe()) statusId: string,
    @Body() body: EndChildStatusDto,
    @Res({ passthrough: true }) response: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ) {
    return withETag(response, await this.statuses.end(caseId, childId, statusId, body, ifMatch, actorOf(principal)));
  }
}
