import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, EventTypes } from '@plo/contracts';
import { formatLongDate, parseLocalDate } from '@plo/timescales';
import type { AlertingEnvironment } from '../alerting.environment';
import { ALERTING_ENV } from '../alerting.tokens';
import type { AlertRow } from '../alerts/alert-row';

interface Subscription {
  id: string;
  council_id: string;
  team_id: string | null;
  event_types: string[] | null;
}

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
  constructor(@Inject(ALERTING_ENV) private readonly env: AlertingEnvironment) {}

  get emailEnabled(): boolean {
    return Boolean(this.env.SMTP_URL);
  }

  async plan(manager: EntityManager, published: { alert: AlertRow; envelope: EventEnvelope }[]): Promise<void> {
    const subscriptions: Subscription[] = await manager.query(
      'SELECT id, council_id, team_id, event_types FROM webhook_subscriptions WHERE deleted_at IS NULL AND council_id = ANY($1::text[])',
      [[...new Set(published.map(({ alert }) => alert.council_id))]],
    );
    const rows: { channel: string; purpose: string; alertId: string; eventId: string; subscriptionId: string | null; recipientId: string | null; payload: object }[] = [];
    for (const { alert, envelope } of published) {
      for (const subscription of subscriptions) {
        // A subscription belongs to one council and never receives another's alerts.
        if (subscription.council_id !== alert.council_id) continue;
        if (subscription.team_id && subscription.team_id !== alert.team_id) continue;
        if (subscription.event_types?.length && !subscription.event_types.includes(envelope.type)) continue;
        rows.push({ channel: 'webhook', purpose: 'alert-event', alertId: alert.id, eventId: envelope.id, subscriptionId: subscription.id, recipientId: null, payload: envelope });
      }
    }
    const urgent = published.filter(({ alert, envelope }) => envelope.type === EventTypes.alertRaised && alert.severity !== 'warning' && alert.recipient_id);
    if (this.emailEnabled && urgent.length) {
      const references = await this.caseReferences(manager, urgent.map(({ alert }) => alert.case_id));
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
    if (!rows.length) return;
    await manager.query(
      `INSERT INTO deliveries (channel, purpose, alert_id, event_id, subscription_id, recipient_id, payload, status)
       SELECT channel, purpose, alert_id, event_id, subscription_id, recipient_id, payload, 'pending'
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::jsonb[])
           AS d(channel, purpose, alert_id, event_id, subscription_id, recipient_id, payload)`,
      [
        rows.map((r) => r.channel),
        rows.map((r) => r.purpose),
        rows.map((r) => r.alertId),
        rows.map((r) => r.eventId),
        rows.map((r) => r.subscriptionId),
        rows.map((r) => r.recipientId),
        rows.map((r) => JSON.stringify(r.payload)),
      ],
    );
  }

  private async caseReferences(manager: EntityManager, caseIds: string[]): Promise<Map<string, string>> {
    const rows: { case_id: string; case_reference: string }[] = await manager.query(
      'SELECT case_id, case_reference FROM case_directory WHERE case_id = ANY($1::uuid[])',
      [[...new Set(caseIds)]],
    );
    return new Map(rows.map((row) => [row.case_id, row.case_reference]));
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
