import { randomUUID } from 'node:crypto';
import { EventTypes, ObligationAuthority, ObligationCancelledV1, ObligationSatisfiedV1, ObligationScheduledV1 } from '@plo/contracts';
import { Change, Transaction } from '@plo/messaging';

/** A due date with the rule it comes from and its readable explanation, as `libs/timescales` gives it. */
export interface Due {
  ruleId: string;
  dueDate: string;
  explanation: string;
  /** Whether the date is set by statute, guidance or the council; announced with the obligation. */
  authority?: ObligationAuthority;
}

/** Who answers for a case's obligations: stamped on each obligation-scheduled event. */
export interface Responsible {
  caseId: string;
  councilId: string;
  teamId: string;
  workerId: string;
}

export interface NewObligation {
  kind: string;
  due: Due;
  childId?: string | null;
  /** What the obligation belongs to, by the ledger's reference columns (a review, a hearing…). */
  references?: Record<string, string | null | undefined>;
  /** Given when the id must be known before it is scheduled; otherwise a new one. */
  id?: string;
}

export interface OpenObligation {
  id: string;
  kind: string;
  childId: string | null;
  ruleId: string;
  dueDate: string;
  explanation: string;
  /** The ledger's reference columns, by column name. */
  references: Record<string, string | null>;
}

/** Which open obligations of a case a cancellation ends: all, one kind (of one child), or by id. */
export interface Which {
  kind?: string;
  childId?: string;
  id?: string;
  ids?: string[];
  /** Reference columns that must match, e.g. `{ hearing_id: … }`. */
  references?: Record<string, string>;
}

export interface LedgerTable {
  /** The service's table (each service owns its database; the shape is the same). */
  table: string;
  /** Columns naming what an obligation belongs to, beyond its case and child. */
  referenceColumns: readonly string[];
  /** Ties between obligations due the same day are listed in this order. */
  tieBreak: readonly ('kind' | 'created_at')[];
}

/**
 * A service's dated obligations: who must do what by which date. Every change to one is written in the
 * change's transaction with the event other services act on, carrying the due date and the rule's
 * explanation, so no consumer recomputes a legal date. The same obligation id scheduled again is a move.
 */
export class ObligationLedger {
  private readonly selectColumns: string;

  constructor(private readonly ledger: LedgerTable) {
    for (const column of [ledger.table, ...ledger.referenceColumns]) {
      if (!/^[a-z_]+$/.test(column)) throw new Error(`not a column or table name: ${column}`);
    }
    const references = ledger.referenceColumns.map((column) => `'${column}', ${column}`).join(', ');
    this.selectColumns = `id, kind, child_id AS "childId", rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation,
      json_build_object(${references}) AS "references"`;
  }

  async schedule(change: Change, responsible: Responsible, obligation: NewObligation): Promise<string> {
    const id = obligation.id ?? randomUUID();
    const references = this.ledger.referenceColumns.map((column) => obligation.references?.[column] ?? null);
    await change.query(
      `INSERT INTO ${this.ledger.table} (id, case_id, child_id, kind, rule_id, due_date, explanation, status, updated_at, created_at
         ${this.ledger.referenceColumns.map((column) => `, ${column}`).join('')})
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9${references.length ? ', ' : ''}${references.map((_, i) => `$${i + 10}`).join(', ')})`,
      [
        id,
        responsible.caseId,
        obligation.childId ?? null,
        obligation.kind,
        obligation.due.ruleId,
        obligation.due.dueDate,
        obligation.due.explanation,
        change.now,
        change.now,
        ...references,
      ],
    );
    change.emit(EventTypes.obligationScheduled, scheduledEvent(responsible, id, obligation.kind, obligation.due, obligation.childId));
    return id;
  }

  /** Moves an open obligation to a new due date (and rule); `false` if it is no longer open. */
  async move(
    change: Change,
    responsible: Responsible,
    current: Pick<OpenObligation, 'id' | 'kind' | 'childId'>,
    due: Due,
  ): Promise<boolean> {
    const moved = await change.query(
      `UPDATE ${this.ledger.table} SET rule_id = $2, due_date = $3, explanation = $4, sequence = sequence + 1, updated_at = $5
        WHERE id = $1 AND status = 'open' RETURNING id`,
      [current.id, due.ruleId, due.dueDate, due.explanation, change.now],
    );
    if (moved.length)
      change.emit(EventTypes.obligationScheduled, scheduledEvent(responsible, current.id, current.kind, due, current.childId));
    return moved.length > 0;
  }

