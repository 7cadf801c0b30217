import { Injectable } from '@nestjs/common';
import { ReferralKind } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { LocalDate } from '@plo/timescales';
import { SupervisionDue } from '../domain/kpis';

export interface NewReferral {
  id: string;
  caseId: string;
  kind: ReferralKind;
  receivedOn: string;
  source: string | null;
  obligationId: string;
  childIds: string[];
  repeatFor: string[];
}

export interface Referral {
  id: string;
  kind: ReferralKind;
  receivedOn: string;
  source: string | null;
  decidedOn: string | null;
  outcome: string | null;
  repeat: boolean;
  childIds: string[];
  repeatFor: string[];
  obligationId: string;
  decisionDueDate: string;
  explanation: string;
}

/** A council, or one of its teams, over a reporting period. */
export interface KpiScope {
  councilId: string;
  teamId: string | null;
  from: string;
  to: string;
}

/** Contacts and referrals, and the figures the KPIs are computed from. */
@Injectable()
export class ReferralsStore {
  /**
   * Which of `childIds` had a referral received on or after `from` and before `before`: about the same
   * child, or about a child with the same person id on any case of the council.
   */
  async referredBetween(tx: Transaction, councilId: string, childIds: string[], from: string, before: string): Promise<string[]> {
    const rows = await tx.query<{ id: string }>(
      `SELECT ch.id FROM children ch
        WHERE ch.id = ANY($2::uuid[]) AND EXISTS (
          SELECT 1 FROM referrals r JOIN cases c ON c.id = r.case_id JOIN children earlier ON earlier.id = ANY(r.child_ids)
           WHERE c.council_id = $1 AND r.kind = 'referral' AND r.received_on >= $3 AND r.received_on < $4
             AND (earlier.id = ch.id OR (ch.person_id IS NOT NULL AND earlier.person_id = ch.person_id)))
        ORDER BY array_position($2::uuid[], ch.id)`,
      [councilId, childIds, from, before],
    );
    return rows.map(({ id }) => id);
  }

