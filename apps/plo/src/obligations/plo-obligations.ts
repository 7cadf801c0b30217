import { Change } from '@plo/messaging';
import { Due, ObligationLedger, OpenObligation, Responsible } from '@plo/obligations';

/**
 * PLO's dated obligations (court deadlines, children's clocks, pre-proceedings limits and reviews),
 * each belonging to proceedings or pre-proceedings and perhaps to one hearing.
 */
export const ploObligations = new ObligationLedger({
  table: 'plo_obligations',
  referenceColumns: ['proceedings_id', 'pre_proceedings_id', 'hearing_id'],
  tieBreak: ['kind'],
});

/**
 * Re-plans an open obligation. A due date that did not change is no move at all: nothing is written or
 * announced, so calendars and alerts do not see a change that is none.
 */
export async function reschedule(change: Change, responsible: Responsible, obligation: OpenObligation, due: Due): Promise<void> {
  if (obligation.dueDate === due.dueDate) return;
  await ploObligations.move(change, responsible, obligation, due);
}
