import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, EventTypes, ReferralDecidedV1, ReferralRecordedV1 } from '@plo/contracts';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, notBefore, notFuture } from '@plo/platform';
import { addMonths, computeDeadline, londonDateOf, parseLocalDate } from '@plo/timescales';
import { CaseChanges } from '../case/case-changes';
import { CaseObligations, responsibleFor, SUBJECT } from '../case/case-obligations';
import { CaseStore } from '../case/case.store';
import { CouncilRulePacks } from '../council-rules/council-rule-packs';
import { computeKpis } from '../domain/kpis';
import { DecideReferralDto, KpiQuery, RecordReferralDto } from './referrals.dto';
import { ReferralsStore } from './referrals.store';

/**
 * Working Together 2023: a decision on a contact or a referral within 1 working day, the one
 * obligation each carries. The peer review's "progressed within 2 working days" stays the council's
 * local measure (`referral-next-step`), read from its pack when the KPI table is computed.
 */
const DECISION_RULE = 'referral-decision';
/** The KPI the council's pack measures a referral's progress by. */
const NEXT_STEP_RULE = 'referral-next-step';

@Injectable()
export class ReferralsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly referrals: ReferralsStore,
    private readonly obligations: CaseObligations,
    private readonly packs: CouncilRulePacks,
    private readonly clock: Clock,
  ) {}

  /**
   * A referral is a repeat for each child who had another referral received in the 12 months before
   * it (CIN census definition), on this case or, through the council's person id, on another of its cases.
   */
  async record(caseId: string, input: RecordReferralDto, ifMatch: string | undefined, actor: Actor) {
    const today = this.today();
    assertNoFieldProblems([
      notFuture('receivedOn', input.receivedOn, today),
      notFuture('decidedOn', input.decidedOn, today),
      notBefore('decidedOn', input.decidedOn, input.receivedOn, 'it was received'),
      (input.decidedOn === undefined) !== (input.outcome === undefined) && {
        field: 'outcome',
        message: 'give decidedOn and outcome together, or neither',
      },
    ]);
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      const ofCase = await this.cases.childIds(change, caseId);
      const childIds = input.childIds ?? ofCase;
      const strangers = childIds.filter((id) => !ofCase.includes(id));
      assertNoFieldProblems([
        strangers.length > 0 && { field: 'childIds', message: `childIds ${strangers.join(', ')} not children on case ${caseId}` },
      ]);
      const repeatFor =
        input.kind === 'referral'
          ? await this.referrals.referredBetween(
              change,
              row.council_id,
              childIds,
              addMonths(parseLocalDate(input.receivedOn), -12),
              input.receivedOn,
            )
          : [];
      const repeat = repeatFor.length > 0;
      const referralId = randomUUID();
      const deadline = computeDeadline(DECISION_RULE, parseLocalDate(input.receivedOn), await this.packs.packFor(change, row.council_id));
      const recorded: ReferralRecordedV1 = {
        caseId,
        referralId,
        kind: input.kind,
        receivedOn: input.receivedOn,
        repeat,
        childIds,
        repeatFor,
      };
      change.emit(EventTypes.referralRecorded, recorded);
      const obligationId = await this.obligations.schedule(change, responsibleFor(row), {
        kind: `${input.kind}-decision`,
        due: deadline,
        references: { [SUBJECT]: referralId },
      });
      await this.referrals.insert(change, {
        id: referralId,
        caseId,
        kind: input.kind,
        receivedOn: input.receivedOn,
        source: input.source ?? null,
        obligationId,
        childIds,
        repeatFor,
      });
      if (input.decidedOn && input.outcome) await this.applyDecision(change, caseId, referralId, input.decidedOn, input.outcome);
      return this.view(change, caseId, referralId);
    });
  }

  async decide(caseId: string, referralId: string, input: DecideReferralDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change) => {
      const referral = await this.view(change, caseId, referralId);
      if (referral.decidedOn)
        throw new ConflictException(`${referral.kind} ${referralId} was already decided on ${referral.decidedOn} (${referral.outcome})`);
      assertNoFieldProblems([
        notFuture('decidedOn', input.decidedOn, this.today()),
        notBefore('decidedOn', input.decidedOn, referral.receivedOn, 'it was received'),
      ]);
      await this.applyDecision(change, caseId, referralId, input.decidedOn, input.outcome);
      return this.view(change, caseId, referralId);
    });
  }

  async list(caseId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      const ids = await this.referrals.ids(tx, caseId);
      return Promise.all(ids.map((id) => this.view(tx, caseId, id)));
    });
  }

  /**
   * The peer review's table for a council (or one team) over a reporting period. Cases count for
   * "seen in the last 6 weeks" when open on the reporting date, by their legal status on that date.
   */
  async kpis(query: KpiQuery) {
    const to = query.to ?? this.today();
    assertNoFieldProblems([notBefore('to', to, query.from, 'from')]);
    const scope = { councilId: query.councilId, teamId: query.teamId ?? null, from: query.from, to };
    return this.unitOfWork.transaction(async (tx) => {
      const pack = await this.packs.packFor(tx, query.councilId);
      const received = await this.referrals.received(tx, scope);
      const openChildren = await this.referrals.openChildren(tx, scope);
      const icpcs = await this.referrals.icpcs(tx, scope);
      const assessments = await this.referrals.assessmentsCompleted(tx, scope);
      const section47s = await this.referrals.section47s(tx, scope);
      const supervisionsDue = await this.referrals.supervisionsDue(tx, scope);
      const report = computeKpis(
        {
          asOf: parseLocalDate(to),
          contacts: received.filter((r) => r.kind === 'contact'),
          referrals: received
            .filter((r) => r.kind === 'referral')
            .map((r) => ({ ...r, progressDueOn: computeDeadline(NEXT_STEP_RULE, r.receivedOn, pack).dueDate })),
          openChildren,
          icpcs,
          assessments: assessments.map((a) => ({
            completedOn: a.completedOn,
            dueOn: computeDeadline('assessment-completion', a.referralReceivedOn, pack).dueDate,
          })),
          section47s,
          supervisionsDue,
        },
        this.packs.calendar,
      );
      return { councilId: query.councilId, teamId: query.teamId ?? null, from: query.from, to, ...report };
    });
  }

  private async applyDecision(change: Change, caseId: string, referralId: string, decidedOn: string, outcome: string): Promise<void> {
    const referral = await this.referrals.decide(change, caseId, referralId, decidedOn, outcome);
    const withinTimescale = decidedOn <= referral.due_date;
    const decided: ReferralDecidedV1 = { caseId, referralId, decidedOn, outcome, withinTimescale };
    change.emit(EventTypes.referralDecided, decided);
    await this.obligations.satisfy(change, caseId, { id: referral.obligation_id }, decidedOn);
  }

  private async view(tx: Transaction, caseId: string, referralId: string) {
    const referral = await this.referrals.find(tx, caseId, referralId);
    if (!referral) throw new NotFoundException(`case ${caseId} has no referral ${referralId}`);
    return referral;
  }

  private today() {
    return londonDateOf(this.clock.now());
  }
}
