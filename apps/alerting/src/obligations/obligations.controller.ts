import { Controller, Get, NotFoundException, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { UnitOfWork } from '@plo/messaging';
import { Audited, canSeeCase, Clock, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { addDays, londonDateOf, overdueAt } from '@plo/timescales';
import { DueObligationsQuery } from './obligations.dto';
import { ObligationsStore } from './obligations.store';
import { DueObligations, Obligation } from './obligations.views';

const DEFAULT_DAYS = 7;
const DEFAULT_LIMIT = 200;

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('obligations')
export class ObligationsController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: ObligationsStore,
    private readonly clock: Clock,
  ) {}

  @Get('due')
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal')
  @Audited('consultation', 'case-obligations')
  @ApiOperation({
    summary:
      "Open obligations falling due from now to the end of a window of days (visits, reviews, court deadlines), on the cases the caller may see (optionally one team's)",
  })
  @ApiOkResponse({ type: DueObligations })
  async due(@Query() query: DueObligationsQuery, @CurrentPrincipal() principal: Principal): Promise<DueObligations> {
    const now = this.clock.now();
    const from = londonDateOf(now);
    const to = addDays(from, query.days ?? DEFAULT_DAYS);
    const { total, items } = await this.unitOfWork.read((reads) =>
      this.store.dueSoon(reads, principal, { now, until: overdueAt(to), to, teamId: query.teamId, limit: query.limit ?? DEFAULT_LIMIT }),
    );
    return { teams: query.teamId ? [query.teamId] : principal.teamIds, from, to, total, items };
  }

  @Get()
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal')
  @Audited('consultation', 'case-obligations')
  @ApiOperation({
    summary: "A case's obligations as alerting knows them; 404 for a case the caller may not see (or alerting has not heard of)",
  })
  @ApiQuery({ name: 'caseId', required: true, schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: [Obligation], description: 'By due date' })
  async forCase(@Query('caseId', new ParseUUIDPipe()) caseId: string, @CurrentPrincipal() principal: Principal) {
    return this.unitOfWork.transaction(async (tx) => {
      const known = await this.store.knownCase(tx, caseId);
      if (!known || !canSeeCase(principal, { ...known, inPlo: known.legalInvolvedSince !== null }))
        throw new NotFoundException(`case ${caseId} does not exist`);
      return this.store.ofCase(tx, caseId);
    });
  }
}
