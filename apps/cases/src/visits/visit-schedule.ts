import { Injectable } from '@nestjs/common';
import { Change } from '@plo/messaging';
import { CaseObligations, responsibleFor } from '../case/case-obligations';
import { CaseRow, CaseStore } from '../case/case.store';
import { CouncilRulePacks } from '../council-rules/council-rule-packs';
import { nextChildVisit } from '../domain/child-status-rules';
import { VisitsStore } from './visits.store';

/**
 * Each child's next statutory visit, an obligation of the case, computed from the child's facts
 * (statuses with their dates, placements, visits) whatever order they were entered in: a change that
 * leaves the due date where it was changes nothing; one that moves it ends the open obligation (met
 * on the day of a visit, or cancelled with the reason) and schedules the new one.
 */
@Injectable()
export class VisitSchedule {
  constructor(
    private readonly visits: VisitsStore,
    private readonly cases: CaseStore,
    private readonly obligations: CaseObligations,
    private readonly packs: CouncilRulePacks,
  ) {}

  /** Brings the child's visit obligation in line with the child's facts; `visitedOn`: a visit is what changed. */
  async reconcile(change: Change, row: CaseRow, childId: string, reason: string, visitedOn?: string): Promise<void> {
    const facts = await this.visits.childFacts(change, row.id, childId);
    const due = nextChildVisit(facts, await this.packs.packFor(change, row.council_id));
    const open = (await this.obligations.open(change, row.id, { kind: 'visit', childId })).filter((o) => o.childId === childId);
    const [kept, ...duplicates] = open.filter((o) => due && o.ruleId === due.ruleId && o.dueDate === due.dueDate);
    for (const obligation of open.filter((o) => o !== kept)) {
      if (visitedOn && !duplicates.includes(obligation)) await this.obligations.satisfy(change, row.id, { id: obligation.id }, visitedOn);
      else await this.obligations.cancel(change, row.id, reason, { id: obligation.id });
    }
    if (due && !kept) await this.obligations.schedule(change, responsibleFor(row), { kind: 'visit', due, childId });
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
