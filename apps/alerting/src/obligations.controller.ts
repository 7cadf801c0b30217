import { Controller, Get, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';

@ApiTags('obligations')
@Controller('obligations')
export class ObligationsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: "A case's obligations as alerting knows them" })
  @ApiQuery({ name: 'caseId', required: true })
  async forCase(@Query('caseId', new ParseUUIDPipe()) caseId: string) {
    return this.dataSource.query(
      `SELECT id, case_id AS "caseId", kind, rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
              overdue_at AS "overdueAt", explanation, responsible_team_id AS "responsibleTeamId",
              responsible_worker_id AS "responsibleWorkerId", status, to_char(satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn",
              ended_reason AS "endedReason"
         FROM obligations WHERE case_id = $1 ORDER BY due_date, id`,
      [caseId],
    );
  }
}
