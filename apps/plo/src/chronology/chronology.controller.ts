import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { PLO_READERS } from '../access/plo-access';
import { ChronologyQuery } from './chronology.dto';
import { ChronologyService } from './chronology.service';
import { PloChronologyEntryView } from './chronology.views';

@ApiTags('proceedings')
@ApiBearerAuth()
@Controller('chronology')
export class ChronologyController {
  constructor(private readonly chronology: ChronologyService) {}

  @Get()
  @Roles(...PLO_READERS)
  @Audited('consultation', 'proceedings')
  @ApiOperation({
    summary:
      "What the PLO recorded for a case, oldest first, for its chronology: gateway decisions, letters, meetings, extensions and outcomes of pre-proceedings; issue, children joining, stages, hearings listed, moved (from and to), vacated, adjourned and held, draft orders, extensions, orders and each child's conclusion. Empty for a case the caller may not see, as the case's proceedings list is",
  })
  @ApiOkResponse({ type: [PloChronologyEntryView] })
  list(@Query() query: ChronologyQuery, @CurrentPrincipal() principal: Principal) {
    return this.chronology.ofCase(query.caseId, principal);
  }
}
