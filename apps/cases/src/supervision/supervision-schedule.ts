import { Injectable } from '@nestjs/common';
import { Change } from '@plo/messaging';
import { OpenObligation } from '@plo/obligations';
import { parseLocalDate } from '@plo/timescales';
import { CaseObligations, responsibleFor } from '../case/case-obligations';
import { CaseRow } from '../case/case.store';
import { CouncilRulePacks } from '../council-rules/council-rule-packs';
import { nextSupervision } from '../domain/supervision-rules';
import { SupervisionStore } from './supervision.store';

/**
 * The case's next supervision, one obligation of the case, computed from its children's statuses and
 * its last supervision: the one place it is (re)scheduled, whether a supervision was held or a
 * child's status changed. A change that leaves the due date where it was changes nothing; one that
 * moves it ends the open obligation (met on the day of a supervision, or cancelled with the reason)
 * and schedules the new one, except that one already overdue when a status began stays owed until
 * a supervision meets it. A closed case owes none.
 */
@Injectable()
export class SupervisionSchedule {
  constructor(
    private readonly supervisions: SupervisionStore,
    private readonly obligations: CaseObligations,
    private readonly packs: CouncilRulePacks,
  ) {}

  /** `heldOn`: a supervision is what changed. */
  async reconcile(change: Change, row: CaseRow, reason: string, heldOn?: string): Promise<void> {
    const { statuses, lastHeldOn, lastStatusChangeOn } = await this.supervisions.cadenceFacts(change, row.id);
    const due = row.closed_on
      ? undefined
      : nextSupervision(
          { openedOn: row.opened_on, statuses, lastHeldOn: lastHeldOn === undefined ? undefined : parseLocalDate(lastHeldOn) },
          await this.packs.packFor(change, row.council_id),
        );
    const open = await this.obligations.open(change, row.id, { kind: 'supervision' });
    // Missed before a status began or ended: the change may set a longer cadence or none, but it does not excuse a supervision already overdue.
    const missedBeforeTheChange = (o: OpenObligation) =>
      !row.closed_on &&
      lastStatusChangeOn !== undefined &&
      o.dueDate < lastStatusChangeOn &&
      (due === undefined || o.dueDate < due.dueDate);
    const stillOwed = (o: OpenObligation) =>
      !heldOn && ((due !== undefined && o.ruleId === due.ruleId && o.dueDate === due.dueDate) || missedBeforeTheChange(o));
    const [kept, ...duplicates] = open.filter(stillOwed);
    for (const obligation of open.filter((o) => o !== kept)) {
      if (heldOn && !duplicates.includes(obligation)) await this.obligations.satisfy(change, row.id, { id: obligation.id }, heldOn);
      else await this.obligations.cancel(change, row.id, reason, { id: obligation.id });
    }
    if (due && !kept) await this.obligations.schedule(change, responsibleFor(row), { kind: 'supervision', due });
  }
}
