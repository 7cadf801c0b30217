import { Controller, Get, NotFoundException, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { UnitOfWork } from '@plo/messaging';
import { Audited, canSeeCase, CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { ObligationsStore } from './obligations.store';
import { Obligation } from './obligations.views';

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('obligations')
export class ObligationsController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: ObligationsStore,
  ) {}

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
