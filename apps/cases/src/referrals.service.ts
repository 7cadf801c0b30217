import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor, EventTypes, ReferralDecidedV1, ReferralKind, ReferralRecordedV1 } from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, notBefore, notFuture, returningRows } from '@plo/platform';
import { addMonths, computeDeadline, parseLocalDate } from '@plo/timescales';
import { CaseStore, PendingEvent } from './case-store';
import { computeKpis } from './domain/kpis';
import { ObligationBook } from './obligations';
import { DecideReferralDto, KpiQuery, RecordReferralDto } from './referrals.dto';

/** Working Together: a decision on a contact within 1 WD; referrals progressed within 2 WD (local KPI). */
const DECISION_RULE: Record<ReferralKind, string> = { contact: 'referral-decision', referral: 'referral-next-step' };
const WORKING_DAYS_ALLOWED: Record<ReferralKind, number> = { contact: 1, referral: 2 };

@Injectable()
export class ReferralsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: CaseStore,
    private readonly obligations: ObligationBook,
  ) {}

  /** A referral within 12 months of a previous one on the case is a repeat referral (DfE definition). */
  async record(caseId: string, input: RecordReferralDto, ifMatch: string | undefined, actor: Actor) {
    const today = this.store.today();
    assertNoFieldProblems([
      notFuture('receivedOn', input.receivedOn, today),
      notFuture('decidedOn', input.decidedOn, today),
      notBefore('decidedOn', input.decidedOn, input.receivedOn, 'it was received'),
      (input.decidedOn === undefined) !== (input.outcome === undefined) && { field: 'outcome', message: 'give decidedOn and outcome together, or neither' },
    ]);
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: false });
      const [earlier] =
        input.kind === 'referral'
          ? await manager.query(`SELECT 1 FROM referrals WHERE case_id = $1 AND kind = 'referral' AND received_on >= $2 AND received_on < $3 LIMIT 1`, [
              caseId,
              addMonths(parseLocalDate(input.receivedOn), -12),
              input.receivedOn,
            ])
          : [];
      const repeat = Boolean(earlier);
      const referralId = randomUUID();
      const deadline = computeDeadline(DECISION_RULE[input.kind], parseLocalDate(input.receivedOn), await this.store.rulesFor(manager, row.council_id));
      const { obligationId, event } = await this.obligations.schedule(manager, row, { kind: `${input.kind}-decision`, due: deadline, subjectId: referralId });
      await manager.query(
        `INSERT INTO referrals (id, case_id, kind, received_on, source, obligation_id, repeat) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [referralId, caseId, input.kind, input.receivedOn, input.source ?? null, obligationId, repeat],
      );
      const recorded: ReferralRecordedV1 = { caseId, referralId, kind: input.kind, receivedOn: input.receivedOn, repeat };
      const events: PendingEvent[] = [[EventTypes.referralRecorded, recorded], event];
      if (input.decidedOn && input.outcome) events.push(...(await this.applyDecision(manager, caseId, referralId, input.decidedOn, input.outcome)));
      await this.store.commitChange(manager, row, actor, events);
      return this.view(manager, caseId, referralId);
    });
  }

  async decide(caseId: string, referralId: string, input: DecideReferralDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: false });
      const referral = await this.view(manager, caseId, referralId);
      if (referral.decidedOn) throw new ConflictException(`${referral.kind} ${referralId} was already decided on ${referral.decidedOn} (${referral.outcome})`);
      assertNoFieldProblems([notFuture('decidedOn', input.decidedOn, this.store.today()), notBefore('decidedOn', input.decidedOn, referral.receivedOn, 'it was received')]);
      const events = await this.applyDecision(manager, caseId, referralId, input.decidedOn, input.outcome);
      await this.store.commitChange(manager, row, actor, events);
      return this.view(manager, caseId, referralId);
    });
  }

  async list(caseId: string) {
    return this.unitOfWork.run(async (manager) => {
      await this.store.load(manager, caseId);
      const ids: { id: string }[] = await manager.query('SELECT id FROM referrals WHERE case_id = $1 ORDER BY received_on, created_at', [caseId]);
      return Promise.all(ids.map(({ id }) => this.view(manager, caseId, id)));
    });
  }

  /**
   * The peer review's table for a council (or one team) over a reporting period. Cases count for
   * "seen in the last 6 weeks" when open on the reporting date, by their legal status on that date.
   */
  async kpis(query: KpiQuery) {
    const to = query.to ?? this.store.today();
    assertNoFieldProblems([notBefore('to', to, query.from, 'from')]);
    return this.unitOfWork.run(async (manager) => {
      const scope = `c.council_id = $1 AND ($2::text IS NULL OR c.team_id = $2)`;
      const period = [query.councilId, query.teamId ?? null, query.from, to];
      const received = await manager.query(
        `SELECT r.kind, to_char(r.received_on, 'YYYY-MM-DD') AS "receivedOn", to_char(r.decided_on, 'YYYY-MM-DD') AS "decidedOn", r.repeat
           FROM referrals r JOIN cases c ON c.id = r.case_id WHERE ${scope} AND r.received_on BETWEEN $3 AND $4`,
        period,
      );
      const openCases = await manager.query(
        `SELECT s.legal_status AS "legalStatus",
                (SELECT to_char(max(v.visited_on), 'YYYY-MM-DD') FROM visits v WHERE v.case_id = c.id AND v.child_seen AND v.visited_on <= $3) AS "lastSeenOn"
           FROM cases c JOIN legal_statuses s ON s.case_id = c.id AND s.start_date <= $3 AND (s.end_date IS NULL OR s.end_date > $3)
          WHERE ${scope} AND c.opened_on <= $3 AND (c.closed_on IS NULL OR c.closed_on > $3)`,
        [query.councilId, query.teamId ?? null, to],
      );
      const icpcs = await manager.query(
        `SELECT r.outcome FROM reviews r JOIN cases c ON c.id = r.case_id WHERE ${scope} AND r.kind = 'icpc' AND r.status = 'held' AND r.held_on BETWEEN $3 AND $4`,
        period,
      );
      const report = computeKpis(
        {
          asOf: parseLocalDate(to),
          contacts: received.filter((r: { kind: string }) => r.kind === 'contact'),
          referrals: received.filter((r: { kind: string }) => r.kind === 'referral'),
          openCases,
          icpcs,
        },
        this.store.calendar,
      );
      return { councilId: query.councilId, teamId: query.teamId ?? null, from: query.from, to, ...report };
    });
  }

  private async applyDecision(manager: EntityManager, caseId: string, referralId: string, decidedOn: string, outcome: string): Promise<PendingEvent[]> {
    const [referral] = await returningRows<{ kind: ReferralKind; obligation_id: string; received_on: string }>(
      manager,
      `UPDATE referrals SET decided_on = $3, outcome = $4 WHERE case_id = $1 AND id = $2 RETURNING kind, obligation_id, to_char(received_on, 'YYYY-MM-DD') AS received_on`,
      [caseId, referralId, decidedOn, outcome],
    );
    const withinTimescale = this.store.calendar.countWorkingDays(parseLocalDate(referral.received_on), parseLocalDate(decidedOn)) <= WORKING_DAYS_ALLOWED[referral.kind];
    const decided: ReferralDecidedV1 = { caseId, referralId, decidedOn, outcome, withinTimescale };
    return [[EventTypes.referralDecided, decided], ...(await this.obligations.satisfy(manager, caseId, referral.obligation_id, decidedOn))];
  }

  private async view(manager: EntityManager, caseId: string, referralId: string) {
    const [referral] = await manager.query(
      `SELECT r.id, r.kind, to_char(r.received_on, 'YYYY-MM-DD') AS "receivedOn", r.source, to_char(r.decided_on, 'YYYY-MM-DD') AS "decidedOn", r.outcome, r.repeat,
              r.obligation_id AS "obligationId", to_char(o.due_date, 'YYYY-MM-DD') AS "decisionDueDate", o.explanation
         FROM referrals r JOIN obligations o ON o.id = r.obligation_id WHERE r.case_id = $1 AND r.id = $2`,
      [caseId, referralId],
    );
    if (!referral) throw new NotFoundException(`case ${caseId} has no referral ${referralId}`);
    return referral;
  }
}
