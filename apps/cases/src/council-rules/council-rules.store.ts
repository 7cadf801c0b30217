import { Injectable } from '@nestjs/common';
import { CouncilRulesChangedV1 } from '@plo/contracts';
import { Transaction } from '@plo/messaging';
import { RulePeriodSetting, StoredOverride } from '../domain/council-rules';

const OVERRIDE_COLUMNS = `rule_id AS "ruleId", "offset", unit, counting, changed_by AS "changedBy", changed_at AS "changedAt"`;

export interface RuleSetEntry {
  councilId: string;
  ruleId: string;
  version: number;
  change: CouncilRulesChangedV1['change'];
  period: CouncilRulesChangedV1['period'];
  previousPeriod: CouncilRulesChangedV1['previousPeriod'];
  reason: string | null;
  changedBy: string;
  changedAt: Date;
  /** Open obligations the change moved to a new due date. */
  obligationsMoved: number;
}

/** Councils' rule sets: their version, their overrides of local rules, and the history of both. */
@Injectable()
export class CouncilRulesStore {
  /** Version and overrides in one statement, so a pack built from them always matches the version it is cached under. */
  async packSource(
    tx: Transaction,
    councilId: string,
  ): Promise<{ version: number; overrides: (RulePeriodSetting & { ruleId: string })[] }> {
    const rows = await tx.query<{ version: number; rule_id: string | null } & RulePeriodSetting>(
      `SELECT s.version, o.rule_id, o."offset", o.unit, o.counting
         FROM council_rule_sets s LEFT JOIN council_rule_overrides o ON o.council_id = s.council_id
        WHERE s.council_id = $1`,
      [councilId],
    );
    const overrides = rows.filter((row) => row.rule_id !== null).map((row) => ({ ...row, ruleId: row.rule_id! }));
    return { version: rows[0]?.version ?? 0, overrides };
  }

  async current(tx: Transaction, councilId: string): Promise<{ version: number; overrides: StoredOverride[] }> {
    const [set] = await tx.query<{ version: number }>('SELECT version FROM council_rule_sets WHERE council_id = $1', [councilId]);
    const overrides = await tx.query<StoredOverride>(
      `SELECT ${OVERRIDE_COLUMNS} FROM council_rule_overrides WHERE council_id = $1 ORDER BY rule_id`,
      [councilId],
    );
    return { version: set?.version ?? 0, overrides };
  }

  history(tx: Transaction, councilId: string) {
    return tx.query(
      `SELECT version, rule_id AS "ruleId", change, period, previous_period AS "previousPeriod", reason, changed_by AS "changedBy", changed_at AS "changedAt",
              obligations_moved AS "obligationsMoved"
         FROM council_rule_history WHERE council_id = $1 ORDER BY version DESC`,
      [councilId],
    );
  }

  /** Locks the council's rule set (made at version 0 on its first change) and answers its version. */
  async lockRuleSet(tx: Transaction, councilId: string): Promise<number> {
    await tx.query('INSERT INTO council_rule_sets (council_id, version) VALUES ($1, 0) ON CONFLICT (council_id) DO NOTHING', [councilId]);
    const [{ version }] = await tx.query<{ version: number }>('SELECT version FROM council_rule_sets WHERE council_id = $1 FOR UPDATE', [
      councilId,
    ]);
    return version;
  }

  async override(tx: Transaction, councilId: string, ruleId: string): Promise<RulePeriodSetting | undefined> {
    const [previous] = await tx.query<RulePeriodSetting>(
      `SELECT "offset", unit, counting FROM council_rule_overrides WHERE council_id = $1 AND rule_id = $2`,
      [councilId, ruleId],
    );
    return previous;
  }

  async saveOverride(
    tx: Transaction,
    councilId: string,
    ruleId: string,
    period: RulePeriodSetting,
    changedBy: string,
    changedAt: Date,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO council_rule_overrides (council_id, rule_id, "offset", unit, counting, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (council_id, rule_id) DO UPDATE SET "offset" = $3, unit = $4, counting = $5, changed_by = $6, changed_at = $7`,
      [councilId, ruleId, period.offset, period.unit, period.counting, changedBy, changedAt],
    );
  }

  async removeOverride(tx: Transaction, councilId: string, ruleId: string): Promise<void> {
    await tx.query('DELETE FROM council_rule_overrides WHERE council_id = $1 AND rule_id = $2', [councilId, ruleId]);
  }

  /** Moves the rule set to `entry.version` and keeps the change in its history. */
  async recordChange(tx: Transaction, entry: RuleSetEntry): Promise<void> {
    await tx.query('UPDATE council_rule_sets SET version = $2 WHERE council_id = $1', [entry.councilId, entry.version]);
    await tx.query(
      `INSERT INTO council_rule_history (council_id, rule_id, version, change, period, previous_period, reason, changed_by, changed_at, obligations_moved)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        entry.councilId,
        entry.ruleId,
        entry.version,
        entry.change,
        JSON.stringify(entry.period),
        JSON.stringify(entry.previousPeriod),
        entry.reason,
        entry.changedBy,
        entry.changedAt,
        entry.obligationsMoved,
      ],
    );
  }

  /**
   * Locks the cases whose obligations a rule change moves, in id order, so the change waits for any
   * work in hand on them, and work that follows computes with the changed rule.
   */
  async lockCases(tx: Transaction, caseIds: readonly string[]): Promise<void> {
    await tx.query('SELECT id FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [[...new Set(caseIds)]]);
  }

  /** A review waiting to be held shows the due date of its obligation: it follows the obligation's move. */
  async followMovedObligations(tx: Transaction, moved: readonly { obligationId: string; dueDate: string }[]): Promise<void> {
    if (!moved.length) return;
    await tx.query(
      `UPDATE reviews r SET due_date = m.due_date
         FROM unnest($1::uuid[], $2::date[]) AS m (obligation_id, due_date)
        WHERE r.obligation_id = m.obligation_id AND r.status = 'scheduled'`,
      [moved.map((m) => m.obligationId), moved.map((m) => m.dueDate)],
    );
  }
}
