import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, EventTypes } from '@plo/contracts';
import type { Transaction } from '@plo/messaging';
import { formatLongDate, parseLocalDate } from '@plo/timescales';
import type { AlertingEnvironment } from '../alerting.environment';
import { ALERTING_ENV } from '../alerting.tokens';
import type { AlertRow } from '../alerts/alert-row';
import { DeliveryStore, PlannedDelivery } from './delivery.store';

export interface EmailPayload {
  subject: string;
  text: string;
}

/**
 * Turns published alert events into delivery rows in the same transaction: one per matching webhook
 * subscription, and an e-mail to the person an urgent alert is for. Managers are not e-mailed per
 * alert: they get the daily digest instead of a flood.
 */
@Injectable()
export class DeliveryPlanner {
  constructor(
    @Inject(ALERTING_ENV) private readonly env: AlertingEnvironment,
    private readonly store: DeliveryStore,
  ) {}

  get emailEnabled(): boolean {
    return Boolean(this.env.SMTP_URL);
  }

  async plan(tx: Transaction, published: { alert: AlertRow; envelope: EventEnvelope }[]): Promise<void> {
    const subscriptions = await this.store.subscriptionsOf(tx, [...new Set(published.map(({ alert }) => alert.council_id))]);
    const rows: PlannedDelivery[] = [];
    for (const { alert, envelope } of published) {
      for (const subscription of subscriptions) {
        // A subscription belongs to one council and never receives another's alerts.
        if (subscription.council_id !== alert.council_id) continue;
        if (subscription.team_id && subscription.team_id !== alert.team_id) continue;
        if (subscription.event_types?.length && !subscription.event_types.includes(envelope.type)) continue;
        rows.push({
          channel: 'webhook',
          purpose: 'alert-event',
          alertId: alert.id,
          eventId: envelope.id,
          subscriptionId: subscription.id,
          recipientId: null,
          payload: envelope,
        });
      }
    }
    const urgent = published.filter(
      ({ alert, envelope }) => envelope.type === EventTypes.alertRaised && alert.severity !== 'warning' && alert.recipient_id,
    );
    if (this.emailEnabled && urgent.length) {
      const references = await this.store.caseReferences(tx, [...new Set(urgent.map(({ alert }) => alert.case_id))]);
      for (const { alert, envelope } of urgent) {
        rows.push({
          channel: 'email',
          purpose: 'alert-email',
          alertId: alert.id,
          eventId: envelope.id,
          subscriptionId: null,
          recipientId: alert.recipient_id,
          payload: alertEmail(alert, references.get(alert.case_id)),
        });
      }
    }
    if (rows.length) await this.store.enqueue(tx, rows);
  }
}

/** No child's name or details leave in an e-mail: the case reference and what is late. */
export function alertEmail(alert: AlertRow, caseReference: string | undefined): EmailPayload {
  const what = alert.level === 'drift' ? 'is overdue' : alert.level === 'projected-drift' ? 'is projected to be missed' : 'falls due soon';
  const due = formatLongDate(parseLocalDate(alert.due_date));
  const reference = caseReference ?? alert.case_id;
  return {
    subject: `[PLO alert] ${alert.kind} ${what} (case ${reference}, due ${due})`,
    text: [
      `A ${alert.kind} on case ${reference} ${what}: it was due on ${due}.`,
      '',
      alert.explanation,
      '',
      `Alert ${alert.id} (${alert.level}, ${alert.severity}). Acknowledge it in the case management system; unacknowledged alerts escalate to the team manager.`,
    ].join('\n'),
  };
}
