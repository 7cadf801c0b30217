import { Injectable } from '@nestjs/common';
import { Transaction } from '@plo/messaging';
import { LocalDate } from '@plo/timescales';

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

/** Since when a child has been on the case, and the child's last statutory visit. */
export interface ChildVisitHistory {
  since: LocalDate;
  last: LocalDate | null;
}

export interface PlacementVisits {
  started_on: LocalDate;
  intended_until_18: boolean;
  last_visit: LocalDate | null;
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

  /** Each child's last statutory visit so far (null before any). */
  lastStatutoryVisits(tx: Transaction, caseId: string, childIds: string[]): Promise<{ childId: string; last: string | null }[]> {
    return tx.query(
      `SELECT c.id AS "childId", to_char(max(v.visited_on), 'YYYY-MM-DD') AS last
         FROM unnest($2::uuid[]) AS c(id) LEFT JOIN visits v ON v.case_id = $1 AND v.counts_as_statutory AND c.id = ANY(v.children_seen)
        GROUP BY c.id`,
      [caseId, childIds],
    );
  }

  /** The child's history on the case; a child added before children had an added date counts from the case's opening. */
  async childHistory(tx: Transaction, childId: string, caseOpenedOn: LocalDate): Promise<ChildVisitHistory> {
    const [child] = await tx.query<ChildVisitHistory>(
      `SELECT to_char(COALESCE(c.added_on, $2::date), 'YYYY-MM-DD') AS since,
              (SELECT to_char(max(v.visited_on), 'YYYY-MM-DD') FROM visits v WHERE v.case_id = c.case_id AND v.counts_as_statutory AND c.id = ANY(v.children_seen)) AS last
         FROM children c WHERE c.id = $1`,
      [childId, caseOpenedOn],
    );
    return child;
  }

  /**
   * The child's placement under the current legal status: the child's own, or one recorded for the
   * whole case since the child joined (`since`), the latest first; with the child's last visit in it.
   */
  async currentPlacement(tx: Transaction, caseId: string, childId: string, since: LocalDate): Promise<PlacementVisits | undefined> {
    const [placement] = await tx.query<PlacementVisits>(
      `SELECT to_char(p.started_on, 'YYYY-MM-DD') AS started_on, p.intended_until_18,
              (SELECT to_char(max(v.visited_on), 'YYYY-MM-DD') FROM visits v
                WHERE v.case_id = p.case_id AND v.counts_as_statutory AND $2 = ANY(v.children_seen) AND v.visited_on >= p.started_on) AS last_visit
         FROM placements p
        WHERE p.case_id = $1 AND p.started_on >= (SELECT start_date FROM legal_statuses s WHERE s.case_id = p.case_id AND s.end_date IS NULL)
          AND (p.child_id = $2 OR (p.child_id IS NULL AND p.started_on >= $3::date))
        ORDER BY p.started_on DESC, p.recorded_at DESC LIMIT 1`,
      [caseId, childId, since],
    );
    return placement;
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
