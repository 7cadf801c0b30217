import { Injectable } from '@nestjs/common';
import { Change, Transaction } from '@plo/messaging';
import { laterOf, parseLocalDate } from '@plo/timescales';
import { CaseObligations, responsibleFor } from '../case/case-obligations';
import { CaseRow, CaseStore } from '../case/case.store';
import { CouncilRulePacks } from '../council-rules/council-rule-packs';
import { nextVisitDeadline, VisitScheduleFacts } from '../domain/visit-rules';
import { VisitsStore } from './visits.store';

/**
 * Each child's next statutory visit, an obligation of the case. Recording a visit moves it, and so do
 * other changes of the case: a child joining, a new legal status, a new placement.
 */
@Injectable()
export class VisitSchedule {
  constructor(
    private readonly visits: VisitsStore,
    private readonly cases: CaseStore,
    private readonly obligations: CaseObligations,
    private readonly packs: CouncilRulePacks,
  ) {}

  async schedule(change: Change, row: CaseRow, childId: string, facts: VisitScheduleFacts): Promise<void> {
    const deadline = nextVisitDeadline(facts, await this.packs.packFor(change, row.council_id));
    await this.obligations.schedule(change, responsibleFor(row), { kind: 'visit', due: deadline, childId });
  }

  /** Schedules the child's next visit from what the case knows of the child's visits, not before `notBefore`. */
  async scheduleNext(change: Change, row: CaseRow, childId: string, notBefore: string): Promise<void> {
    await this.schedule(change, row, childId, await this.facts(change, row, childId, notBefore));
  }

  /**
   * What a child's next visit is counted from: the child's last statutory visit (or, before any,
   * the day the child joined the case), not before `notBefore`; for a looked-after child, the
   * child's current placement, or a placement recorded for the whole case since the child joined.
   */
  private async facts(tx: Transaction, row: CaseRow, childId: string, notBefore: string): Promise<VisitScheduleFacts> {
    const child = await this.visits.childHistory(tx, childId, row.opened_on);
    const countFrom = laterOf(parseLocalDate(child.last ?? child.since), parseLocalDate(notBefore));
    if (row.legal_status !== 'looked-after') return { legalStatus: row.legal_status, countFrom };
    const placement = await this.visits.currentPlacement(tx, row.id, childId, child.since);
    if (!placement) return { legalStatus: row.legal_status, countFrom };
    return {
      legalStatus: row.legal_status,
      countFrom,
      placement: {
        startedOn: parseLocalDate(placement.started_on),
        intendedToLastUntil18: placement.intended_until_18,
        ...(placement.last_visit ? { lastVisitInPlacement: parseLocalDate(placement.last_visit) } : {}),
      },
    };
  }

  /**
   * Visit obligations made before visits were owed per child (child_id NULL) are shared out the
   * first time the case's visits change: the first child without one takes it over (same id and due
   * date, announced again with the child), every other such child gets one with the same due date,
   * and any left over end. Done here rather than in the migration so every step is an event.
   */
  async adoptCaseWideVisits(change: Change, row: CaseRow): Promise<void> {
    const visits = (await this.obligations.open(change, row.id)).filter((o) => o.kind === 'visit');
    const [template, ...surplus] = visits.filter((o) => o.childId === null);
    if (!template) return;
    const due = { ruleId: template.ruleId, dueDate: template.dueDate, explanation: template.explanation };
    const uncovered = (await this.cases.childIds(change, row.id)).filter((childId) => !visits.some((o) => o.childId === childId));
    for (const [i, childId] of uncovered.entries()) {
      if (i === 0) await this.obligations.assignChild(change, responsibleFor(row), { id: template.id, kind: 'visit', due }, childId);
      else await this.obligations.schedule(change, responsibleFor(row), { kind: 'visit', due, childId });
    }
    const replaced = uncovered.length === 0 ? [template, ...surplus] : surplus;
    for (const { id } of replaced) await this.obligations.cancel(change, row.id, 'replaced by per-child visit obligations', { id });
  }
}
