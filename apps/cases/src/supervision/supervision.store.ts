import { Injectable } from '@nestjs/common';
import { Transaction } from '@plo/messaging';
import { HeldStatus } from '../domain/supervision-rules';

export interface NewSupervision {
  id: string;
  caseId: string;
  heldOn: string;
  supervisorId: string;
  workerId: string;
  childIds: string[];
  decisions: string[];
  recordedBy: string;
}

export interface NewSupervisionAction {
  id: string;
  position: number;
  description: string;
  ownerId: string;
  dueDate: string;
  measurableOutcome: string;
}

export interface SupervisionActionRow extends NewSupervisionAction {
  doneOn: string | null;
}

export interface SupervisionRow {
  id: string;
  caseId: string;
  heldOn: string;
  supervisorId: string;
  workerId: string;
  childIds: string[];
  decisions: string[];
  recordedBy: string;
  recordedAt: string;
}

/** Supervision sessions of a case with their actions, and what the case's supervision cadence depends on. */
@Injectable()
export class SupervisionStore {
  async insert(tx: Transaction, s: NewSupervision, actions: readonly NewSupervisionAction[]): Promise<void> {
    await tx.query(
      `INSERT INTO supervisions (id, case_id, held_on, supervisor_id, worker_id, child_ids, decisions, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [s.id, s.caseId, s.heldOn, s.supervisorId, s.workerId, s.childIds, s.decisions, s.recordedBy],
    );
    for (const a of actions) {
      await tx.query(
        `INSERT INTO supervision_actions (id, supervision_id, position, description, owner_id, due_date, measurable_outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [a.id, s.id, a.position, a.description, a.ownerId, a.dueDate, a.measurableOutcome],
      );
    }
  }

  /** The case's supervisions (or one), oldest first. */
  find(tx: Transaction, caseId: string, supervisionId?: string): Promise<SupervisionRow[]> {
    return tx.query(
      `SELECT id, case_id AS "caseId", to_char(held_on, 'YYYY-MM-DD') AS "heldOn", supervisor_id AS "supervisorId", worker_id AS "workerId",
              child_ids AS "childIds", decisions, recorded_by AS "recordedBy",
              to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt"
         FROM supervisions WHERE case_id = $1 AND ($2::uuid IS NULL OR id = $2) ORDER BY held_on, recorded_at`,
      [caseId, supervisionId ?? null],
    );
  }

  actions(tx: Transaction, supervisionIds: readonly string[]): Promise<(SupervisionActionRow & { supervisionId: string })[]> {
    return tx.query(
      `SELECT id, supervision_id AS "supervisionId", position, description, owner_id AS "ownerId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate",
              measurable_outcome AS "measurableOutcome", to_char(done_on, 'YYYY-MM-DD') AS "doneOn"
         FROM supervision_actions WHERE supervision_id = ANY($1::uuid[]) ORDER BY supervision_id, position`,
      [supervisionIds],
    );
  }

  /** Marks an action done once; false when it was already done (its first date stands). */
  async markDone(tx: Transaction, supervisionId: string, actionId: string, doneOn: string): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE supervision_actions SET done_on = $3 WHERE supervision_id = $1 AND id = $2 AND done_on IS NULL RETURNING id`,
      [supervisionId, actionId, doneOn],
    );
    return rows.length > 0;
  }

  /** The statuses the case's children hold now and the latest supervision: all the case's cadence depends on. */
  async cadenceFacts(
    tx: Transaction,
    caseId: string,
  ): Promise<{ statuses: HeldStatus[]; lastHeldOn: string | undefined; lastStatusChangeOn: string | undefined }> {
    const statuses = await tx.query<HeldStatus>(
      `SELECT status, basis, to_char(start_date, 'YYYY-MM-DD') AS "startDate" FROM child_statuses WHERE case_id = $1 AND end_date IS NULL`,
      [caseId],
    );
    const [last] = await tx.query<{ heldOn: string | null }>(
      `SELECT to_char(max(held_on), 'YYYY-MM-DD') AS "heldOn" FROM supervisions WHERE case_id = $1`,
      [caseId],
    );
    const [changed] = await tx.query<{ on: string | null }>(
      `SELECT to_char(greatest(max(start_date), max(end_date)), 'YYYY-MM-DD') AS "on" FROM child_statuses WHERE case_id = $1`,
      [caseId],
    );
    return { statuses, lastHeldOn: last?.heldOn ?? undefined, lastStatusChangeOn: changed?.on ?? undefined };
  }

  /** Whether the supervision was of this case: what a sign-off may refer to. */
  async isOfCase(tx: Transaction, caseId: string, supervisionId: string): Promise<boolean> {
    const [row] = await tx.query('SELECT 1 FROM supervisions WHERE case_id = $1 AND id = $2', [caseId, supervisionId]);
    return Boolean(row);
  }
}
