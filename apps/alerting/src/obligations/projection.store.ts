import { Injectable } from '@nestjs/common';
import type { Transaction } from '@plo/messaging';
import { overdueAt, parseLocalDate } from '@plo/timescales';
import { AlertPolicy } from '../domain/alert-policy';
import { CaseRecord, EarlyOutcome, ObligationRecord, ProjectionBatch, ProjectionKeys } from './obligation-projection';

interface ObligationRow {
  id: string;
  case_id: string;
  council_id: string;
  child_id: string | null;
  kind: string;
  rule_id: string;
  due_date: string;
  due_at: Date | null;
  explanation: string;
  responsible_team_id: string;
  responsible_worker_id: string;
  status: ObligationRecord['status'];
  satisfied_on: string | null;
  ended_reason: string | null;
  source_event_id: string;
  next_alert_at: Date | null;
  historical: boolean;
}

const OBLIGATION_COLUMNS = `id, case_id, council_id, child_id, kind, rule_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, due_at, explanation,
  responsible_team_id, responsible_worker_id, status, to_char(satisfied_on, 'YYYY-MM-DD') AS satisfied_on, ended_reason, source_event_id, next_alert_at,
  historical`;

/** Loads the records a batch of events touches and writes back what changed, in a few set-based statements. */
@Injectable()
export class ProjectionStore {
  constructor(private readonly policy: AlertPolicy) {}

  async load(tx: Transaction, keys: ProjectionKeys): Promise<ProjectionBatch> {
    const [obligationRows, caseRows, earlyRows] = await Promise.all([
      keys.obligationIds.length || keys.wholeCaseIds.length
        ? tx.query<ObligationRow>(
            // Two index scans rather than one OR, which the planner may answer with a scan of the table.
            `SELECT ${OBLIGATION_COLUMNS} FROM obligations WHERE id = ANY($1::uuid[])
             UNION ALL
             SELECT ${OBLIGATION_COLUMNS} FROM obligations WHERE case_id = ANY($2::uuid[]) AND status = 'open'`,
            [keys.obligationIds, keys.wholeCaseIds],
          )
        : [],
      keys.caseIds.length
        ? tx.query<CaseRecord>(
            `SELECT case_id AS "caseId", council_id AS "councilId", case_reference AS "caseReference", team_id AS "teamId",
                    allocated_worker_id AS "workerId", team_manager_id AS "teamManagerId", legal_status AS "legalStatus",
                    to_char(legal_involved_since, 'YYYY-MM-DD') AS "legalInvolvedSince", to_char(closed_on, 'YYYY-MM-DD') AS "closedOn"
               FROM case_directory WHERE case_id = ANY($1::uuid[])`,
            [keys.caseIds],
          )
        : [],
      keys.obligationIds.length
        ? tx.query<EarlyOutcome>(
            `SELECT obligation_id AS "obligationId", status, to_char(satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn", ended_reason AS "endedReason"
               FROM early_outcomes WHERE obligation_id = ANY($1::uuid[])`,
            [keys.obligationIds],
          )
        : [],
    ]);
    return new ProjectionBatch(
      new Map(obligationRows.map((row) => [row.id, fromRow(row)])),
      new Map(caseRows.map((row) => [row.caseId, row])),
      new Map(earlyRows.map((row) => [row.obligationId, row])),
    );
  }

