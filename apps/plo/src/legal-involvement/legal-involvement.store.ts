import { LegalInvolvement } from '@plo/contracts';
import { Transaction } from '@plo/messaging';

export interface InvolvementStart {
  caseId: string;
  childId: string;
  involvement: LegalInvolvement;
  involvementId: string;
  startDate: string;
}

/** `true` when this start was not recorded before (so it is announced now, and only now). */
export async function recordInvolvementStart(tx: Transaction, start: InvolvementStart): Promise<boolean> {
  const inserted = await tx.query(
    `INSERT INTO legal_involvements (involvement_id, child_id, case_id, involvement, start_date) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (involvement_id, child_id) DO NOTHING RETURNING child_id`,
    [start.involvementId, start.childId, start.caseId, start.involvement, start.startDate],
  );
  return inserted.length > 0;
}

/**
 * Ends the involvement if it is running; what it was and the day it ended. A child who joined on a
 * later day than the end recorded for the whole record (a baby added after the decision that ends
 * them, entered late) ends the day they started, never before.
 */
export async function recordInvolvementEnd(
  tx: Transaction,
  involvementId: string,
  childId: string,
  endDate: string,
  reason: string,
): Promise<{ case_id: string; involvement: LegalInvolvement; end_date: string } | undefined> {
  const [ended] = await tx.query<{ case_id: string; involvement: LegalInvolvement; end_date: string }>(
    `UPDATE legal_involvements SET end_date = GREATEST($3::date, start_date), end_reason = $4
      WHERE involvement_id = $1 AND child_id = $2 AND end_date IS NULL
     RETURNING case_id, involvement, to_char(end_date, 'YYYY-MM-DD') AS end_date`,
    [involvementId, childId, endDate, reason],
  );
  return ended;
}

/** The children whose involvement in these (pre-)proceedings is running. */
export async function runningInvolvementsOf(tx: Transaction, involvementId: string): Promise<string[]> {
  const rows = await tx.query<{ child_id: string }>(
    'SELECT child_id FROM legal_involvements WHERE involvement_id = $1 AND end_date IS NULL ORDER BY child_id',
    [involvementId],
  );
  return rows.map((row) => row.child_id);
}

/** The case's gateway decisions to issue now whose children are still involved: issuing the proceedings ends them. */
export async function issueNowInvolvementsOfCase(tx: Transaction, caseId: string): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `SELECT pp.id FROM pre_proceedings pp
      WHERE pp.case_id = $1 AND pp.decision = 'issue-now'
        AND EXISTS (SELECT 1 FROM legal_involvements li WHERE li.involvement_id = pp.id AND li.end_date IS NULL)
      ORDER BY pp.decided_on, pp.id`,
    [caseId],
  );
  return rows.map((row) => row.id);
}

/** A (pre-)proceedings child's involvement as it stands, for announcing what existed before this release. */
export interface ExistingInvolvement {
  case_id: string;
  involvement_id: string;
  child_id: string;
  involvement: LegalInvolvement;
  start_date: string;
  end_date: string | null;
  end_reason: string | null;
}

/** Cases with records from before this release whose legal involvement is still to be announced. */
export async function casesDueForInvolvementBackfill(tx: Transaction): Promise<string[]> {
  const rows = await tx.query<{ case_id: string }>(
    `SELECT p.case_id FROM child_clocks c JOIN proceedings p ON p.id = c.proceedings_id WHERE c.involvement_backfill_due
     UNION SELECT case_id FROM pre_proceedings WHERE involvement_backfill_due ORDER BY case_id`,
  );
  return rows.map((row) => row.case_id);
}

/**
 * One case's records from before this release, each child with its start and (if over) its end. For
 * pre-proceedings and other gateway decisions the children are those PLO knows of the case: they
 * concern the whole family. Continuing the plan ends the day it was decided; issuing now, on issue.
 */
export async function involvementsDueForBackfill(tx: Transaction, caseId: string): Promise<ExistingInvolvement[]> {
  return tx.query<ExistingInvolvement>(
    `SELECT p.case_id, p.id AS involvement_id, c.child_id, 'care-proceedings' AS involvement, to_char(c.issued_on, 'YYYY-MM-DD') AS start_date,
            to_char(c.concluded_on, 'YYYY-MM-DD') AS end_date, 'proceedings concluded: ' || c.outcome AS end_reason
       FROM child_clocks c JOIN proceedings p ON p.id = c.proceedings_id
      WHERE p.case_id = $1 AND c.involvement_backfill_due
     UNION ALL
     SELECT pp.case_id, pp.id, k.child_id, 'pre-proceedings', to_char(pp.decided_on, 'YYYY-MM-DD'), to_char(e.end_date, 'YYYY-MM-DD'), e.reason
       FROM pre_proceedings pp JOIN known_case_children k ON k.case_id = pp.case_id
       CROSS JOIN LATERAL (
         SELECT pp.outcome_on AS end_date,
                CASE pp.outcome WHEN 'step-down' THEN 'pre-proceedings ended: stepped down' ELSE 'pre-proceedings ended: proceedings to be issued' END AS reason
          WHERE pp.decision = 'pre-proceedings'
         UNION ALL
         SELECT pp.decided_on, 'legal gateway: continue with the current plan' WHERE pp.decision = 'continue-plan'
         UNION ALL
         SELECT (SELECT min(p.issued_on) FROM proceedings p WHERE p.case_id = pp.case_id AND p.issued_on >= pp.decided_on),
                'pre-proceedings ended: proceedings issued'
          WHERE pp.decision = 'issue-now'
       ) e
      WHERE pp.case_id = $1 AND pp.involvement_backfill_due
      ORDER BY start_date, involvement_id, child_id`,
    [caseId],
  );
}

export async function markInvolvementBackfilled(tx: Transaction, caseId: string): Promise<void> {
  await tx.query(
    `UPDATE child_clocks c SET involvement_backfill_due = false FROM proceedings p WHERE p.id = c.proceedings_id AND p.case_id = $1 AND c.involvement_backfill_due`,
    [caseId],
  );
  await tx.query('UPDATE pre_proceedings SET involvement_backfill_due = false WHERE case_id = $1 AND involvement_backfill_due', [caseId]);
}
