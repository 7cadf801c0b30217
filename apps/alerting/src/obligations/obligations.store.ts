import { Injectable } from '@nestjs/common';
import type { Transaction } from '@plo/messaging';

/** What alerting knows of a case: enough to decide who may see it. */
export interface KnownCase {
  councilId: string;
  teamId: string;
  allocatedWorkerId: string;
  /** The first day a child of the case had legal involvement: from then on legal staff may see it. */
  legalInvolvedSince: string | null;
}

/** The obligations as the API shows them. */
@Injectable()
export class ObligationsStore {
  async knownCase(tx: Transaction, caseId: string): Promise<KnownCase | undefined> {
    const [known] = await tx.query<KnownCase>(
      `SELECT council_id AS "councilId", team_id AS "teamId", allocated_worker_id AS "allocatedWorkerId",
              to_char(legal_involved_since, 'YYYY-MM-DD') AS "legalInvolvedSince"
         FROM case_directory WHERE case_id = $1`,
      [caseId],
    );
    return known;
  }

  /** The team and worker are the case's now (alerting's copy of cases' allocation), as for its alerts. */
  ofCase(tx: Transaction, caseId: string) {
    return tx.query(
      `SELECT o.id, o.case_id AS "caseId", o.child_id AS "childId", o.kind, o.rule_id AS "ruleId",
              to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate", o.overdue_at AS "overdueAt", o.explanation,
              c.team_id AS "responsibleTeamId", c.allocated_worker_id AS "responsibleWorkerId", o.status,
              to_char(o.satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn", o.ended_reason AS "endedReason", o.historical
         FROM obligations o JOIN case_directory c ON c.case_id = o.case_id
        WHERE o.case_id = $1 ORDER BY o.due_date, o.id`,
      [caseId],
    );
  }
}
