import { Injectable } from '@nestjs/common';
import type { Transaction } from '@plo/messaging';
import { caseVisibilitySql, type Principal } from '@plo/platform';
import type { DueObligation } from './obligations.views';

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

  /**
   * Open obligations not yet overdue whose overdue instant is at most `until`, on the cases the
   * principal may see (optionally one team's, the case's team now), soonest first. The overdue
   * instant bounds the scan through its index; the due date then keeps the window to whole days.
   */
  async dueSoon(
    tx: Transaction,
    principal: Principal,
    window: { now: Date; until: Date; to: string; teamId?: string; limit: number },
  ): Promise<{ total: number; items: DueObligation[] }> {
    const values: unknown[] = [window.now.toISOString(), window.until.toISOString(), window.to];
    const conditions = [
      `o.status = 'open'`,
      'NOT o.historical',
      'o.overdue_at > $1',
      'o.overdue_at <= $2',
      'o.due_date <= $3::date',
      caseVisibilitySql(
        principal,
        {
          councilId: 'c.council_id',
          teamId: 'c.team_id',
          allocatedWorkerId: 'c.allocated_worker_id',
          inPlo: 'c.legal_involved_since IS NOT NULL',
        },
        values,
      ),
    ];
    if (window.teamId) {
      values.push(window.teamId);
      conditions.push(`c.team_id = $${values.length}`);
    }
    values.push(window.limit);
    const rows = await tx.query<DueObligation & { total: number }>(
      `SELECT o.id, o.case_id AS "caseId", o.child_id AS "childId", o.kind, o.rule_id AS "ruleId",
              to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate", o.overdue_at AS "overdueAt", o.explanation,
              c.team_id AS "responsibleTeamId", c.allocated_worker_id AS "responsibleWorkerId", o.status,
              to_char(o.satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn", o.ended_reason AS "endedReason", o.historical,
              c.case_reference AS "caseReference", (count(*) OVER ())::int AS total
         FROM obligations o JOIN case_directory c ON c.case_id = o.case_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY o.overdue_at, o.id LIMIT $${values.length}`,
      values,
    );
    return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _, ...item }) => item) };
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
