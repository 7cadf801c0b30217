import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { renderAsyncApiYaml } from '../../../scripts/asyncapi';
import { allEventDefinitions, deadLetterTopic, EventEnvelope, Topics } from './index';

const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage };

/**
 * The checked-in AsyncAPI document must describe exactly the registered contract classes. When this
 * fails after a contract change, regenerate: scripts/build.sh && node dist/scripts/asyncapi.js
 */
const REGENERATE = 'regenerate libs/contracts/asyncapi.yaml: scripts/build.sh && node dist/scripts/asyncapi.js';
const DOCUMENT_FILE = join(__dirname, '..', 'asyncapi.yaml');
const DEAD_LETTER_TOPICS = [deadLetterTopic('cases'), deadLetterTopic('plo'), deadLetterTopic('alerting')];
const DEAD_LETTER_MESSAGE = 'DeadLetter';

type Schema = { [keyword: string]: unknown };
type Node = Record<string, any>;

const text = readFileSync(DOCUMENT_FILE, 'utf8');
const doc = parse(text) as Node;
const definitions = allEventDefinitions();

/** Follows a local `$ref` ("#/a/b~1c") through the document. */
function resolve(node: Node): Node {
  if (typeof node?.$ref !== 'string') return node;
  const ref: string = node.$ref;
  if (!ref.startsWith('#/')) throw new Error(`only local references are expected, got ${ref}`);
  let target: Node | undefined = doc;
  for (const segment of ref.slice(2).split('/')) {
    target = target?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (target === undefined) throw new Error(`${ref} does not resolve`);
  return resolve(target);
}

/** What the class validates, straight from class-validator (independently of the generator). */
function validatedShape(target: Function): { properties: string[]; required: string[] } {
  const rulesByProperty = new Map<string, string[]>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(target, '', false, false)) {
    rulesByProperty.set(rule.propertyName, [...(rulesByProperty.get(rule.propertyName) ?? []), rule.name ?? rule.type]);
  }
  const properties = [...rulesByProperty.keys()];
  return { properties: properties.sort(), required: properties.filter((p) => !rulesByProperty.get(p)!.includes('isOptional')).sort() };
}

function nestedClasses(target: Function): { property: string; nested: Function }[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(target, '', false, false)
    .filter((rule) => rule.type === 'nestedValidation')
    .map((rule) => {
      const nested =
        defaultMetadataStorage.findTypeMetadata(target, rule.propertyName)?.typeFunction() ??
        Reflect.getMetadata('design:type', target.prototype, rule.propertyName);
      return { property: rule.propertyName, nested };
    });
}

/** Asserts the schema's properties and `required` match the class, then recurses into nested classes. */
function expectSchemaMatchesClass(schema: Schema, target: Function, path: string) {
  const resolved = resolve(schema);
  const expected = validatedShape(target);
  expect({ path, properties: Object.keys(resolved.properties ?? {}).sort() }).toEqual({ path, properties: expected.properties });
  expect({ path, required: [...(resolved.required ?? [])].sort() }).toEqual({ path, required: expected.required });
  for (const { property, nested } of nestedClasses(target)) {
    let propertySchema = resolve(resolved.properties[property]);
    if (propertySchema.type === 'array') propertySchema = resolve(propertySchema.items);
    expectSchemaMatchesClass(propertySchema, nested, `${path}.${property}`);
  }
}

function channelsCarrying(messageName: string): string[] {
  return Object.values(doc.channels as Record<string, Node>)
    .filter((channel) => Object.values(channel.messages ?? {}).some((message) => resolve(message as Node).name === messageName))
    .map((channel) => channel.address as string);
}

