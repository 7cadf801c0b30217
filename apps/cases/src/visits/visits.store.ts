import { Injectable } from '@nestjs/common';
import { Transaction } from '@plo/messaging';
import { ChildFacts } from '../domain/child-status-rules';

export interface NewVisit {
  id: string;
  caseId: string;
  visitedOn: string;
  visitType: string;
  visitorId: string;
  seenAlone: boolean;
  bedroomSeen: boolean;
  purpose: string;
  purposeDetail: string | null;
  countsAsStatutory: boolean;
  childId: string | null;
  childrenSeen: string[];
}

/** Visits, and what the next statutory visit of a child is counted from. */
@Injectable()
export class VisitsStore {
  async insert(tx: Transaction, visit: NewVisit): Promise<void> {
    await tx.query(
      `INSERT INTO visits (id, case_id, visited_on, visit_type, visitor_id, child_seen, seen_alone, bedroom_seen, purpose, purpose_detail, counts_as_statutory, child_id, children_seen)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        visit.id,
        visit.caseId,
        visit.visitedOn,
        visit.visitType,
        visit.visitorId,
        visit.childrenSeen.length > 0,
        visit.seenAlone,
        visit.bedroomSeen,
        visit.purpose,
        visit.purposeDetail,
        visit.countsAsStatutory,
        visit.childId,
        visit.childrenSeen,
      ],
    );
  }

  /**
   * Everything the child's next visit is computed from: the day the child joined (a child added
   * before children had an added date counts from the case's opening), the child's statuses, the
   * placements that apply (the child's own, or one recorded for the whole case since the child
   * joined) and the visits the child was seen on.
   */
  async childFacts(tx: Transaction, caseId: string, childId: string): Promise<ChildFacts> {
    const [facts] = await tx.query<ChildFacts>(
      `SELECT to_char(COALESCE(ch.added_on, c.opened_on), 'YYYY-MM-DD') AS since,
              (SELECT coalesce(json_agg(json_build_object('status', s.status, 'basis', s.basis, 'startDate', to_char(s.start_date, 'YYYY-MM-DD'),
                        'endDate', to_char(s.end_date, 'YYYY-MM-DD')) ORDER BY s.start_date, s.recorded_at), '[]')
                 FROM child_statuses s WHERE s.child_id = ch.id) AS statuses,
              (SELECT coalesce(json_agg(json_build_object('startedOn', to_char(p.started_on, 'YYYY-MM-DD'), 'intendedToLastUntil18', p.intended_until_18)
                        ORDER BY p.started_on, p.recorded_at), '[]')
                 FROM placements p
                WHERE p.case_id = c.id AND (p.child_id = ch.id OR (p.child_id IS NULL AND p.started_on >= COALESCE(ch.added_on, c.opened_on)))) AS placements,
              (SELECT coalesce(json_agg(json_build_object('visitedOn', to_char(v.visited_on, 'YYYY-MM-DD'), 'visitType', v.visit_type)
                        ORDER BY v.visited_on), '[]')
                 FROM visits v WHERE v.case_id = c.id AND ch.id = ANY(v.children_seen)) AS visits
         FROM children ch JOIN cases c ON c.id = ch.case_id WHERE ch.case_id = $1 AND ch.id = $2`,
      [caseId, childId],
    );
    return facts;
  }

  /** The visit already recorded with this identity (case, day, type, children seen), if any. */
  async sameVisit(
    tx: Transaction,
    caseId: string,
    visitedOn: string,
    visitType: string,
    childrenSeen: string[],
  ): Promise<string | undefined> {
    const [visit] = await tx.query<{ id: string }>(
      `SELECT id FROM visits WHERE case_id = $1 AND visited_on = $2 AND visit_type = $3
          AND children_seen @> $4::uuid[] AND children_seen <@ $4::uuid[] ORDER BY recorded_at LIMIT 1`,
      [caseId, visitedOn, visitType, childrenSeen],
    );
    return visit?.id;
  }

  async find(tx: Transaction, caseId: string, visitId: string): Promise<{ countsAsStatutory: boolean; childrenSeen: string[] }> {
    const [visit] = await tx.query<{ countsAsStatutory: boolean; childrenSeen: string[] }>(
      `SELECT counts_as_statutory AS "countsAsStatutory", children_seen AS "childrenSeen" FROM visits WHERE case_id = $1 AND id = $2`,
      [caseId, visitId],
    );
    return visit;
  }

  list(tx: Transaction, caseId: string) {
    return tx.query(
      `SELECT id, child_id AS "childId", to_char(visited_on, 'YYYY-MM-DD') AS "visitedOn", visit_type AS "visitType", visitor_id AS "visitorId", child_seen AS "childSeen",
              seen_alone AS "seenAlone", bedroom_seen AS "bedroomSeen", purpose, purpose_detail AS "purposeDetail", counts_as_statutory AS "countsAsStatutory",
              children_seen AS "childrenSeen"
         FROM visits WHERE case_id = $1 ORDER BY visited_on DESC, recorded_at DESC`,
      [caseId],
    );
  }
}
