import { Transaction } from '@plo/messaging';
import { LocalDate } from '@plo/timescales';
import { Conclusion, PloKpiFacts } from '../domain/plo-kpis';

/** A council, or one of its teams (the case's team as PLO last heard it), over a reporting period. */
export interface KpiScope {
  councilId: string;
  teamId: string | null;
  from: string;
  to: string;
}

const SCOPE = `k.council_id = $1 AND ($2::text IS NULL OR k.team_id = $2)`;
const day = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;

/** Each child whose own proceedings concluded in the period. */
export function concludedChildren(tx: Transaction, scope: KpiScope): Promise<Conclusion[]> {
  return tx.query(
    `SELECT ${day('c.issued_on')} AS "issuedOn", ${day('c.concluded_on')} AS "concludedOn"
       FROM child_clocks c JOIN proceedings p ON p.id = c.proceedings_id JOIN known_cases k ON k.case_id = p.case_id
      WHERE ${SCOPE} AND c.concluded_on BETWEEN $3 AND $4`,
    [scope.councilId, scope.teamId, scope.from, scope.to],
  );
}

/**
 * Each set of proceedings whose children have all concluded, the last of them in the period. The
 * last child's day, not the day the last conclusion was recorded: a conclusion entered late may
 * carry an earlier date than a sibling's.
 */
export function concludedCases(tx: Transaction, scope: KpiScope): Promise<Conclusion[]> {
  return tx.query(
    `SELECT ${day('p.issued_on')} AS "issuedOn", ${day('max(c.concluded_on)')} AS "concludedOn"
       FROM proceedings p JOIN child_clocks c ON c.proceedings_id = p.id JOIN known_cases k ON k.case_id = p.case_id
      WHERE ${SCOPE}
      GROUP BY p.id
     HAVING bool_and(c.concluded_on IS NOT NULL) AND max(c.concluded_on) BETWEEN $3 AND $4`,
    [scope.councilId, scope.teamId, scope.from, scope.to],
  );
}

/** Pre-proceedings whose 16 weeks started (a letter was sent) and that ended in the period. */
export function endedPreProceedings(tx: Transaction, scope: KpiScope): Promise<PloKpiFacts['endedPreProceedings'][number][]> {
  return tx.query(
    `SELECT ${day('pp.letter_sent_on')} AS "letterSentOn", ${day('pp.outcome_on')} AS "endedOn",
            EXISTS (SELECT 1 FROM pre_proceedings_extensions e WHERE e.pre_proceedings_id = pp.id) AS extended
       FROM pre_proceedings pp JOIN known_cases k ON k.case_id = pp.case_id
      WHERE ${SCOPE} AND pp.letter_sent_on IS NOT NULL AND pp.outcome_on BETWEEN $3 AND $4`,
    [scope.councilId, scope.teamId, scope.from, scope.to],
  );
}

/**
 * Each child in proceedings on the reporting date (`to`) whose own had not concluded by then, with
 * their completion date as it stood that day: the end of the last extension granted by then, or the
 * 26 weeks.
 */
export function openChildren(
  tx: Transaction,
  scope: KpiScope,
): Promise<{ proceedingsId: string; issuedOn: LocalDate; proceedingsIssuedOn: LocalDate; completionDate: LocalDate }[]> {
  return tx.query(
    `SELECT c.proceedings_id AS "proceedingsId", ${day('c.issued_on')} AS "issuedOn", ${day('p.issued_on')} AS "proceedingsIssuedOn",
            ${day(`coalesce((SELECT e.new_end_date FROM child_extensions e
                              WHERE e.proceedings_id = c.proceedings_id AND e.child_id = c.child_id AND e.granted_on <= $3
                              ORDER BY e.granted_on DESC, e.recorded_at DESC LIMIT 1), c.original_completion_date)`)} AS "completionDate"
       FROM child_clocks c JOIN proceedings p ON p.id = c.proceedings_id JOIN known_cases k ON k.case_id = p.case_id
      WHERE ${SCOPE} AND c.issued_on <= $3 AND (c.concluded_on IS NULL OR c.concluded_on > $3)`,
    [scope.councilId, scope.teamId, scope.to],
  );
}
