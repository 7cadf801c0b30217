import { DataSource } from 'typeorm';
import { EventEnvelope, EventTypes } from '@plo/contracts';
import { batchMessages, OutboxWriter, Transaction, UnitOfWork } from '@plo/messaging';
import { Clock } from '@plo/platform';
import { DeliveryPlanner } from '../delivery/delivery-planner';
import { AlertRow } from './alert-row';
import { AlertWriter } from './alert-writer';
import { AlertsStore } from './alerts.store';

const NOW = new Date('2027-06-14T23:00:00.500Z');

function alert(id: string, caseId: string, level: string, obligationId: string): AlertRow {
  return {
    id,
    subject_key: obligationId,
    level,
    due_date: '2027-06-14',
    obligation_id: obligationId,
    case_id: caseId,
    council_id: 'test-council',
    child_id: null,
    kind: 'visit',
    severity: level === 'drift' ? 'critical' : 'warning',
    explanation: 'a visit',
    state: 'open',
    team_id: 'north-1',
    worker_id: 'sw.alex',
    escalation_step: 0,
    recipient_id: 'sw.alex',
    raised_at: NOW,
    escalates_at: null,
    acknowledged_by: null,
    acknowledged_at: null,
    acknowledgement_note: null,
    resolved_at: null,
    resolution: null,
    resolved_by: null,
    resolution_reason: null,
    version: 1,
    episode: 1,
    previous_alert_id: null,
    historical: false,
  };
}

/** Records the outbox rows written (each with the envelopes it holds); answers every other statement with no rows. */
function recordingTransaction() {
  const outbox: { messageCount: number; events: EventEnvelope[] }[] = [];
  const tx: Transaction = {
    inTransaction: true,
    async query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
      if (sql.includes('INSERT INTO outbox') && sql.includes('message_count')) {
        outbox.push({
          messageCount: parameters[3] as number,
          events: batchMessages(parameters[1] as string).map((m) => JSON.parse(m.value)),
        });
      } else if (sql.includes('INSERT INTO outbox')) {
        for (const value of parameters[2] as string[]) outbox.push({ messageCount: 1, events: [JSON.parse(value)] });
      }
      return [];
    },
  };
  return { tx, outbox };
}

describe('AlertWriter.raiseDue', () => {
  it("writes a storm's raised alerts as one outbox row, in order and caused by each obligation's schedule, before the resolutions drift brings", async () => {
    const raised = [alert('a1', 'case-1', 'drift', 'o1'), alert('a2', 'case-2', 'warning-2-working-days', 'o2')];
    const superseded = alert('w1', 'case-1', 'warning-2-working-days', 'o1');
    const store = {
      claimDue: async () => ({
        claimed: 2,
        scheduled: 2,
        raised: [
          { alert: raised[0], causationId: 'scheduled-o1', dueAt: null },
          { alert: raised[1], causationId: 'scheduled-o2', dueAt: null },
        ],
      }),
      lockSupersededByDrift: async (_tx: Transaction, obligationIds: string[]) => (obligationIds.includes('o1') ? [superseded] : []),
      resolve: async () => [{ ...superseded, state: 'resolved', resolution: 'superseded' }],
      appendHistory: async () => undefined,
    } as unknown as AlertsStore;
    const planned: string[][] = [];
    const deliveries = {
      plan: async (_tx: Transaction, published: { envelope: { type: string } }[]) =>
        void planned.push(published.map((p) => p.envelope.type)),
    };
    const clock = { now: () => NOW } as Clock;
    const unitOfWork = new UnitOfWork({} as DataSource, new OutboxWriter(), clock, {
      source: 'urn:plo:alerting',
      defaultTopic: 'alert-events',
    });
    const writer = new AlertWriter(store, unitOfWork, deliveries as unknown as DeliveryPlanner);
    const { tx, outbox } = recordingTransaction();

    expect(await writer.raiseDue(tx, [], NOW, 2000)).toEqual({ claimed: 0, scheduled: 0, raised: [] });

    await writer.raiseDue(tx, [{ kind: 'visit', dueDate: '2027-06-14', dueAt: null, raise: null, nextAt: null }], NOW, 2000);
    expect(outbox.map((row) => [row.messageCount, row.events.map((e) => [e.type, e.subject, e.causationid, e.time])])).toEqual([
      [
        2,
        [
          [EventTypes.alertRaised, 'case-1', 'scheduled-o1', NOW.toISOString()],
          [EventTypes.alertRaised, 'case-2', 'scheduled-o2', NOW.toISOString()],
        ],
      ],
      [1, [[EventTypes.alertResolved, 'case-1', undefined, NOW.toISOString()]]],
    ]);
    expect(planned).toEqual([[EventTypes.alertRaised, EventTypes.alertRaised], [EventTypes.alertResolved]]);
  });
});
