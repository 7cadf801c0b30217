import { Controller, Get, NotFoundException, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Audited, canSeeCase, CurrentPrincipal, Principal, Roles } from '@plo/platform';

@ApiTags('obligations')
@ApiBearerAuth()
@Controller('obligations')
export class ObligationsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @Roles('social-worker', 'team-manager', 'service-manager', 'legal')
  @Audited('consultation', 'case-obligations')
  @ApiOperation({ summary: "A case's obligations as alerting knows them; 404 for a case the caller may not see (or alerting has not heard of)" })
  @ApiQuery({ name: 'caseId', required: true })
  async forCase(@Query('caseId', new ParseUUIDPipe()) caseId: string, @CurrentPrincipal() principal: Principal) {
    const [known] = await this.dataSource.query(
      `SELECT council_id AS "councilId", team_id AS "teamId", allocated_worker_id AS "allocatedWorkerId", legal_status AS "legalStatus"
         FROM case_directory WHERE case_id = $1`,
      [caseId],
    );
    if (!known || !canSeeCase(principal, { ...known, inPlo: known.legalStatus === 'plo' })) throw new NotFoundException(`case ${caseId} does not exist`);
    return this.dataSource.query(
      `SELECT id, case_id AS "caseId", child_id AS "childId", kind, rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
              overdue_at AS "overdueAt", explanation, responsible_team_id AS "responsibleTeamId",
              responsible_worker_id AS "responsibleWorkerId", status, to_char(satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn",
              ended_reason AS "endedReason"
         FROM obligations WHERE case_id = $1 ORDER BY due_date, id`,
      [caseId],
    );
  }
}
