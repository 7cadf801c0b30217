import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Actor, councilSubject, CouncilRulesChangedV1, EventTypes } from '@plo/contracts';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { planRuleChange, RuleChangePlan } from '@plo/obligations';
import { assertNoFieldProblems, refusedByLaw } from '@plo/platform';
import {
  RulePack,
  RuleValidationError,
  StatutoryLimitExceededError,
  StatutoryRuleOverrideError,
  TimescaleRule,
  UnknownRuleError,
} from '@plo/timescales';
import { CaseObligations } from '../case/case-obligations';
import { assertVersion } from '../domain/concurrency';
import {
  councilPack,
  fieldProblemsOf,
  movesView,
  packWithChange,
  PERIOD_FIELDS,
  periodOf,
  requestedPeriod,
  RulePeriodSetting,
  ruleView,
} from '../domain/council-rules';
import { CouncilRulePacks } from './council-rule-packs';
import { OverrideRuleDto, PreviewRuleChangeDto } from './council-rules.dto';
import { CouncilRulesStore } from './council-rules.store';

/** Cases' own copy of who answers for a case is the case row itself. */
const CASE_DIRECTORY = { table: 'cases', caseIdColumn: 'id' };

/**
 * A council's local timescale rules (visit frequencies, review cadences, warning lead times). A change
 * applies to due dates computed after it and recomputes the open obligations the rule governs, each
 * from the day it was counted from; a preview shows which would move without writing anything.
 */
