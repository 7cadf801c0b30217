import { Injectable } from '@nestjs/common';
import type { Transaction } from '@plo/messaging';
import { formatLongDate, parseLocalDate } from '@plo/timescales';
import { DeliveryPlanner, EmailPayload } from './delivery-planner';
import { DeliveryStore, ManagerSummary } from './delivery.store';

const LINES_PER_DIGEST = 50;

/**
 * Once per London day, each manager with active alerts in their teams (as team manager of the case,
 * or service manager of its team) gets one e-mail listing them. The (manager, day) primary key makes
 * "once" hold across restarts and instances.
 */
@Injectable()
export class DigestPlanner {
  constructor(
    private readonly planner: DeliveryPlanner,
    private readonly store: DeliveryStore,
  ) {}

  async planFor(tx: Transaction, londonDate: string, now: Date): Promise<number> {
    if (!this.planner.emailEnabled) return 0;
    const summaries = await this.store.managerSummaries(tx, LINES_PER_DIGEST);
    if (!summaries.length) return 0;
    const mine = await this.store.claimDigests(tx, summaries, londonDate, now);
    const toSend = summaries.filter((summary) => mine.has(summary.manager_id));
    if (!toSend.length) return 0;
    await this.store.enqueueDigests(
      tx,
      toSend.map((s) => ({ recipientId: s.manager_id, payload: digestEmail(s, londonDate) })),
    );
    return toSend.length;
  }
}

export function digestEmail(summary: ManagerSummary, londonDate: string): EmailPayload {
  const day = formatLongDate(parseLocalDate(londonDate));
  const lines = summary.lines.map(
    (line) =>
      `- ${line.severity.toUpperCase()} ${line.level}: ${line.kind} due ${line.dueDate}, case ${line.caseReference ?? 'unknown'}, ${line.workerId} (${line.teamId}), ${line.state}`,
  );
  const more =
    summary.alert_count > summary.lines.length ? [`…and ${summary.alert_count - summary.lines.length} more in the alerts dashboard.`] : [];
  return {
    subject: `[PLO digest] ${day}: ${summary.alert_count} active alert(s) in your teams`,
    text: [
      `Active alerts in your teams on ${day}: ${summary.critical} overdue, ${summary.high} projected, ${summary.warning} warnings; ${summary.escalated_to_me} escalated to you.`,
      '',
      ...lines,
      ...more,
    ].join('\n'),
  };
}
