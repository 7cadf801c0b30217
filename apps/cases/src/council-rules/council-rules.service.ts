import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Actor, councilSubject, CouncilRulesChangedV1, EventTypes } from '@plo/contracts';
import { Change, UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems } from '@plo/platform';
import { RuleValidationError, StatutoryRuleOverrideError, TimescaleRule, UnknownRuleError } from '@plo/timescales';
import { assertVersion } from '../domain/concurrency';
import { councilPack, fieldProblemsOf, periodOf, requestedPeriod, RulePeriodSetting, ruleView } from '../domain/council-rules';
import { CouncilRulePacks } from './council-rule-packs';
import { OverrideRuleDto } from './council-rules.dto';
import { CouncilRulesStore } from './council-rules.store';

/**
 * A council's local timescale rules (visit frequencies, review cadences, warning lead times). A change
 * applies to due dates computed after it; obligations already open keep the date they were given.
 */
@Injectable()
export class CouncilRulesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: CouncilRulesStore,
    private readonly packs: CouncilRulePacks,
  ) {}

  async effective(councilId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      const { version, overrides } = await this.store.current(tx, councilId);
      const pack = councilPack(this.packs.national, overrides);
      return {
        councilId,
        version,
        rules: pack.rules.map((rule) =>
          ruleView(
            rule,
            this.packs.national.rule(rule.id),
            overrides.find((o) => o.ruleId === rule.id),
          ),
        ),
      };
    });
  }

  async history(councilId: string) {
    return this.unitOfWork.transaction((tx) => this.store.history(tx, councilId));
  }

  async override(councilId: string, ruleId: string, input: OverrideRuleDto, ifMatch: string | undefined, actor: Actor) {
    const national = this.nationalRule(ruleId);
    const { reason, ...requested } = input;
    assertNoFieldProblems([
      Object.values(requested).every((value) => value === undefined) && { field: 'offset', message: 'give offset, unit and/or counting' },
    ]);
    const period = requestedPeriod(national, requested);
    this.assertChangeable(councilId, national, period);
    return this.change(councilId, ruleId, ifMatch, actor, async (change, previous) => {
      await this.store.saveOverride(change, councilId, ruleId, period, actor.id, change.now);
      return { change: 'overridden', period, previousPeriod: previous ?? periodOf(national), reason };
    });
  }

  async reset(councilId: string, ruleId: string, reason: string | undefined, ifMatch: string | undefined, actor: Actor) {
    const national = this.nationalRule(ruleId);
    this.assertChangeable(councilId, national, periodOf(national));
    return this.change(councilId, ruleId, ifMatch, actor, async (change, previous) => {
      if (!previous)
        throw new NotFoundException(`council ${councilId} uses the national default for rule '${ruleId}': there is no override to remove`);
      await this.store.removeOverride(change, councilId, ruleId);
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
    apply: (
      change: Change,
      previous: RulePeriodSetting | undefined,
    ) => Promise<Pick<CouncilRulesChangedV1, 'change' | 'period' | 'previousPeriod'> & { reason?: string }>,
  ) {
    // Keyed by council, so every change of one council's rules reaches consumers in order.
    return this.unitOfWork.change({ subject: councilSubject(councilId), actor }, async (change) => {
      const version = await this.store.lockRuleSet(change, councilId);
      assertVersion({ what: `the rules of council ${councilId}`, currentVersion: version, ifMatch, required: false });
      const { reason, ...applied } = await apply(change, await this.store.override(change, councilId, ruleId));
      const next = version + 1;
      await this.store.recordChange(change, {
        councilId,
        ruleId,
        version: next,
        ...applied,
        reason: reason ?? null,
        changedBy: actor.id,
        changedAt: change.now,
      });
      const event: CouncilRulesChangedV1 = { councilId, ruleId, version: next, ...applied };
      change.emit(EventTypes.councilRulesChanged, event);
      const { overrides } = await this.store.current(change, councilId);
      const rule = councilPack(this.packs.national, overrides).rule(ruleId);
      return {
        councilId,
        version: next,
        rule: ruleView(
          rule,
          this.packs.national.rule(ruleId),
          overrides.find((o) => o.ruleId === ruleId),
        ),
      };
    });
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
