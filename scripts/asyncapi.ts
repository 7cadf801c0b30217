/**
 * Generates libs/contracts/asyncapi.yaml (AsyncAPI 3.0) and the topology picture in docs/architecture.md
 * from the contract classes and the topology declaration: the event
 * registry says which event types exist and on which topics, class-validator's metadata says what
 * each event's data looks like. The document is checked in; libs/contracts/src/asyncapi.spec.ts
 * fails when it is out of date.
 *
 *   scripts/build.sh && node dist/scripts/asyncapi.js           write the document
 *   scripts/build.sh && node dist/scripts/asyncapi.js --check   exit 1 if the checked-in one is stale
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import {
  allEventDefinitions,
  deadLetterTopicOf,
  EventDefinition,
  EventEnvelope,
  JsonSchema,
  SchemaBuilder,
  services,
  Topics,
  topologyMermaid,
} from '../libs/contracts/src';

export const ASYNCAPI_FILE = 'libs/contracts/asyncapi.yaml';
export const DEAD_LETTER_MESSAGE = 'DeadLetter';

/** Consumers that dead-letter what they cannot apply (each has its own dead-letter topic). */
export const DEAD_LETTER_TOPICS: Record<string, string> = Object.fromEntries(
  services().flatMap((service) => {
    const topic = deadLetterTopicOf(service);
    return topic ? [[service.serviceName, topic]] : [];
  }),
);

/** Who produces and consumes which topic, from the one declaration (`Topology` in libs/contracts). */
const SERVICES: Record<string, { sends: readonly string[]; receives: readonly string[] }> = Object.fromEntries(
  services().map((service) => [
    service.serviceName,
    {
      sends: [...service.produces, ...(DEAD_LETTER_TOPICS[service.serviceName] ? [DEAD_LETTER_TOPICS[service.serviceName]] : [])],
      receives: service.consumes.map((consumed) => consumed.topic),
    },
  ]),
);

const TOPIC_DESCRIPTIONS: Record<string, string> = {
  [Topics.caseEvents]:
    'Events of the cases service (the case register), keyed by case id (council-wide events by a UUID derived from the council id).',
  [Topics.proceedingsEvents]: 'Events of the plo service (pre-proceedings and care proceedings), keyed by case id.',
  [Topics.alertEvents]:
    'Alert lifecycle events of the alerting service (raised, acknowledged, escalated, resolved), keyed by case id, for other systems to follow.',
  [Topics.courtHearingUpdates]:
    'Hearing updates from court systems, shaped like the HMCTS Hearing Management Component update ({hmctsServiceCode, caseRef, hearingID, hearingUpdate{…}}), not CloudEvents. Matched to proceedings by court case number; unknown cases and malformed messages go to the plo dead-letter topic and the exceptions list (GET /court/exceptions).',
  [Topics.courtTimetable]:
    "The council's timetable for a case (every milestone and its date), republished whole with a growing version whenever it changes, for court systems.",
  ...Object.fromEntries(
    Object.entries(DEAD_LETTER_TOPICS).map(([service, topic]) => [
      topic,
      `Messages the ${service} service could not apply, with the reason. Also kept in its database for replay (POST /admin/dead-letters/{id}/replay).`,
    ]),
  ),
};

const ENVELOPE_DESCRIPTIONS: Record<string, string> = {
  specversion: 'CloudEvents specification version.',
  id: 'Unique id of this event; consumers de-duplicate on it.',
  source: 'The producing service, e.g. `urn:plo:cases`.',
  type: 'The versioned event type; a breaking change is a new `.vN` type.',
  time: 'When the event happened (an instant, ISO 8601).',
  subject: 'The case the event is about (for council-wide events, a name-based UUID of the council); also the Kafka message key.',
  datacontenttype: 'Always JSON.',
  correlationid: 'The request or message that started this piece of work.',
  causationid: 'The event that directly caused this one, if any.',
  actor: 'Who (or what) acted.',
};

const DOCUMENT_DESCRIPTION = `Domain events exchanged over Kafka by the cases, plo and alerting services.

Every message value is a JSON CloudEvents 1.0 envelope (structured mode) whose \`data\` is the event.
The message key is the case id (the envelope's \`subject\`), so all events of one case stay in order
on one partition whatever their type. Headers repeat the type, id and correlation id for routing and
tracing without parsing the value.

Evolution: within one version (\`.v1\`) changes are additive only. Consumers tolerate unknown fields,
so a producer may add an optional field without coordinating; removing, renaming or retyping a field
(or making an optional one required) is a new version with a new type. Consumers validate what they
receive and dead-letter what fails validation.

Every topic name is prefixed with the deployment's \`KAFKA_NAMESPACE\` (empty by default). Topics are
created by the services at start-up; the broker does not auto-create them.

Generated from libs/contracts by scripts/asyncapi.ts; do not edit by hand.`;

// ---------------------------------------------------------------------------------------------
// The document

