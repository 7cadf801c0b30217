import { Transaction } from '@plo/messaging';
import type { Principal } from '@plo/platform';
import { visibleCasesSql } from '../access/access.store';
import type { PloChronologyEntryView, PloChronologyEvent } from './chronology.views';

const day = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;
const londonDay = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`;

type Row = Partial<Omit<PloChronologyEntryView, 'recordedAt'>> & { date: string; event: PloChronologyEvent; recordedAt?: Date | null };

/** Whether the caller may see the case's PLO records: the same rule as the case's proceedings list. */
export async function caseVisibleTo(tx: Transaction, caseId: string, principal: Principal): Promise<boolean> {
  const parameters: unknown[] = [caseId];
  const visible = visibleCasesSql(principal, 'k', parameters);
  return (await tx.query(`SELECT 1 FROM known_cases k WHERE k.case_id = $1 AND ${visible}`, parameters)).length > 0;
}

/**
 * Every dated fact the service holds about the case's pre-proceedings and proceedings, unsorted. Each
 * query reads one table; a hearing's history comes from `hearing_changes`, and a hearing recorded
 * before that history was kept is reported once by its current state.
 */
export async function chronologyRows(tx: Transaction, caseId: string): Promise<Row[]> {
  const queries: string[] = [
    `SELECT 'gateway-decision' AS event, ${day('decided_on')} AS date, decision AS detail, short_notice_reason AS reason,
            id AS "preProceedingsId", created_at AS "recordedAt"
       FROM pre_proceedings WHERE case_id = $1`,
    `SELECT 'letter-before-proceedings' AS event, ${day('letter_sent_on')} AS date, id AS "preProceedingsId"
       FROM pre_proceedings WHERE case_id = $1 AND letter_sent_on IS NOT NULL`,
    `SELECT 'pre-proceedings-meeting' AS event, ${day('last_meeting_on')} AS date, meetings_held::text AS detail, id AS "preProceedingsId"
       FROM pre_proceedings WHERE case_id = $1 AND last_meeting_on IS NOT NULL`,
    `SELECT 'pre-proceedings-extended' AS event, ${day('e.decided_on')} AS date, e.reason, ${day('e.previous_end_date')} AS "fromDate",
            ${day('e.new_end_date')} AS "toDate", pp.id AS "preProceedingsId", e.recorded_at AS "recordedAt"
       FROM pre_proceedings_extensions e JOIN pre_proceedings pp ON pp.id = e.pre_proceedings_id WHERE pp.case_id = $1`,
    `SELECT 'pre-proceedings-ended' AS event, ${day('outcome_on')} AS date, outcome AS detail, outcome_reason AS reason, id AS "preProceedingsId"
       FROM pre_proceedings WHERE case_id = $1 AND outcome_on IS NOT NULL`,
    `SELECT 'proceedings-issued' AS event, ${day('issued_on')} AS date, court_case_number AS detail, id AS "proceedingsId", created_at AS "recordedAt"
       FROM proceedings WHERE case_id = $1`,
    `SELECT 'child-joined-proceedings' AS event, ${day('c.issued_on')} AS date, c.child_id AS "childId", p.id AS "proceedingsId"
       FROM child_clocks c JOIN proceedings p ON p.id = c.proceedings_id WHERE p.case_id = $1 AND c.issued_on <> p.issued_on`,
    `SELECT 'stage-entered' AS event, ${day('s.entered_on')} AS date, s.stage AS detail, p.id AS "proceedingsId", s.recorded_at AS "recordedAt"
       FROM stage_history s JOIN proceedings p ON p.id = s.proceedings_id WHERE p.case_id = $1`,
    `SELECT 'extension-granted' AS event, ${day('e.granted_on')} AS date, e.reason, e.child_id AS "childId", p.id AS "proceedingsId",
            e.hearing_id AS "hearingId", ${day('e.previous_end_date')} AS "fromDate", ${day('e.new_end_date')} AS "toDate", e.recorded_at AS "recordedAt"
       FROM child_extensions e JOIN proceedings p ON p.id = e.proceedings_id WHERE p.case_id = $1`,
    `SELECT 'order-made' AS event, ${day('o.made_on')} AS date, o.order_type AS detail, o.child_id AS "childId", p.id AS "proceedingsId",
            o.hearing_id AS "hearingId", ${day('o.ends_on')} AS "toDate", o.recorded_at AS "recordedAt"
       FROM child_orders o JOIN proceedings p ON p.id = o.proceedings_id WHERE p.case_id = $1`,
    `SELECT 'child-proceedings-concluded' AS event, ${day('c.concluded_on')} AS date, c.outcome AS detail, c.child_id AS "childId", p.id AS "proceedingsId"
       FROM child_clocks c JOIN proceedings p ON p.id = c.proceedings_id WHERE p.case_id = $1 AND c.concluded_on IS NOT NULL`,
    // Held or adjourned on the hearing's day (unless recorded before it); listed, moved or vacated on the day recorded.
    `SELECT 'hearing-' || h.change AS event,
            CASE WHEN h.change IN ('held', 'adjourned') THEN least(${day('h.hearing_date')}, ${londonDay('h.recorded_at')})
                 ELSE ${londonDay('h.recorded_at')} END AS date,
            p.id AS "proceedingsId", h.hearing_id AS "hearingId", h.hearing_type AS "hearingType",
            ${day('h.previous_hearing_date')} AS "fromDate", ${day('h.hearing_date')} AS "toDate", h.recorded_at AS "recordedAt"
       FROM hearing_changes h JOIN proceedings p ON p.id = h.proceedings_id WHERE p.case_id = $1`,
    `SELECT CASE WHEN h.status IN ('held', 'adjourned', 'vacated') THEN 'hearing-' || h.status ELSE 'hearing-listed' END AS event,
            ${day('h.hearing_date')} AS date, p.id AS "proceedingsId", h.id AS "hearingId", h.hearing_type AS "hearingType",
            ${day('h.hearing_date')} AS "toDate"
       FROM hearings h JOIN proceedings p ON p.id = h.proceedings_id
      WHERE p.case_id = $1 AND NOT EXISTS (SELECT 1 FROM hearing_changes c WHERE c.hearing_id = h.id)`,
    `SELECT 'draft-order-uploaded' AS event, ${day('h.draft_order_uploaded_on')} AS date, p.id AS "proceedingsId", h.id AS "hearingId",
            h.hearing_type AS "hearingType", ${day('h.hearing_date')} AS "toDate"
       FROM hearings h JOIN proceedings p ON p.id = h.proceedings_id WHERE p.case_id = $1 AND h.draft_order_uploaded_on IS NOT NULL`,
  ];
  const rows: Row[] = [];
  for (const sql of queries) rows.push(...(await tx.query<Row>(sql, [caseId])));
  return rows;
}
