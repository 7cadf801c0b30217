import { Injectable } from '@nestjs/common';
import { Transaction } from '@plo/messaging';
import { ChronologyEntryView } from './chronology.views';

/** `looked-after` as a sentence starts: `Looked after`. */
const label = (column: string) => `upper(left(replace(${column}, '-', ' '), 1)) || substr(replace(${column}, '-', ' '), 2)`;

/** Where a child's status came from when PLO owns the fact behind it (docs/per-child.md). */
const FROM_PLO = `s.source IN ('legal-involvement', 'court-order') OR s.status IN ('pre-proceedings', 'care-proceedings')`;

/** How much of a note's text the chronology shows: an entry is a line, the note itself is one click away. */
const NOTE_EXCERPT = 300;

/**
 * A child's chronology, assembled when asked from what cases holds (`$1` the case, `$2` the child).
 * Case-level facts (allocations, reviews recorded before reviews were per child) belong to every
 * child of the case; a contact or referral to the children it names. A hearing belongs to each child
 * in its proceedings on its day: from the day the child's 26 weeks began until their proceedings
 * concluded. Ties on a day keep the order the facts were recorded in (by their owner, for PLO's and
 * alerting's).
 */
const CHRONOLOGY = `
  SELECT to_char(date, 'YYYY-MM-DD') AS date, event, source, significance, "recordType", "recordId" FROM (
    SELECT s.start_date AS date, ${label('s.status')} || ' started' || coalesce(' (' || replace(s.basis, '-', ' ') || ')', '') AS event,
           CASE WHEN ${FROM_PLO} THEN 'plo' ELSE 'cases' END AS source, 'significant' AS significance,
           'child-status' AS "recordType", s.id AS "recordId", s.recorded_at AS at
      FROM child_statuses s WHERE s.case_id = $1 AND s.child_id = $2
    UNION ALL
    SELECT s.end_date, ${label('s.status')} || ' ended' || coalesce(': ' || s.end_reason, ''),
           CASE WHEN ${FROM_PLO} THEN 'plo' ELSE 'cases' END, 'significant', 'child-status', s.id, s.recorded_at
      FROM child_statuses s WHERE s.case_id = $1 AND s.child_id = $2 AND s.end_date IS NOT NULL
    UNION ALL
    SELECT a.start_date, 'Allocated to ' || a.worker_id || ' (team ' || a.team_id || ')', 'cases', 'routine', 'allocation', a.id, a.recorded_at
      FROM allocations a WHERE a.case_id = $1
    UNION ALL
    SELECT v.visited_on, 'Seen on a ' || replace(v.visit_type, '-', ' ') || ' visit (' || replace(v.purpose, '-', ' ') || ')'
             || CASE WHEN v.seen_alone THEN ', seen alone' ELSE '' END,
           'cases', 'routine', 'visit', v.id, v.recorded_at
      FROM visits v WHERE v.case_id = $1 AND v.child_seen AND $2 = ANY (v.children_seen)
    UNION ALL
    SELECT r.held_on, ${label('r.kind')} || ' held' || coalesce(': ' || replace(r.outcome, '-', ' '), ''), 'cases', 'significant', 'review', r.id, r.created_at
      FROM reviews r WHERE r.case_id = $1 AND r.status = 'held' AND (r.child_id IS NULL OR r.child_id = $2)
    UNION ALL
    SELECT r.received_on, ${label('r.kind')} || ' received' || coalesce(' from ' || r.source, '')
             || coalesce('; decided ' || to_char(r.decided_on, 'YYYY-MM-DD') || ': ' || replace(r.outcome, '-', ' '), ''),
           'cases', CASE r.kind WHEN 'referral' THEN 'significant' ELSE 'routine' END, 'referral', r.id, r.created_at
      FROM referrals r WHERE r.case_id = $1 AND $2 = ANY (r.child_ids)
    UNION ALL
    SELECT a.started_on, 'Assessment started', 'cases', 'significant', 'assessment', a.id, a.created_at
      FROM assessments a WHERE a.case_id = $1 AND a.child_id = $2
    UNION ALL
    SELECT coalesce(a.completed_on, a.cancelled_on),
           CASE WHEN a.completed_on IS NOT NULL THEN 'Assessment completed: ' || replace(a.outcome, '-', ' ')
                ELSE 'Assessment cancelled: ' || a.cancellation_reason END,
           'cases', 'significant', 'assessment', a.id, a.created_at
      FROM assessments a WHERE a.case_id = $1 AND a.child_id = $2 AND (a.completed_on IS NOT NULL OR a.cancelled_on IS NOT NULL)
    UNION ALL
    SELECT d.held_on, 'Strategy discussion (' || (SELECT string_agg(DISTINCT p->>'agency', ', ') FROM jsonb_array_elements(d.participants) p)
             || '): ' || CASE d.decision WHEN 'section-47' THEN 's.47 enquiry' WHEN 'cin' THEN 'child in need' ELSE 'no further action' END,
           'cases', 'significant', 'strategy-discussion', d.id, d.recorded_at
      FROM strategy_discussions d WHERE d.case_id = $1 AND $2 = ANY (d.child_ids)
    UNION ALL
    SELECT e.started_on, 'S.47 enquiry started', 'cases', 'significant', 'section-47-enquiry', e.id, e.recorded_at
      FROM section_47_enquiries e WHERE e.case_id = $1 AND e.child_id = $2
    UNION ALL
    SELECT e.concluded_on, 'S.47 enquiry concluded: ' || CASE e.outcome WHEN 'icpc' THEN 'ICPC' WHEN 'cin-plan' THEN 'child in need plan' ELSE 'no further action' END,
           'cases', 'significant', 'section-47-enquiry', e.id, e.recorded_at
      FROM section_47_enquiries e WHERE e.case_id = $1 AND e.child_id = $2 AND e.concluded_on IS NOT NULL
    UNION ALL
    SELECT n.occurred_on, 'Note: ' || left(n.text, ${NOTE_EXCERPT}) || CASE WHEN length(n.text) > ${NOTE_EXCERPT} THEN '…' ELSE '' END
             || CASE WHEN n.version > 1 THEN ' (amended)' ELSE '' END,
           'cases', 'significant', 'case-note', n.note_id, first.recorded_at
      FROM (SELECT DISTINCT ON (note_id) * FROM case_note_versions WHERE case_id = $1 ORDER BY note_id, version DESC) n
      JOIN case_note_versions first ON first.note_id = n.note_id AND first.version = 1
     WHERE n.significant AND $2 = ANY (n.child_ids)
    UNION ALL
    SELECT h.occurred_on, h.event, 'plo', 'significant', 'hearing', h.record_id, h.plo_event_time
      FROM court_record h JOIN court_proceedings_children pc ON pc.proceedings_id = h.proceedings_id AND pc.child_id = $2
     WHERE h.case_id = $1 AND h.record_type = 'hearing' AND h.occurred_on >= pc.joined_on
       AND NOT EXISTS (SELECT 1 FROM court_record c WHERE c.record_type = 'proceedings-concluded' AND c.record_id = h.proceedings_id
                          AND c.child_id = $2 AND c.occurred_on < h.occurred_on)
    UNION ALL
    SELECT r.occurred_on, r.event, 'plo', 'significant', r.record_type, r.record_id, r.plo_event_time
      FROM court_record r WHERE r.case_id = $1 AND r.child_id = $2
    UNION ALL
    SELECT m.due_date, m.event, 'alerting', 'timescale missed', 'missed-timescale', m.alert_id, m.raised_at
      FROM missed_timescales m WHERE m.case_id = $1 AND m.child_id = $2
    UNION ALL
    SELECT sv.held_on, 'Supervision with ' || sv.supervisor_id || ': '
             || coalesce(nullif(array_to_string(sv.decisions, '; '), ''), 'no decisions recorded'),
           'cases', 'significant', 'supervision', sv.id, sv.recorded_at
      FROM supervisions sv WHERE sv.case_id = $1 AND $2 = ANY (sv.child_ids)
  ) entries
  ORDER BY entries.date, at, "recordType"`;

export interface ChronologySubject {
  caseReference: string;
  childName: string;
}

@Injectable()
export class ChronologyStore {
  /** The case's reference and the child's name, if the child is on the case. */
  async subject(tx: Transaction, caseId: string, childId: string): Promise<ChronologySubject | undefined> {
    const [subject] = await tx.query<ChronologySubject>(
      `SELECT c.case_reference AS "caseReference", ch.first_name || ' ' || ch.last_name AS "childName"
         FROM cases c JOIN children ch ON ch.case_id = c.id WHERE c.id = $1 AND ch.id = $2`,
      [caseId, childId],
    );
    return subject;
  }

  entries(tx: Transaction, caseId: string, childId: string): Promise<ChronologyEntryView[]> {
    return tx.query(CHRONOLOGY, [caseId, childId]);
  }
}