  /** Gives an open obligation made before it had a child to one child, announced again under the same id and due date. */
  async assignChild(
    change: Change,
    responsible: Responsible,
    current: Pick<OpenObligation, 'id' | 'kind'> & { due: Due },
    childId: string,
  ): Promise<boolean> {
    const assigned = await change.query(
      `UPDATE ${this.ledger.table} SET child_id = $2, sequence = sequence + 1, updated_at = $3 WHERE id = $1 AND status = 'open' AND child_id IS NULL RETURNING id`,
      [current.id, childId, change.now],
    );
    if (assigned.length)
      change.emit(EventTypes.obligationScheduled, scheduledEvent(responsible, current.id, current.kind, current.due, childId));
    return assigned.length > 0;
  }

  /** Marks open obligations of a case met on `satisfiedOn`; returns the ids met. */
  async satisfy(change: Change, caseId: string, which: Which, satisfiedOn: string): Promise<string[]> {
    const parameters: unknown[] = [caseId, satisfiedOn, change.actor.id, change.now];
    const done = await change.query<{ id: string }>(
      `UPDATE ${this.ledger.table} SET status = 'satisfied', satisfied_on = $2, satisfied_by = $3, sequence = sequence + 1, updated_at = $4
        WHERE case_id = $1 AND status = 'open' AND ${this.which(which, parameters)} RETURNING id`,
      parameters,
    );
    for (const { id } of done)
      change.emit(EventTypes.obligationSatisfied, { obligationId: id, caseId, satisfiedOn } satisfies ObligationSatisfiedV1);
    return done.map(({ id }) => id);
  }

  /** Ends open obligations of a case with a reason; returns the ids ended. */
  async cancel(change: Change, caseId: string, reason: string, which: Which = {}): Promise<string[]> {
    const parameters: unknown[] = [caseId, reason, change.now];
    const ended = await change.query<{ id: string }>(
      `UPDATE ${this.ledger.table} SET status = 'cancelled', ended_reason = $2, sequence = sequence + 1, updated_at = $3
        WHERE case_id = $1 AND status = 'open' AND ${this.which(which, parameters)} RETURNING id`,
      parameters,
    );
    for (const { id } of ended)
      change.emit(EventTypes.obligationCancelled, { obligationId: id, caseId, reason } satisfies ObligationCancelledV1);
    return ended.map(({ id }) => id);
  }

  /** A case's open obligations, soonest first; optionally only those `which` names. */
  async open(tx: Transaction, caseId: string, which: Which = {}): Promise<OpenObligation[]> {
    const parameters: unknown[] = [caseId];
    return tx.query<OpenObligation>(
      `SELECT ${this.selectColumns} FROM ${this.ledger.table}
        WHERE case_id = $1 AND status = 'open' AND ${this.which(which, parameters)}
        ORDER BY due_date, ${this.ledger.tieBreak.join(', ')}`,
      parameters,
    );
  }

  /** SQL for `which`, its values appended to `parameters`. */
  private which(which: Which, parameters: unknown[]): string {
    const conditions = ['true'];
    const add = (sql: (placeholder: string) => string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql(`$${parameters.length}`));
    };
    if (which.kind !== undefined) add((p) => `kind = ${p}`, which.kind);
    if (which.childId !== undefined) add((p) => `child_id = ${p}::uuid`, which.childId);
    if (which.id !== undefined) add((p) => `id = ${p}::uuid`, which.id);
    if (which.ids !== undefined) add((p) => `id = ANY(${p}::uuid[])`, which.ids);
    for (const [column, value] of Object.entries(which.references ?? {})) {
      if (!this.ledger.referenceColumns.includes(column)) throw new Error(`${this.ledger.table} has no reference column ${column}`);
      add((p) => `${column} = ${p}::uuid`, value);
    }
    return conditions.join(' AND ');
  }
}

export function scheduledEvent(
  responsible: Responsible,
  obligationId: string,
  kind: string,
  due: Due,
  childId?: string | null,
): ObligationScheduledV1 {
  return {
    obligationId,
    caseId: responsible.caseId,
    councilId: responsible.councilId,
    ...(childId ? { childId } : {}),
    kind,
    ruleId: due.ruleId,
    dueDate: due.dueDate,
    explanation: due.explanation,
    responsible: { teamId: responsible.teamId, workerId: responsible.workerId },
    ...(due.authority ? { authority: due.authority } : {}),
  };
}
