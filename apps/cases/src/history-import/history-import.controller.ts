import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actorOf, Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { SsdImportDto } from './history-import.dto';
import { HistoryImportService } from './history-import.service';
import { HistoryImportReportView, ImportCountsView } from './history-import.views';

@ApiTags('history import')
@Controller('history-imports')
export class HistoryImportController {
  constructor(private readonly imports: HistoryImportService) {}

  @Post('ssd')
  @HttpCode(200)
  @Roles('administrator')
  @Audited('collection', 'history-import')
  @ApiExtraModels(ImportCountsView)
  @ApiOperation({
    summary:
      "Load the council's history from a Standard Safeguarding Dataset extract (up to 32 MB): one case per family, each row replayed through the same rules as live entries. Reports every row not applied. Only what is still owed when the history ends is scheduled (and alerts if overdue); drift the history already settled is kept as history and delivered to nobody. Running it again opens nothing twice.",
  })
  @ApiOkResponse({ type: HistoryImportReportView })
  @ApiBadRequestResponse({ description: 'The body is not an object of CSV texts keyed by table' })
  importSsd(@CurrentPrincipal() principal: Principal, @Body() body: SsdImportDto) {
    return this.imports.importSsd(principal.councilId, body.tables, body.caseReferencePrefix ?? '', actorOf(principal));
  }
}
