import { Injectable } from '@nestjs/common';
import type { Transaction } from '@plo/messaging';

/** What alerting knows of a case: enough to decide who may see it. */
export interface KnownCase {
  councilId: string;
  teamId: string;
  allocatedWorkerId: string;
  legalStatus: string | null;
}

/** The obligations as the API shows them. */
@Injectable()
export class ObligationsStore {
  async knownCase(tx: Transaction, caseId: string): Promise<KnownCase | undefined> {
    const [known] = await tx.query<KnownCase>(
      `SELECT council_id AS "councilId", team_id AS "teamId", allocated_worker_id AS "allocatedWorkerId", legal_status AS "legalStatus"
         FROM case_directory WHERE case_id = $1`,
      [caseId],
    );
    return known;
  }

  ofCase(tx: Transaction, caseId: string) {
    return tx.query(
      `SELECT id, case_id AS "caseId", child_id AS "childId", kind, rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
              overdue_at AS "overdueAt", explanation, responsible_team_id AS "responsibleTeamId",
              responsible_worker_id AS "responsibleWorkerId", status, to_char(satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn",
              ended_reason AS "endedReason"
         FROM obligations WHERE case_id = $1 ORDER BY due_date, id`,
      [caseId],
    );
  }
}
