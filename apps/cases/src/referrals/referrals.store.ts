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
  repeat: boolean;
}

export interface Referral {
  id: string;
  kind: ReferralKind;
  receivedOn: string;
  source: string | null;
  decidedOn: string | null;
  outcome: string | null;
  repeat: boolean;
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
  /** Whether the case had a referral received on or after `from` and before `before`. */
  async referredBetween(tx: Transaction, caseId: string, from: string, before: string): Promise<boolean> {
    const [earlier] = await tx.query(
      `SELECT 1 FROM referrals WHERE case_id = $1 AND kind = 'referral' AND received_on >= $2 AND received_on < $3 LIMIT 1`,
      [caseId, from, before],
    );
    return Boolean(earlier);
  }

  async insert(tx: Transaction, referral: NewReferral): Promise<void> {
    await tx.query(
      `INSERT INTO referrals (id, case_id, kind, received_on, source, obligation_id, repeat) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [referral.id, referral.caseId, referral.kind, referral.receivedOn, referral.source, referral.obligationId, referral.repeat],
    );
  }

  /** Records the decision; answers what it needs to be judged by. */
  async decide(
    tx: Transaction,
    caseId: string,
    referralId: string,
    decidedOn: string,
    outcome: string,
  ): Promise<{ kind: ReferralKind; obligation_id: string; received_on: string }> {
    const [referral] = await tx.query<{ kind: ReferralKind; obligation_id: string; received_on: string }>(
      `UPDATE referrals SET decided_on = $3, outcome = $4 WHERE case_id = $1 AND id = $2 RETURNING kind, obligation_id, to_char(received_on, 'YYYY-MM-DD') AS received_on`,
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
              r.obligation_id AS "obligationId", to_char(o.due_date, 'YYYY-MM-DD') AS "decisionDueDate", o.explanation
         FROM referrals r JOIN obligations o ON o.id = r.obligation_id WHERE r.case_id = $1 AND r.id = $2`,
      [caseId, referralId],
    );
    return referral;
  }

  /** Contacts and referrals received in the period, with when they were decided. */
  received(
    tx: Transaction,
    scope: KpiScope,
  ): Promise<{ kind: string; receivedOn: LocalDate; decidedOn: LocalDate | null; repeat: boolean }[]> {
    return tx.query(
      `SELECT r.kind, to_char(r.received_on, 'YYYY-MM-DD') AS "receivedOn", to_char(r.decided_on, 'YYYY-MM-DD') AS "decidedOn", r.repeat
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

  /** The outcomes of the ICPCs held in the period, one per child conferenced (a conference about the family counts each child). */
  icpcs(tx: Transaction, scope: KpiScope): Promise<{ outcome: string }[]> {
    return tx.query(
      `SELECT r.outcome FROM reviews r JOIN cases c ON c.id = r.case_id JOIN children ch ON ch.case_id = c.id AND (r.child_id IS NULL OR r.child_id = ch.id)
        WHERE ${SCOPE} AND r.kind = 'icpc' AND r.status = 'held' AND r.held_on BETWEEN $3 AND $4`,
      [scope.councilId, scope.teamId, scope.from, scope.to],
    );
  }
}

const SCOPE = `c.council_id = $1 AND ($2::text IS NULL OR c.team_id = $2)`;
