import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor, createEnvelope, EventEnvelope, EventMetadata, Topics } from '@plo/contracts';
import { OutboxWriter } from '@plo/messaging';
import { currentContext } from '@plo/platform';
import { LocalDate, londonDateOf } from '@plo/timescales';

const SOURCE = 'urn:plo:proceedings';

/**
 * One state change of one case: the transaction it is written in, who did it, and the events it
 * emits, which go to the outbox together at the end (so they commit with the change, in order).
 */
export class ChangeSet {
  private readonly byTopic = new Map<string, EventEnvelope[]>();
  readonly metadata: EventMetadata;
  readonly today: LocalDate;

  constructor(
    readonly manager: EntityManager,
    readonly caseId: string,
    readonly actor: Actor,
    readonly now: Date,
  ) {
    const context = currentContext();
    this.metadata = { correlationId: context?.correlationId ?? randomUUID(), causationId: context?.causationId, actor };
    this.today = londonDateOf(now);
  }

  emit<T extends object>(type: string, data: T, topic: string = Topics.proceedingsEvents): void {
    const list = this.byTopic.get(topic) ?? [];
    list.push(createEnvelope(SOURCE, type, this.caseId, data, this.metadata, this.now));
    this.byTopic.set(topic, list);
  }

  emitted(type?: string): EventEnvelope[] {
    return [...this.byTopic.values()].flat().filter((event) => !type || event.type === type);
  }

  async publish(outbox: OutboxWriter): Promise<void> {
    for (const [topic, events] of this.byTopic) await outbox.publish(this.manager, topic, events);
  }
}