  async insert(tx: Transaction, referral: NewReferral): Promise<void> {
    await tx.query(
      `INSERT INTO referrals (id, case_id, kind, received_on, source, obligation_id, repeat, child_ids, repeat_for)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        referral.id,
        referral.caseId,
        referral.kind,
        referral.receivedOn,
        referral.source,
        referral.obligationId,
        referral.repeatFor.length > 0,
        referral.childIds,
        referral.repeatFor,
      ],
    );
  }

  /** Records the decision; answers what it needs to be judged by. */
  async decide(
    tx: Transaction,
    caseId: string,
    referralId: string,
    decidedOn: string,
    outcome: string,
  ): Promise<{ obligation_id: string; due_date: string }> {
    const [referral] = await tx.query<{ obligation_id: string; due_date: string }>(
      `UPDATE referrals r SET decided_on = $3, outcome = $4 FROM obligations o
        WHERE r.case_id = $1 AND r.id = $2 AND o.id = r.obligation_id
        RETURNING r.obligation_id, to_char(o.due_date, 'YYYY-MM-DD') AS due_date`,
      [caseId, referralId, decidedOn, outcome],
    );
    return referral;
  }

  async ids(tx: Transaction, caseId: string): Promise<string[]> {
    const rows = await tx.query<{ id: string }>('SELECT id FROM referrals WHERE case_id = $1 ORDER BY received_on, created_at', [caseId]);
    return rows.map(({ id }) => id);
  }

  async find(tx: Transaction, caseId: string, referralId: string): Promise<Referral | undefined> {
    const [referral] = await tx.query<Referral>(
      `SELECT r.id, r.kind, to_char(r.received_on, 'YYYY-MM-DD') AS "receivedOn", r.source, to_char(r.decided_on, 'YYYY-MM-DD') AS "decidedOn", r.outcome, r.repeat,
              r.child_ids AS "childIds", r.repeat_for AS "repeatFor", r.obligation_id AS "obligationId", to_char(o.due_date, 'YYYY-MM-DD') AS "decisionDueDate", o.explanation
         FROM referrals r JOIN obligations o ON o.id = r.obligation_id WHERE r.case_id = $1 AND r.id = $2`,
      [caseId, referralId],
    );
    return referral;
  }

  /** Contacts and referrals received in the period, with when they were decided. */
  received(
    tx: Transaction,
    scope: KpiScope,
  ): Promise<{ kind: string; receivedOn: LocalDate; decidedOn: LocalDate | null; childIds: string[]; repeatFor: string[] }[]> {
    return tx.query(
      `SELECT r.kind, to_char(r.received_on, 'YYYY-MM-DD') AS "receivedOn", to_char(r.decided_on, 'YYYY-MM-DD') AS "decidedOn",
              r.child_ids AS "childIds", r.repeat_for AS "repeatFor"
         FROM referrals r JOIN cases c ON c.id = r.case_id WHERE ${SCOPE} AND r.received_on BETWEEN $3 AND $4`,
      [scope.councilId, scope.teamId, scope.from, scope.to],
    );
  }

  /**
   * Each child on an open case on the reporting date (`to`), once for every status they held that day
   * (DfE counts children, not cases), with when that child was last seen on a visit by then.
   */
  openChildren(tx: Transaction, scope: KpiScope): Promise<{ legalStatus: string; lastSeenOn: LocalDate | null }[]> {
    return tx.query(
      `SELECT DISTINCT ON (ch.id, s.status) s.status AS "legalStatus",
              (SELECT to_char(max(v.visited_on), 'YYYY-MM-DD') FROM visits v
                WHERE v.case_id = c.id AND v.child_seen AND ch.id = ANY(v.children_seen) AND v.visited_on <= $3) AS "lastSeenOn"
         FROM cases c
         JOIN children ch ON ch.case_id = c.id
         JOIN child_statuses s ON s.child_id = ch.id AND s.start_date <= $3 AND (s.end_date IS NULL OR s.end_date > $3)
        WHERE ${SCOPE} AND c.opened_on <= $3 AND (c.closed_on IS NULL OR c.closed_on > $3)`,
      [scope.councilId, scope.teamId, scope.to],
    );
  }

  /**
   * The supervisions cases owed in the period, with each case's team and worker now. One rescheduled
   * by a change of status was cancelled and is not counted: its replacement is.
   */
  supervisionsDue(tx: Transaction, scope: KpiScope): Promise<SupervisionDue[]> {
    return tx.query(
      `SELECT c.team_id AS "teamId", c.allocated_worker_id AS "workerId", to_char(o.due_date, 'YYYY-MM-DD') AS "dueDate",
              to_char(o.satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn"
         FROM obligations o JOIN cases c ON c.id = o.case_id
        WHERE ${SCOPE} AND o.kind = 'supervision' AND o.status <> 'cancelled' AND o.due_date BETWEEN $3 AND $4`,
      [scope.councilId, scope.teamId, scope.from, scope.to],
    );
  }

  /**
   * The outcomes of the ICPCs held in the period, one per child conferenced (a conference about the
   * family counts each child), and whether each was held after its due date: 15 WD after the last
   * strategy discussion, as its rule computed it.
   */
  icpcs(tx: Transaction, scope: KpiScope): Promise<{ outcome: string; heldLate: boolean }[]> {
    return tx.query(
      `SELECT r.outcome, r.held_on > r.due_date AS "heldLate" FROM reviews r JOIN cases c ON c.id = r.case_id JOIN children ch ON ch.case_id = c.id AND (r.child_id IS NULL OR r.child_id = ch.id)
        WHERE ${SCOPE} AND r.kind = 'icpc' AND r.status = 'held' AND r.held_on BETWEEN $3 AND $4`,
      [scope.councilId, scope.teamId, scope.from, scope.to],
    );
  }

  /** Assessments completed in the period (one per child), with the day their referral was received. */
  assessmentsCompleted(tx: Transaction, scope: KpiScope): Promise<{ completedOn: LocalDate; referralReceivedOn: LocalDate }[]> {
    return tx.query(
      `SELECT to_char(a.completed_on, 'YYYY-MM-DD') AS "completedOn", to_char(r.received_on, 'YYYY-MM-DD') AS "referralReceivedOn"
         FROM assessments a JOIN referrals r ON r.id = a.referral_id JOIN cases c ON c.id = a.case_id
        WHERE ${SCOPE} AND a.completed_on BETWEEN $3 AND $4`,
      [scope.councilId, scope.teamId, scope.from, scope.to],
    );
  }

  /** The outcomes of the children's s.47 enquiries concluded in the period. */
  section47s(tx: Transaction, scope: KpiScope): Promise<{ outcome: string }[]> {
    return tx.query(
      `SELECT e.outcome FROM section_47_enquiries e JOIN cases c ON c.id = e.case_id
        WHERE ${SCOPE} AND e.concluded_on BETWEEN $3 AND $4`,
      [scope.councilId, scope.teamId, scope.from, scope.to],
    );
  }
}

const SCOPE = `c.council_id = $1 AND ($2::text IS NULL OR c.team_id = $2)`;
