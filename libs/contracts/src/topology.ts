import { deadLetterTopic, Topics } from './topics';

/**
 * How a consumed topic's messages are read. `cloudevents`: our own envelope, validated against the
 * event registry. `hmc-hearing-update`: the court's HMCTS Hearing Management-shaped updates, which are
 * not CloudEvents; the inbox gives them a message id from their content (see libs/messaging's decoders).
 */
export type MessageFormat = 'cloudevents' | 'hmc-hearing-update';

export interface ConsumedTopic {
  topic: string;
  format: MessageFormat;
}

/** One service's place on the event backbone. */
export interface ServiceTopology {
  /** Names the Kafka client, the consumer group and the dead-letter topic. */
  serviceName: string;
  /** The CloudEvents `source` of every event it produces. */
  source: string;
  /** Topics it produces to; the first is where its events go unless a change says otherwise. */
  produces: readonly string[];
  consumes: readonly ConsumedTopic[];
}

/** A system outside the product that produces to or consumes from one of its topics. */
export interface ExternalParty {
  name: string;
  produces: readonly string[];
  consumes: readonly string[];
}

const cloudEvents = (topic: string): ConsumedTopic => ({ topic, format: 'cloudevents' });

/**
 * Who produces and consumes which topic: the one declaration. The app modules wire their messaging
 * from it, the AsyncAPI generator writes the document from it, docs/architecture.md's picture is
 * drawn from it, and a test holds the README's event table to it.
 */
export const Topology = {
  cases: {
    serviceName: 'cases',
    source: 'urn:plo:cases',
    produces: [Topics.caseEvents],
    consumes: [cloudEvents(Topics.proceedingsEvents), cloudEvents(Topics.alertEvents)],
  },
  plo: {
    serviceName: 'plo',
    source: 'urn:plo:proceedings',
    produces: [Topics.proceedingsEvents, Topics.courtTimetable],
    consumes: [cloudEvents(Topics.caseEvents), { topic: Topics.courtHearingUpdates, format: 'hmc-hearing-update' }],
  },
  alerting: {
    serviceName: 'alerting',
    source: 'urn:plo:alerting',
    produces: [Topics.alertEvents],
    consumes: [cloudEvents(Topics.caseEvents), cloudEvents(Topics.proceedingsEvents)],
  },
} as const satisfies Record<string, ServiceTopology>;

export type ServiceName = keyof typeof Topology;

export const ExternalParties: readonly ExternalParty[] = [
  { name: 'court systems', produces: [Topics.courtHearingUpdates], consumes: [Topics.courtTimetable] },
  { name: 'other systems', produces: [], consumes: [Topics.alertEvents] },
];

/** Every service of the product, as declared. */
export function services(): ServiceTopology[] {
  return Object.values(Topology);
}

/** A consuming service's dead-letter topic; services that consume nothing have none. */
export function deadLetterTopicOf(service: ServiceTopology): string | undefined {
  return service.consumes.length ? deadLetterTopic(service.serviceName) : undefined;
}

/** The Mermaid flowchart of the topology, for docs/architecture.md (`npm run asyncapi` writes it). */
export function topologyMermaid(): string {
  const id = (name: string) => name.replace(/[^a-z0-9]/gi, '_');
  const lines = ['flowchart LR'];
  const topics = new Set<string>();
  for (const service of services()) {
    lines.push(`  ${id(service.serviceName)}[${service.serviceName} service]`);
    for (const topic of service.produces) topics.add(topic);
    for (const { topic } of service.consumes) topics.add(topic);
    const deadLetters = deadLetterTopicOf(service);
    if (deadLetters) topics.add(deadLetters);
  }
  for (const party of ExternalParties) lines.push(`  ${id(party.name)}([${party.name}])`);
  for (const topic of topics) lines.push(`  ${id(topic)}[[${topic}]]`);
  for (const service of services()) {
    for (const topic of service.produces) lines.push(`  ${id(service.serviceName)} -- outbox --> ${id(topic)}`);
    for (const { topic } of service.consumes) lines.push(`  ${id(topic)} --> ${id(service.serviceName)}`);
    const deadLetters = deadLetterTopicOf(service);
    if (deadLetters) lines.push(`  ${id(service.serviceName)} -. cannot apply .-> ${id(deadLetters)}`);
  }
  for (const party of ExternalParties) {
    for (const topic of party.produces) lines.push(`  ${id(party.name)} --> ${id(topic)}`);
    for (const topic of party.consumes) lines.push(`  ${id(topic)} --> ${id(party.name)}`);
  }
  return lines.join('\n');
}
