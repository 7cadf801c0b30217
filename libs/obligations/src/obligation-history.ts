import { EventEnvelope, EventTypes, ObligationSatisfiedV1, ObligationScheduledV1 } from '@plo/contracts';

const OBLIGATION_EVENTS: ReadonlySet<string> = new Set([
  EventTypes.obligationScheduled,
  EventTypes.obligationSatisfied,
  EventTypes.obligationCancelled,
]);

function obligationIdOf(event: EventEnvelope): string | undefined {
  return OBLIGATION_EVENTS.has(event.type) ? (event.data as { obligationId: string }).obligationId : undefined;
}

/**
 * The outcome of replaying history, not its steps. Loading a year of visits moves each child's visit
 * obligation dozens of times, and every step on the wire would raise and resolve drift alerts within
 * milliseconds. Per obligation this keeps:
 * - still open at the end: its last `obligation-scheduled`, as a live obligation (it alerts if overdue);
 * - met or ended in the history: its last `obligation-scheduled` marked `historical`, then the
 *   outcome (a satisfaction marked `historical` too), so alerting records any drift as history and
 *   delivers nothing.
 * Every other event of the change is kept as it was, in order.
 */
export function obligationOutcomesOnly(events: readonly EventEnvelope[]): EventEnvelope[] {
  const lastOf = new Map<string, { scheduled?: EventEnvelope; outcome?: EventEnvelope }>();
  for (const event of events) {
    const obligationId = obligationIdOf(event);
    if (!obligationId) continue;
    const entry = lastOf.get(obligationId) ?? {};
    if (event.type === EventTypes.obligationScheduled) entry.scheduled = event;
    else entry.outcome = event;
    lastOf.set(obligationId, entry);
  }
  const kept: EventEnvelope[] = [];
  for (const event of events) {
    const obligationId = obligationIdOf(event);
    if (!obligationId) {
      kept.push(event);
      continue;
    }
    const { scheduled, outcome } = lastOf.get(obligationId)!;
    if (event === scheduled) {
      kept.push(outcome ? { ...event, data: { ...(event.data as ObligationScheduledV1), historical: true } } : event);
    } else if (event === outcome) {
      const historical = scheduled !== undefined && event.type === EventTypes.obligationSatisfied;
      kept.push(historical ? { ...event, data: { ...(event.data as ObligationSatisfiedV1), historical: true } } : event);
    }
  }
  return kept;
}
