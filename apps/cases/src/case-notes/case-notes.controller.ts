import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseAccessGuard } from '../case/case-access.guard';
import { ApiAppendWrite, caseIdParam } from '../case/http';
import { AddCaseNoteDto, AmendCaseNoteDto } from './case-notes.dto';
import { CaseNotesService } from './case-notes.service';
import { CaseNoteView } from './case-notes.views';

@ApiTags('cases')
@UseGuards(CaseAccessGuard)
@Controller('cases')
export class CaseNotesController {
  constructor(private readonly notes: CaseNotesService) {}

  @Get(':caseId/notes')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal', 'administrator')
  @Audited('consultation', 'case-note', 'caseId')
  @ApiOperation({ summary: 'Case notes, by when what they record happened, each with every version' })
  @ApiOkResponse({ type: [CaseNoteView] })
  list(@caseIdParam() caseId: string) {
    return this.notes.list(caseId);
  }

  @Post(':caseId/notes')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('collection', 'case-note', 'caseId')
  @ApiOperation({ summary: 'Record a case note about some or all of the children; a significant one appears in their chronologies' })
  @ApiAppendWrite('case or note')
  @ApiCreatedResponse({ type: CaseNoteView })
  add(@CurrentPrincipal() principal: Principal, @caseIdParam() caseId: string, @Body() body: AddCaseNoteDto) {
    return this.notes.add(caseId, body, actorOf(principal));
  }

  @Post(':caseId/notes/:noteId/amendments')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'case-note', 'caseId')
  @ApiOperation({ summary: 'Amend a note: a new version with the reason; the earlier versions stay as they were written' })
  @ApiAppendWrite('case or note')
  @ApiCreatedResponse({ type: CaseNoteView, description: 'The note with all its versions' })
  amend(
    @CurrentPrincipal() principal: Principal,
    @caseIdParam() caseId: string,
    @Param('noteId', new ParseUUIDPipe()) noteId: string,
    @Body() body: AmendCaseNoteDto,
  ) {
    return this.notes.amend(caseId, noteId, body, actorOf(principal));
  }
}