describe('libs/contracts/asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0 document for the PLO drift events', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info.title).toBe('PLO drift events');
    expect(doc.info.version).toEqual(expect.any(String));
    expect(doc.info.description).toMatch(/unknown fields/);
    expect(doc.servers.local).toMatchObject({ host: '127.0.0.1:9092', protocol: 'kafka' });
  });

  it('registers at least one event (importing the contracts registers them all)', () => {
    expect(definitions.length).toBeGreaterThan(0);
  });

  describe.each(definitions.map((definition) => [definition.type, definition] as const))('%s', (type, definition) => {
    const message = () => {
      const found = (doc.components?.messages ?? {})[type] as Node | undefined;
      if (!found) throw new Error(`no message named ${type} in the document; ${REGENERATE}`);
      return found;
    };

    it('has a message named by the event type, with the registry summary', () => {
      expect(message().name).toBe(type);
      expect(message().summary).toBe(definition.summary);
    });

    it("is on each of its topics' channels", () => {
      expect(channelsCarrying(type).sort()).toEqual([...definition.topics].sort());
    });

    it('is keyed by the case id and carries the ce-type, ce-id and x-correlation-id headers', () => {
      expect(message().bindings.kafka.key).toMatchObject({ type: 'string', format: 'uuid' });
      const headers = resolve(message().headers);
      expect([...headers.required].sort()).toEqual(['ce-id', 'ce-type', 'x-correlation-id']);
      expect(headers.properties['ce-type'].const).toBe(type);
    });

    it('has the CloudEvents envelope as its payload, typed with the event type', () => {
      const payload = resolve(message().payload);
      expectSchemaMatchesClass(payload, EventEnvelope, 'envelope');
      expect(payload.properties.type.const).toBe(type);
    });

    it("describes exactly the data class's validated properties, and requires the non-optional ones", () => {
      const payload = resolve(message().payload);
      expectSchemaMatchesClass(payload.properties.data, definition.dataClass, definition.dataClass.name);
    });
  });

  it('has a channel for every topic, and only for known topics and dead-letter topics', () => {
    const addresses = Object.values(doc.channels as Record<string, Node>).map((channel) => channel.address as string);
    const known = [...Object.values(Topics), ...DEAD_LETTER_TOPICS];
    for (const address of addresses) expect(known).toContain(address);
    expect([...addresses].sort()).toEqual([...known].sort());
  });

  it('has no message that is not in the registry (except dead letters)', () => {
    const allowed = new Set([...definitions.map((definition) => definition.type), DEAD_LETTER_MESSAGE]);
    const named = Object.values(doc.components.messages as Record<string, Node>).map((message) => message.name as string);
    expect(named.filter((name) => !allowed.has(name))).toEqual([]);
    expect(Object.keys(doc.components.messages).filter((key) => !allowed.has(key))).toEqual([]);
    for (const channel of Object.values(doc.channels as Record<string, Node>)) {
      for (const message of Object.values(channel.messages ?? {})) expect(allowed).toContain(resolve(message as Node).name);
    }
  });

  it('puts dead letters (consumer, error, attempts, deadLetteredAt, original) on the dead-letter topics only', () => {
    expect(channelsCarrying(DEAD_LETTER_MESSAGE).sort()).toEqual([...DEAD_LETTER_TOPICS].sort());
    const payload = resolve(doc.components.messages[DEAD_LETTER_MESSAGE].payload);
    expect([...payload.required].sort()).toEqual(['attempts', 'consumer', 'deadLetteredAt', 'error', 'original']);
    expect([...payload.properties.original.required].sort()).toEqual(['headers', 'key', 'offset', 'partition', 'topic', 'value']);
  });

  it('has operations whose channel and messages resolve, and whose messages are on that channel', () => {
    const operations = Object.entries(doc.operations as Record<string, Node>);
    expect(operations.length).toBeGreaterThan(0);
    for (const [id, operation] of operations) {
      expect({ id, action: operation.action }).toEqual({ id, action: expect.stringMatching(/^(send|receive)$/) });
      const channel = resolve(operation.channel);
      const onChannel = Object.values(channel.messages as Record<string, Node>).map((message) => resolve(message).name);
      for (const ref of operation.messages as Node[]) {
        expect(ref.$ref.startsWith(`${operation.channel.$ref}/messages/`)).toBe(true);
        expect(onChannel).toContain(resolve(ref).name);
      }
    }
  });

  it('is what scripts/asyncapi.ts generates from the contracts now (not stale)', () => {
    const generated = renderAsyncApiYaml().split('\n');
    const checkedIn = text.split('\n');
    const line = generated.findIndex((generatedLine, index) => generatedLine !== checkedIn[index]);
    if (line >= 0 || generated.length !== checkedIn.length) {
      const at = line >= 0 ? line : Math.min(generated.length, checkedIn.length);
      throw new Error(
        `libs/contracts/asyncapi.yaml is out of date at line ${at + 1}: ` +
          `expected ${JSON.stringify(generated[at])}, found ${JSON.stringify(checkedIn[at])}; ${REGENERATE}`,
      );
    }
  });
});
