import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited, CurrentPrincipal, kpiScope, Principal, Roles } from '@plo/platform';
import { PloKpiQuery } from './kpis.dto';
import { PloKpisService } from './kpis.service';
import { PloKpiReportView } from './kpis.views';

const PROBLEM = { $ref: '#/components/schemas/Problem' };

@ApiTags('KPIs')
@ApiBearerAuth()
@Controller('kpis')
export class PloKpisController {
  constructor(private readonly kpis: PloKpisService) {}

  @Get()
  @Roles('team-manager', 'service-manager', 'administrator')
  @Audited('combination', 'kpi')
  @ApiOperation({
    summary:
      'The PLO figures for a council or team: proceedings concluded within 26 weeks and average weeks (per child and per case), ' +
      'pre-proceedings ended within 16 weeks, and open proceedings by weeks run; each with its definition and source',
  })
  @ApiOkResponse({ type: PloKpiReportView })
  @ApiNotFoundResponse({ schema: PROBLEM, description: 'Another council than yours' })
  report(@CurrentPrincipal() principal: Principal, @Query() query: PloKpiQuery) {
    return this.kpis.report(kpiScope(principal, query), query.from, query.to);
  }
}
