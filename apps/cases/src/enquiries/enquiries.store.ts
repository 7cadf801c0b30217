import { Injectable } from '@nestjs/common';
import { Section47Outcome, StrategyDecision } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { ParticipantDto } from './enquiries.dto';
import { Section47EnquiryView, StrategyDiscussionView } from './enquiries.views';

const DISCUSSION_COLUMNS = `id, case_id AS "caseId", child_ids AS "childIds", to_char(held_on, 'YYYY-MM-DD') AS "heldOn", participants, decision,
  recorded_by AS "recordedBy"`;

const ENQUIRY_COLUMNS = `e.id, e.case_id AS "caseId", e.child_id AS "childId", e.strategy_discussion_id AS "strategyDiscussionId",
  to_char(e.started_on, 'YYYY-MM-DD') AS "startedOn", to_char(e.concluded_on, 'YYYY-MM-DD') AS "concludedOn", e.outcome`;

export interface NewStrategyDiscussion {
  id: string;
  caseId: string;
  childIds: string[];
  heldOn: string;
  participants: ParticipantDto[];
  decision: StrategyDecision;
  recordedBy: string;
}

/** Strategy discussions and s.47 enquiries; a discussion is appended, an enquiry is concluded once. */
@Injectable()
export class EnquiriesStore {
  async insertDiscussion(tx: Transaction, discussion: NewStrategyDiscussion): Promise<void> {
    await tx.query(
      `INSERT INTO strategy_discussions (id, case_id, child_ids, held_on, participants, decision, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        discussion.id,
        discussion.caseId,
        discussion.childIds,
        discussion.heldOn,
        JSON.stringify(discussion.participants),
        discussion.decision,
        discussion.recordedBy,
      ],
    );
  }

  async discussion(tx: Transaction, caseId: string, id: string): Promise<StrategyDiscussionView | undefined> {
    const [discussion] = await tx.query<StrategyDiscussionView>(
      `SELECT ${DISCUSSION_COLUMNS} FROM strategy_discussions WHERE case_id = $1 AND id = $2`,
      [caseId, id],
    );
    return discussion;
  }

  discussions(tx: Transaction, caseId: string): Promise<StrategyDiscussionView[]> {
    return tx.query(`SELECT ${DISCUSSION_COLUMNS} FROM strategy_discussions WHERE case_id = $1 ORDER BY held_on, recorded_at`, [caseId]);
  }

  /** The children of `childIds` with an enquiry not yet concluded. */
  async openEnquiries(tx: Transaction, caseId: string, childIds: string[]): Promise<{ id: string; childId: string }[]> {
    return tx.query(
      `SELECT id, child_id AS "childId" FROM section_47_enquiries WHERE case_id = $1 AND child_id = ANY ($2) AND concluded_on IS NULL`,
      [caseId, childIds],
    );
  }

  async insertEnquiry(
    tx: Transaction,
    enquiry: { id: string; caseId: string; childId: string; strategyDiscussionId: string; startedOn: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO section_47_enquiries (id, case_id, child_id, strategy_discussion_id, started_on) VALUES ($1, $2, $3, $4, $5)`,
      [enquiry.id, enquiry.caseId, enquiry.childId, enquiry.strategyDiscussionId, enquiry.startedOn],
    );
  }

  async lockEnquiry(tx: Transaction, caseId: string, id: string): Promise<Section47EnquiryView | undefined> {
    const [enquiry] = await tx.query<Section47EnquiryView>(
      `SELECT ${ENQUIRY_COLUMNS} FROM section_47_enquiries e WHERE e.case_id = $1 AND e.id = $2 FOR UPDATE`,
      [caseId, id],
    );
    return enquiry;
  }

  async conclude(tx: Transaction, id: string, concludedOn: string, outcome: Section47Outcome): Promise<void> {
    await tx.query(`UPDATE section_47_enquiries SET concluded_on = $2, outcome = $3 WHERE id = $1`, [id, concludedOn, outcome]);
  }

  /** A case's enquiries (or those of `ids`), oldest first; one day's children in the order the case lists them. */
  enquiries(tx: Transaction, caseId: string, ids?: string[]): Promise<Section47EnquiryView[]> {
    return tx.query(
      `SELECT ${ENQUIRY_COLUMNS} FROM section_47_enquiries e JOIN children ch ON ch.id = e.child_id
        WHERE e.case_id = $1 AND ($2::uuid[] IS NULL OR e.id = ANY ($2))
        ORDER BY e.started_on, e.recorded_at, ch.last_name, ch.first_name, ch.id`,
      [caseId, ids ?? null],
    );
  }
}