@Injectable()
export class CouncilRulesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: CouncilRulesStore,
    private readonly packs: CouncilRulePacks,
    private readonly obligations: CaseObligations,
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
            rule.cappedBy === undefined ? undefined : pack.rule(rule.cappedBy),
          ),
        ),
      };
    });
  }

  /**
   * What overriding (or, with `reset`, resetting) a rule would do to the council's open obligations,
   * computed exactly as the change would and written nowhere. Refused as the change would be.
   */
  async preview(councilId: string, ruleId: string, input: PreviewRuleChangeDto) {
    const national = this.nationalRule(ruleId);
    const { reason: _reason, reset, ...requested } = input;
    const givesPeriod = Object.values(requested).some((value) => value !== undefined);
    assertNoFieldProblems([
      reset === true && givesPeriod && { field: 'reset', message: 'give reset, or offset, unit and/or counting, not both' },
      reset !== true && !givesPeriod && { field: 'offset', message: 'give offset, unit and/or counting, or reset: true' },
    ]);
    const period = reset === true ? undefined : requestedPeriod(national, requested);
    this.assertChangeable(councilId, national, period ?? periodOf(national), requested);
    return this.unitOfWork.transaction(async (tx) => {
      const { overrides } = await this.store.current(tx, councilId);
      const current = overrides.find((o) => o.ruleId === ruleId);
      if (reset === true && !current)
        throw new NotFoundException(`council ${councilId} uses the national default for rule '${ruleId}': there is no override to remove`);
      const plan = await this.plan(tx, councilId, ruleId, packWithChange(this.packs.national, overrides, ruleId, period));
      return {
        councilId,
        ruleId,
        change: reset === true ? ('reset' as const) : ('overridden' as const),
        period: period ?? periodOf(national),
        previousPeriod: current ? periodOf(current) : periodOf(national),
        ...this.planSummary(plan),
        obligations: movesView(plan),
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
    this.assertChangeable(councilId, national, period, requested);
    return this.change(councilId, ruleId, ifMatch, actor, async (change, previous) => {
      await this.store.saveOverride(change, councilId, ruleId, period, actor.id, change.now);
      return { change: 'overridden', period, previousPeriod: previous ?? periodOf(national), reason };
    });
  }

  async reset(councilId: string, ruleId: string, reason: string | undefined, ifMatch: string | undefined, actor: Actor) {
    const national = this.nationalRule(ruleId);
    this.assertChangeable(councilId, national, periodOf(national), {});
    return this.change(councilId, ruleId, ifMatch, actor, async (change, previous) => {
      if (!previous)
        throw new NotFoundException(`council ${councilId} uses the national default for rule '${ruleId}': there is no override to remove`);
      await this.store.removeOverride(change, councilId, ruleId);
      return { change: 'reset', period: periodOf(national), previousPeriod: previous, reason };
    });
  }

  /**
   * Applies one change under the council's rule-set row lock: the version goes up by one, the open
   * obligations the rule governs are recomputed (moved under their own ids, each announced), and the
   * change joins the history with how many moved and is announced, all in one transaction. The pack
   * cache is not touched here: it must never hold a pack built from a change that might still roll back.
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
      const { overrides } = await this.store.current(change, councilId);
      const pack = councilPack(this.packs.national, overrides);
      const event: CouncilRulesChangedV1 = { councilId, ruleId, version: next, ...applied };
      change.emit(EventTypes.councilRulesChanged, event);
      const plan = await this.recompute(change, councilId, ruleId, pack);
      await this.store.recordChange(change, {
        councilId,
        ruleId,
        version: next,
        ...applied,
        reason: reason ?? null,
        changedBy: actor.id,
        changedAt: change.now,
        obligationsMoved: plan.moves.length,
      });
      const rule = pack.rule(ruleId);
      return {
        councilId,
        version: next,
        rule: ruleView(
          rule,
          this.packs.national.rule(ruleId),
          overrides.find((o) => o.ruleId === ruleId),
          rule.cappedBy === undefined ? undefined : pack.rule(rule.cappedBy),
        ),
        ...this.planSummary(plan),
      };
    });
  }

  private async plan(tx: Transaction, councilId: string, ruleId: string, pack: RulePack): Promise<RuleChangePlan> {
    return planRuleChange(await this.obligations.openGovernedBy(tx, councilId, ruleId, CASE_DIRECTORY), ruleId, pack);
  }

  /**
   * Moves the open obligations the changed rule governs. Their cases are locked first and the plan
   * made after, so an obligation scheduled meanwhile with the old rule is recomputed too, and one
   * scheduled after waits for the new rule.
   */
  private async recompute(change: Change, councilId: string, ruleId: string, pack: RulePack): Promise<RuleChangePlan> {
    const governed = await this.obligations.openGovernedBy(change, councilId, ruleId, CASE_DIRECTORY);
    await this.store.lockCases(
      change,
      governed.map((o) => o.caseId),
    );
    const plan = await this.plan(change, councilId, ruleId, pack);
    for (const { obligation, deadline } of plan.moves) await this.obligations.move(change, obligation.responsible, obligation, deadline);
    await this.store.followMovedObligations(
      change,
      plan.moves.map(({ obligation, deadline }) => ({ obligationId: obligation.id, dueDate: deadline.dueDate })),
    );
    return plan;
  }

  private planSummary(plan: RuleChangePlan) {
    return {
      obligationsMoved: plan.moves.length,
      obligationsUnchanged: plan.unchanged.length,
      obligationsWithoutAnchor: plan.withoutAnchor.length,
    };
  }

  private nationalRule(ruleId: string): TimescaleRule {
    try {
      return this.packs.national.rule(ruleId);
    } catch (error) {
      if (error instanceof UnknownRuleError) throw new NotFoundException(`there is no timescale rule '${ruleId}'`);
      throw error;
    }
  }

  /**
   * The timescales library decides what a council may change; its refusals become 409 (statutory),
   * 400 (invalid period) or 422 (past the national limit on the same duty, naming the limit).
   */
  private assertChangeable(
    councilId: string,
    rule: TimescaleRule,
    period: RulePeriodSetting,
    requested: Partial<Record<(typeof PERIOD_FIELDS)[number], unknown>>,
  ): void {
    try {
      this.packs.national.forCouncil({ [rule.id]: period }).assertWithinLimit(rule.id);
    } catch (error) {
      if (error instanceof StatutoryLimitExceededError) {
        const given = PERIOD_FIELDS.filter((field) => requested[field] !== undefined);
        throw refusedByLaw(error.message, {
          fields: (given.length ? given : ['offset']).map((field) => ({ field, message: error.message })),
          ruleId: rule.id,
          limit: { ruleId: error.limit.id, title: error.limit.title, source: error.limit.source, authority: error.limit.authority },
          example: error.example,
        });
      }
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
