import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { applyDecorators, Body, Controller, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CaseAccessGuard } from '../case/case-access.guard';
import { caseIdParam } from '../case/http';
import { AddCaseNoteDto, AmendCaseNoteDto } from './case-notes.dto';
import { CaseNotesService } from './case-notes.service';
import { CaseNoteView } from './case-notes.views';

/** Documents a note write: notes are appended, so there is no If-Match, only these refusals. */
const NoteWriteErrors = () =>
  applyDecorators(
    ApiBadRequestResponse({ description: 'Invalid input: every failing field is named in `fields`; nothing is written' }),
    ApiNotFoundResponse({ description: 'Unknown case or note' }),
    ApiConflictResponse({ description: 'The case is closed' }),
  );

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
  @NoteWriteErrors()
  @ApiCreatedResponse({ type: CaseNoteView })
  add(@CurrentPrincipal() principal: Principal, @caseIdParam() caseId: string, @Body() body: AddCaseNoteDto) {
    return this.notes.add(caseId, body, actorOf(principal));
  }

  @Post(':caseId/notes/:noteId/amendments')
  @Roles('social-worker', 'team-manager', 'service-manager', 'administrator')
  @Audited('alteration', 'case-note', 'caseId')
  @ApiOperation({ summary: 'Amend a note: a new version with the reason; the earlier versions stay as they were written' })
  @NoteWriteErrors()
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
