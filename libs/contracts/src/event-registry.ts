import { Topics } from './topics';

type DataClass = new () => object;

export interface EventDefinition {
  type: string;
  dataClass: DataClass;
  /** The topics this event may be published on (several producers may share one schema). */
  topics: readonly string[];
  summary: string;
}

const definitions = new Map<string, EventDefinition>();

/**
 * Registers an event data class under its versioned CloudEvents type. Consumers look the class up
 * by the envelope's `type` to validate what they receive; the AsyncAPI test walks this registry.
 */
export function DomainEvent(type: string, topics: readonly string[], summary: string) {
  return (dataClass: DataClass) => {
    if (definitions.has(type)) throw new Error(`event type ${type} is registered twice`);
    definitions.set(type, { type, dataClass, topics, summary });
  };
}

export function findEventDefinition(type: string): EventDefinition | undefined {
  return definitions.get(type);
}

export function allEventDefinitions(): EventDefinition[] {
  return [...definitions.values()];
}

export const PRODUCER_TOPICS = {
  cases: [Topics.caseEvents],
  proceedings: [Topics.proceedingsEvents],
  both: [Topics.caseEvents, Topics.proceedingsEvents],
} as const;