  /** Writes the batch's changes; new and moved obligations get their first alert instant. */
  async save(tx: Transaction, batch: ProjectionBatch): Promise<void> {
    // Many obligations of a batch share a kind and due date: each schedule is worked out once.
    const firstAlerts = new Map<string, Date>();
    for (const id of batch.scheduled) {
      const obligation = batch.obligations.get(id)!;
      if (obligation.status !== 'open' || obligation.historical) continue;
      const key = `${obligation.kind}|${obligation.dueDate}|${obligation.dueAt}`;
      let first = firstAlerts.get(key);
      if (!first) firstAlerts.set(key, (first = this.policy.schedule(obligation.kind, obligation.dueDate, obligation.dueAt)[0].at));
      obligation.nextAlertAt = first;
    }
    const overdue = new Map<string, string>();
    const overdueOf = (o: ObligationRecord) => {
      if (o.dueAt) return o.dueAt;
      let instant = overdue.get(o.dueDate);
      if (!instant) overdue.set(o.dueDate, (instant = overdueAt(parseLocalDate(o.dueDate)).toISOString()));
      return instant;
    };
    const obligations = [...batch.changedObligations].map((id) => batch.obligations.get(id)!);
    if (obligations.length) {
      await tx.query(
        `INSERT INTO obligations (id, case_id, council_id, child_id, kind, rule_id, due_date, overdue_at, explanation,
                                  responsible_team_id, responsible_worker_id, status, satisfied_on, ended_reason, source_event_id, next_alert_at,
                                  due_at, historical)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::date[], $8::timestamptz[], $9::text[],
                              $10::text[], $11::text[], $12::text[], $13::date[], $14::text[], $15::uuid[], $16::timestamptz[],
                              $17::timestamptz[], $18::boolean[])
         ON CONFLICT (id) DO UPDATE SET due_date = EXCLUDED.due_date, overdue_at = EXCLUDED.overdue_at, explanation = EXCLUDED.explanation,
           due_at = EXCLUDED.due_at, historical = EXCLUDED.historical,
           responsible_team_id = EXCLUDED.responsible_team_id, responsible_worker_id = EXCLUDED.responsible_worker_id,
           status = EXCLUDED.status, satisfied_on = EXCLUDED.satisfied_on, ended_reason = EXCLUDED.ended_reason,
           source_event_id = EXCLUDED.source_event_id, next_alert_at = EXCLUDED.next_alert_at, updated_at = now()`,
        [
          obligations.map((o) => o.id),
          obligations.map((o) => o.caseId),
          obligations.map((o) => o.councilId),
          obligations.map((o) => o.childId),
          obligations.map((o) => o.kind),
          obligations.map((o) => o.ruleId),
          obligations.map((o) => o.dueDate),
          obligations.map(overdueOf),
          obligations.map((o) => o.explanation),
          obligations.map((o) => o.teamId),
          obligations.map((o) => o.workerId),
          obligations.map((o) => o.status),
          obligations.map((o) => o.satisfiedOn),
          obligations.map((o) => o.endedReason),
          obligations.map((o) => o.sourceEventId),
          obligations.map((o) => o.nextAlertAt?.toISOString() ?? null),
          obligations.map((o) => o.dueAt),
          obligations.map((o) => o.historical),
        ],
      );
    }
    const cases = [...batch.changedCases].map((id) => batch.cases.get(id)!);
    if (cases.length) {
      await tx.query(
        `INSERT INTO case_directory (case_id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_status, closed_on,
                                     legal_involved_since)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[])
         ON CONFLICT (case_id) DO UPDATE SET team_id = EXCLUDED.team_id, allocated_worker_id = EXCLUDED.allocated_worker_id,
           team_manager_id = EXCLUDED.team_manager_id, legal_status = EXCLUDED.legal_status, closed_on = EXCLUDED.closed_on,
           legal_involved_since = EXCLUDED.legal_involved_since`,
        [
          cases.map((c) => c.caseId),
          cases.map((c) => c.councilId),
          cases.map((c) => c.caseReference),
          cases.map((c) => c.teamId),
          cases.map((c) => c.workerId),
          cases.map((c) => c.teamManagerId),
          cases.map((c) => c.legalStatus),
          cases.map((c) => c.closedOn),
          cases.map((c) => c.legalInvolvedSince),
        ],
      );
    }
    const early = [...batch.changedEarly].map((id) => [id, batch.early.get(id) ?? null] as const);
    const added = early.flatMap(([, outcome]) => (outcome ? [outcome] : []));
    const removed = early.filter(([, outcome]) => !outcome).map(([id]) => id);
    if (added.length) {
      await tx.query(
        `INSERT INTO early_outcomes (obligation_id, status, satisfied_on, ended_reason)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::text[]) ON CONFLICT (obligation_id) DO NOTHING`,
        [added.map((e) => e.obligationId), added.map((e) => e.status), added.map((e) => e.satisfiedOn), added.map((e) => e.endedReason)],
      );
    }
    if (removed.length) await tx.query('DELETE FROM early_outcomes WHERE obligation_id = ANY($1::uuid[])', [removed]);
  }
}

function fromRow(row: ObligationRow): ObligationRecord {
  return {
    id: row.id,
    caseId: row.case_id,
    councilId: row.council_id,
    childId: row.child_id,
    kind: row.kind,
    ruleId: row.rule_id,
    dueDate: row.due_date,
    dueAt: row.due_at ? new Date(row.due_at).toISOString() : null,
    explanation: row.explanation,
    teamId: row.responsible_team_id,
    workerId: row.responsible_worker_id,
    status: row.status,
    satisfiedOn: row.satisfied_on,
    endedReason: row.ended_reason,
    sourceEventId: row.source_event_id,
    nextAlertAt: row.next_alert_at,
    historical: row.historical,
  };
}