const kafkaBinding = { bindingVersion: '0.5.0' };

function eventHeaders(type: string): JsonSchema {
  return {
    type: 'object',
    required: ['ce-type', 'ce-id', 'x-correlation-id'],
    properties: {
      'ce-type': { type: 'string', const: type, description: 'Same as the envelope `type`.' },
      'ce-id': { type: 'string', format: 'uuid', description: 'Same as the envelope `id`.' },
      'x-correlation-id': { type: 'string', format: 'uuid', description: 'Same as the envelope `correlationid`.' },
    },
  };
}

function eventMessage(definition: EventDefinition, builder: SchemaBuilder): JsonSchema {
  const payload = builder.objectSchema(EventEnvelope, {
    type: { type: 'string', const: definition.type },
    data: { ...builder.ref(definition.dataClass) },
  });
  payload.title = `${definition.dataClass.name} envelope`;
  const properties = payload.properties as Record<string, JsonSchema>;
  for (const [property, description] of Object.entries(ENVELOPE_DESCRIPTIONS)) {
    if (properties[property] && !properties[property].$ref) properties[property].description = description;
  }
  return {
    name: definition.type,
    title: definition.dataClass.name,
    summary: definition.summary,
    contentType: 'application/json',
    correlationId: { $ref: '#/components/correlationIds/correlationHeader' },
    headers: eventHeaders(definition.type),
    payload,
    bindings: {
      kafka: {
        key: {
          type: 'string',
          format: 'uuid',
          description: 'The envelope `subject`: the case id (a UUID derived from the council id for council-wide events).',
        },
        ...kafkaBinding,
      },
    },
  };
}

function deadLetterMessage(): JsonSchema {
  return {
    name: DEAD_LETTER_MESSAGE,
    title: 'Dead letter',
    summary: 'A consumed message the consumer could not apply (invalid, or its handler kept failing), with why.',
    contentType: 'application/json',
    headers: {
      type: 'object',
      required: ['x-dead-letter-reason', 'x-original-topic'],
      properties: {
        'x-dead-letter-reason': { type: 'string', maxLength: 500, description: 'The error, truncated to 500 characters.' },
        'x-original-topic': { type: 'string', description: 'The topic the message was consumed from.' },
      },
    },
    payload: { $ref: '#/components/schemas/DeadLetter' },
    bindings: {
      kafka: {
        key: {
          type: 'string',
          description:
            'The key of the original message or, when it had none, its event id (`kafka:<topic>:<partition>:<offset>` if unreadable).',
        },
        ...kafkaBinding,
      },
    },
  };
}

const DEAD_LETTER_SCHEMA: JsonSchema = {
  type: 'object',
  title: 'DeadLetter',
  required: ['consumer', 'error', 'attempts', 'deadLetteredAt', 'original'],
  properties: {
    consumer: { type: 'string', description: 'The consuming service (its consumer group without namespace).' },
    error: { type: 'string', description: 'Why the message could not be applied.' },
    attempts: {
      type: 'integer',
      minimum: 1,
      description: 'How many times the handler was tried (1 for a message that failed validation).',
    },
    deadLetteredAt: { type: 'string', format: 'date-time' },
    original: {
      type: 'object',
      description: 'The message as consumed.',
      required: ['topic', 'partition', 'offset', 'key', 'headers', 'value'],
      properties: {
        topic: { type: 'string' },
        partition: { type: 'integer', minimum: 0 },
        offset: { type: 'string', pattern: '^[0-9]+$', description: 'The Kafka offset, as a decimal string.' },
        key: { type: ['string', 'null'] },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        value: { type: ['string', 'null'], description: 'The original value as text (not parsed: it may not be JSON).' },
      },
    },
  },
};

