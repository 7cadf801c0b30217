import { CouncilRulesChangedV1 } from '@plo/contracts';
import { Transaction } from '@plo/messaging';

export interface StoredOverride {
  ruleId: string;
  offset: number;
  unit: string;
  counting: string;
}

export async function councilOverrides(tx: Transaction, councilId: string): Promise<StoredOverride[]> {
  return tx.query<StoredOverride>(
    `SELECT rule_id AS "ruleId", "offset", unit, counting FROM council_rule_overrides WHERE council_id = $1`,
    [councilId],
  );
}

/** Records the council's rule-set version; false if this version or a newer one is already recorded. */
export async function advanceRuleSetVersion(tx: Transaction, councilId: string, version: number): Promise<boolean> {
  const newer = await tx.query(
    `INSERT INTO council_rule_sets (council_id, version) VALUES ($1, $2)
     ON CONFLICT (council_id) DO UPDATE SET version = excluded.version WHERE council_rule_sets.version < excluded.version
     RETURNING version`,
    [councilId, version],
  );
  return newer.length > 0;
}

export async function removeOverride(tx: Transaction, councilId: string, ruleId: string): Promise<void> {
  await tx.query('DELETE FROM council_rule_overrides WHERE council_id = $1 AND rule_id = $2', [councilId, ruleId]);
}

export async function saveOverride(
  tx: Transaction,
  councilId: string,
  ruleId: string,
  period: CouncilRulesChangedV1['period'],
): Promise<void> {
  await tx.query(
    `INSERT INTO council_rule_overrides (council_id, rule_id, "offset", unit, counting) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (council_id, rule_id) DO UPDATE SET "offset" = excluded."offset", unit = excluded.unit, counting = excluded.counting`,
    [councilId, ruleId, period.offset, period.unit, period.counting],
  );
}

/**
 * Locks the council's open pre-proceedings (the only PLO work whose obligations follow a local rule:
 * the review cadence), so a meeting recorded meanwhile either finishes first, and its new review is
 * recomputed, or waits and computes with the changed rule.
 */
export async function lockOpenPreProceedings(tx: Transaction, councilId: string): Promise<void> {
  await tx.query(
    `SELECT p.id FROM pre_proceedings p JOIN known_cases k ON k.case_id = p.case_id
      WHERE k.council_id = $1 AND p.status = 'open' ORDER BY p.id FOR UPDATE OF p`,
    [councilId],
  );
}
