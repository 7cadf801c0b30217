import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, councilSubject, CouncilRulesChangedV1, EventTypes } from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { RuleValidationError, StatutoryRuleOverrideError, TimescaleRule, UnknownRuleError } from '@plo/timescales';
import { CaseStore } from './case-store';
import { CouncilRulePacks } from './council-rule-packs';
import { OverrideRuleDto } from './council-rules.dto';
import { assertVersion } from './domain/concurrency';
import { councilPack, fieldProblemsOf, periodOf, requestedPeriod, RulePeriodSetting, ruleView, StoredOverride } from './domain/council-rules';
import { assertNoFieldProblems } from '@plo/platform';

const OVERRIDE_COLUMNS = `rule_id AS "ruleId", "offset", unit, counting, changed_by AS "changedBy", changed_at AS "changedAt"`;

/**
 * A council's local timescale rules (visit frequencies, review cadences, warning lead times). A change
 * applies to due dates computed after it; obligations already open keep the date they were given.
 */
@Injectable()
export class CouncilRulesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: CaseStore,
    private readonly packs: CouncilRulePacks,
  ) {}

  async effective(councilId: string) {
    return this.unitOfWork.run(async (manager) => {
      const { version, overrides } = await this.current(manager, councilId);
      const pack = councilPack(this.packs.national, overrides);
      return { councilId, version, rules: pack.rules.map((rule) => ruleView(rule, this.packs.national.rule(rule.id), overrides.find((o) => o.ruleId === rule.id))) };
    });
  }

  async history(councilId: string) {
    return this.unitOfWork.run((manager) =>
      manager.query(
        `SELECT version, rule_id AS "ruleId", change, period, previous_period AS "previousPeriod", reason, changed_by AS "changedBy", changed_at AS "changedAt"
           FROM council_rule_history WHERE council_id = $1 ORDER BY version DESC`,
        [councilId],
      ),
    );
  }

  async override(councilId: string, ruleId: string, input: OverrideRuleDto, ifMatch: string | undefined, actor: Actor) {
    const national = this.nationalRule(ruleId);
    const { reason, ...requested } = input;
    assertNoFieldProblems([Object.values(requested).every((value) => value === undefined) && { field: 'offset', message: 'give offset, unit and/or counting' }]);
    const period = requestedPeriod(national, requested);
    this.assertChangeable(councilId, national, period);
    return this.change(councilId, ruleId, ifMatch, actor, async (manager, previous) => {
      await manager.query(
        `INSERT INTO council_rule_overrides (council_id, rule_id, "offset", unit, counting, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (council_id, rule_id) DO UPDATE SET "offset" = $3, unit = $4, counting = $5, changed_by = $6, changed_at = $7`,
        [councilId, ruleId, period.offset, period.unit, period.counting, actor.id, this.store.now()],
      );
      return { change: 'overridden', period, previousPeriod: previous ?? periodOf(national), reason };
    });
  }

  async reset(councilId: string, ruleId: string, reason: string | undefined, ifMatch: string | undefined, actor: Actor) {
    const national = this.nationalRule(ruleId);
    this.assertChangeable(councilId, national, periodOf(national));
    return this.change(councilId, ruleId, ifMatch, actor, async (manager, previous) => {
      if (!previous) throw new NotFoundException(`council ${councilId} uses the national default for rule '${ruleId}': there is no override to remove`);
      await manager.query('DELETE FROM council_rule_overrides WHERE council_id = $1 AND rule_id = $2', [councilId, ruleId]);
      return { change: 'reset', period: periodOf(national), previousPeriod: previous, reason };
    });
  }

  /**
   * Applies one change under the council's rule-set row lock: the version goes up by one, the change
   * joins the history and is announced, all in one transaction. The pack cache is not touched here:
   * it must never hold a pack built from a change that might still roll back.
   */
  private async change(
    councilId: string,
    ruleId: string,
    ifMatch: string | undefined,
    actor: Actor,
    apply: (manager: EntityManager, previous: RulePeriodSetting | undefined) => Promise<Pick<CouncilRulesChangedV1, 'change' | 'period' | 'previousPeriod'> & { reason?: string }>,
  ) {
    return this.unitOfWork.run(async (manager) => {
      await manager.query('INSERT INTO council_rule_sets (council_id, version) VALUES ($1, 0) ON CONFLICT (council_id) DO NOTHING', [councilId]);
      const [{ version }] = await manager.query('SELECT version FROM council_rule_sets WHERE council_id = $1 FOR UPDATE', [councilId]);
      assertVersion({ what: `the rules of council ${councilId}`, currentVersion: version, ifMatch, required: false });
      const [previous]: RulePeriodSetting[] = await manager.query(
        `SELECT "offset", unit, counting FROM council_rule_overrides WHERE council_id = $1 AND rule_id = $2`,
        [councilId, ruleId],
      );
      const { reason, ...change } = await apply(manager, previous);
      const next = version + 1;
      await manager.query('UPDATE council_rule_sets SET version = $2 WHERE council_id = $1', [councilId, next]);
      await manager.query(
        `INSERT INTO council_rule_history (council_id, rule_id, version, change, period, previous_period, reason, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [councilId, ruleId, next, change.change, JSON.stringify(change.period), JSON.stringify(change.previousPeriod), reason ?? null, actor.id, this.store.now()],
      );
      const event: CouncilRulesChangedV1 = { councilId, ruleId, version: next, ...change };
      await this.store.emit(manager, councilSubject(councilId), actor, [[EventTypes.councilRulesChanged, event]]);
      const { overrides } = await this.current(manager, councilId);
      const rule = councilPack(this.packs.national, overrides).rule(ruleId);
      return { councilId, version: next, rule: ruleView(rule, this.packs.national.rule(ruleId), overrides.find((o) => o.ruleId === ruleId)) };
    });
  }

  private async current(manager: EntityManager, councilId: string): Promise<{ version: number; overrides: StoredOverride[] }> {
    const [set] = await manager.query('SELECT version FROM council_rule_sets WHERE council_id = $1', [councilId]);
    const overrides: StoredOverride[] = await manager.query(`SELECT ${OVERRIDE_COLUMNS} FROM council_rule_overrides WHERE council_id = $1 ORDER BY rule_id`, [councilId]);
    return { version: set?.version ?? 0, overrides };
  }

  private nationalRule(ruleId: string): TimescaleRule {
    try {
      return this.packs.national.rule(ruleId);
    } catch (error) {
      if (error instanceof UnknownRuleError) throw new NotFoundException(`there is no timescale rule '${ruleId}'`);
      throw error;
    }
  }

  /** The timescales library decides what a council may change; its refusals become 409 (statutory) or 400 (invalid period). */
  private assertChangeable(councilId: string, rule: TimescaleRule, period: RulePeriodSetting): void {
    try {
      this.packs.national.forCouncil({ [rule.id]: period });
    } catch (error) {
      if (error instanceof StatutoryRuleOverrideError) {
        throw new ConflictException({
          statusCode: 409,
          error: 'Conflict',
          message: `rule '${rule.id}' (${rule.title}) is statutory and council ${councilId} cannot change it: ${rule.source}`,
          ruleId: rule.id,
          kind: rule.kind,
          source: rule.source,
          localRules: this.packs.national.rules.filter((r) => r.kind === 'local').map((r) => r.id),
        });
      }
      if (error instanceof RuleValidationError) assertNoFieldProblems(fieldProblemsOf(error.problems));
      throw error;
    }
  }
}