function pointer(...segments: string[]): string {
  return '#/' + segments.map((segment) => segment.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Builds the AsyncAPI 3.0 document as a plain object. Deterministic: same contracts, same document. */
export function buildAsyncApiDocument(version: string = packageVersion()): Record<string, unknown> {
  const builder = new SchemaBuilder();
  const definitions = [...allEventDefinitions()].sort((a, b) => a.type.localeCompare(b.type));
  const domainTopics = Object.values(Topics) as string[];
  const deadLetterTopics = Object.values(DEAD_LETTER_TOPICS) as string[];

  const messages: Record<string, JsonSchema> = {};
  for (const definition of definitions) {
    for (const topic of definition.topics) {
      if (!domainTopics.includes(topic)) throw new Error(`${definition.type} is registered on ${topic}, which is not in Topics`);
    }
    messages[definition.type] = eventMessage(definition, builder);
  }
  messages[DEAD_LETTER_MESSAGE] = deadLetterMessage();

  const channels: Record<string, JsonSchema> = {};
  for (const topic of [...domainTopics, ...deadLetterTopics]) {
    const onTopic = deadLetterTopics.includes(topic)
      ? [DEAD_LETTER_MESSAGE]
      : definitions.filter((definition) => definition.topics.includes(topic)).map((definition) => definition.type);
    channels[topic] = {
      address: topic,
      description: TOPIC_DESCRIPTIONS[topic] ?? 'A topic of the product.',
      servers: [{ $ref: pointer('servers', 'local') }],
      messages: Object.fromEntries(onTopic.map((name) => [name, { $ref: pointer('components', 'messages', name) }])),
      bindings: { kafka: { topic, ...kafkaBinding } },
    };
  }

  const operations: Record<string, JsonSchema> = {};
  for (const [service, { sends, receives }] of Object.entries(SERVICES)) {
    for (const [action, topics] of [
      ['send', sends],
      ['receive', receives],
    ] as const) {
      for (const topic of topics) {
        const channel = channels[topic];
        if (!channel) throw new Error(`${service} ${action}s on ${topic}, which has no channel`);
        const names = Object.keys(channel.messages as object);
        if (!names.length) continue; // reserved topic: nothing to describe yet
        operations[`${service}.${action}.${topic}`] = {
          action,
          title: `${service} ${action === 'send' ? 'publishes to' : 'consumes'} ${topic}`,
          ...(action === 'receive'
            ? {
                description:
                  'Consumed at least once and applied exactly once in effect (de-duplicated on the event id). ' +
                  'Types the service has no handler for are recorded and skipped; invalid messages are dead-lettered.',
              }
            : { description: 'Published through the transactional outbox, in commit order, after the state change commits.' }),
          channel: { $ref: pointer('channels', topic) },
          messages: names.map((name) => ({ $ref: pointer('channels', topic, 'messages', name) })),
          ...(action === 'receive'
            ? {
                bindings: {
                  kafka: { groupId: { type: 'string', const: service, description: 'Prefixed with KAFKA_NAMESPACE.' }, ...kafkaBinding },
                },
              }
            : {}),
        };
      }
    }
  }

  return {
    asyncapi: '3.0.0',
    info: { title: 'PLO drift events', version, description: DOCUMENT_DESCRIPTION },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The local development broker (scripts/up.sh). With docker compose the host port is localhost:29092.',
      },
    },
    channels,
    operations,
    components: {
      schemas: { ...sortKeys(builder.schemas), DeadLetter: DEAD_LETTER_SCHEMA },
      messages,
      correlationIds: {
        correlationHeader: {
          description: 'The id of the request or message that started the work; same as the envelope `correlationid`.',
          location: '$message.header#/x-correlation-id',
        },
      },
    },
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** The directory holding the root package.json (from scripts/ or dist/scripts/). */
export function repositoryRoot(from: string = __dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'libs', 'contracts'))) return directory;
    if (dirname(directory) === directory) throw new Error(`no repository root above ${from}`);
  }
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repositoryRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export function renderAsyncApiYaml(document: Record<string, unknown> = buildAsyncApiDocument()): string {
  const header =
    '# Generated by scripts/asyncapi.ts from libs/contracts: do not edit by hand.\n# Regenerate: scripts/build.sh && node dist/scripts/asyncapi.js\n';
  return header + stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
}

export const ARCHITECTURE_FILE = 'docs/architecture.md';
const TOPOLOGY_BEGIN = '<!-- topology: generated by scripts/asyncapi.ts from Topology in libs/contracts; do not edit by hand -->';
const TOPOLOGY_END = '<!-- end of topology -->';

/** docs/architecture.md with its topology picture drawn anew from the one declaration. */
export function renderArchitecture(current: string): string {
  const begin = current.indexOf(TOPOLOGY_BEGIN);
  const end = current.indexOf(TOPOLOGY_END);
  if (begin < 0 || end < begin) throw new Error(`${ARCHITECTURE_FILE} has lost its topology markers`);
  const picture = `${TOPOLOGY_BEGIN}\n\n\`\`\`mermaid\n${topologyMermaid()}\n\`\`\`\n\n`;
  return current.slice(0, begin) + picture + current.slice(end);
}

function main(argv: string[]) {
  const root = repositoryRoot();
  const outputs = [
    { target: join(root, ASYNCAPI_FILE), render: () => renderAsyncApiYaml() },
    { target: join(root, ARCHITECTURE_FILE), render: (current: string) => renderArchitecture(current) },
  ];
  let stale = false;
  for (const { target, render } of outputs) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    const rendered = render(current);
    const name = relative(process.cwd(), target);
    if (argv.includes('--check')) {
      stale ||= current !== rendered;
      process.stdout.write(current === rendered ? `${name} is up to date\n` : '');
      if (current !== rendered) process.stderr.write(`${name} is out of date: run scripts/build.sh && node dist/scripts/asyncapi.js\n`);
    } else if (current === rendered) {
      process.stdout.write(`${name} unchanged\n`);
    } else {
      writeFileSync(target, rendered);
      process.stdout.write(`wrote ${name}\n`);
    }
  }
  if (stale) process.exit(1);
}

if (require.main === module) main(process.argv.slice(2));
