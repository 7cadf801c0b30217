import { ObligationAuthority } from '@plo/contracts';
import { Change } from '@plo/messaging';
import { Due, NewObligation, ObligationLedger, OpenObligation, Responsible } from '@plo/obligations';

/**
 * Timescales PLO schedules that guidance sets, not statute or rules of court: the 16-week
 * pre-proceedings period (PLO 2023 Pre-Proceedings Guidance), which may be extended with a reason,
 * and HMCTS's 5 days for a draft order (a practice of its service).
 */
const GUIDANCE_RULES: ReadonlySet<string> = new Set(['pre-proceedings-limit', 'draft-order-after-hearing']);

/** What sets a due date: an authority the rule declares wins; otherwise guidance as above, the council's own (local) rules, or statute. */
export function authorityOf(due: Due & { kind?: string }): ObligationAuthority {
  if (due.authority) return due.authority;
  if (GUIDANCE_RULES.has(due.ruleId)) return 'guidance';
  return due.kind === 'local' ? 'local' : 'statute';
}

/** PLO's ledger: every obligation it schedules or moves says what authority sets its date. */
class PloObligationLedger extends ObligationLedger {
  override schedule(change: Change, responsible: Responsible, obligation: NewObligation): Promise<string> {
    return super.schedule(change, responsible, { ...obligation, due: { ...obligation.due, authority: authorityOf(obligation.due) } });
  }

  override move(change: Change, responsible: Responsible, current: Pick<OpenObligation, 'id' | 'kind' | 'childId'>, due: Due) {
    return super.move(change, responsible, current, { ...due, authority: authorityOf(due) });
  }
}

/**
 * PLO's dated obligations (court deadlines, children's clocks, pre-proceedings limits and reviews),
 * each belonging to proceedings or pre-proceedings and perhaps to one hearing.
 */
export const ploObligations = new PloObligationLedger({
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
