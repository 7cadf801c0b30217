import fc from 'fast-check';
import {
  HOSTILE_BODIES,
  HOSTILE_IF_MATCH,
  HOSTILE_JSON_VALUES,
  HOSTILE_RAW_URL_TEXT,
  HOSTILE_TEXT,
  Hostile,
  toJson,
} from './hostile-values';
import { Operation, operationKey, Parameter, Schema } from './openapi';
import { kindOfParameter, PersonaName, World } from './world';

/** One request as the fuzzer sends it, with what was done to it (for the report). */
export interface FuzzRequest {
  key: string;
  service: Operation['service'];
  method: string;
  /** Path and query, already encoded. */
  url: string;
  persona: PersonaName;
  headers: Record<string, string>;
  body?: string;
  /** `valid`, or what was made hostile and how: `body.children.0.firstName ← nul`. */
  mutation: string;
  /** The record ids the path names, so a 403 can be told from a 404 per record. */
  pathIds: string[];
  /** Text we sent: an answer quoting it back is not leaking anything of the service's own. */
  sent: string[];
  /** The unencoded path and query values, for mutating one of them. */
  parts: { pathValues: Record<string, string>; query: Record<string, string> };
  /** Whether If-Match should be the record's current version, resolved when the request is sent. */
  currentVersion: boolean;
}

const DAY = 86_400_000;
const ABSENT = Symbol('absent');
const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/** A plausible value for a field, from its schema and its name (ids come from the World). */
export function validValue(world: World, name: string, schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const pool = idPoolFor(world, name);
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'number':
    case 'integer':
      return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 30, 30) });
    case 'array': {
      // `childIds`, `childrenSeen`: some of the ids it knows.
      const itemPool = idPoolFor(world, name === 'childrenSeen' ? 'childId' : name.replace(/Ids$/, 'Id'));
      if (itemPool.length) return fc.subarray(itemPool, { minLength: 1, maxLength: 3 });
      return fc.array(validValue(world, name, schema.items ?? {}, depth + 1), { maxLength: depth > 2 ? 0 : 2 });
    }
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      // Optional fields only now and then: many come in exclusive pairs (dateOfBirth or
      // expectedDateOfBirth, newEndDate or extendBy), and a request with all of them never gets far.
      const rarely = (arbitrary: fc.Arbitrary<unknown>) =>
        fc.oneof({ weight: 3, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary });
      return fc
        .record(
          Object.fromEntries(
            properties.map(([key, property]) => [
              key,
              required.has(key) ? validValue(world, key, property, depth + 1) : rarely(validValue(world, key, property, depth + 1)),
            ]),
          ),
        )
        .map((record) => Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ABSENT)));
    }
  }
  if (pool.length) return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.uuid() });
  if (schema.format === 'email' || name === 'email') return fc.constantFrom('someone@example.invalid', 'tm.sam@example.invalid');
  if (schema.format === 'uri' || name === 'url') return fc.constantFrom('http://127.0.0.1:9/hook', 'https://127.0.0.1:9/alerts');
  if (schema.format === 'password' || name === 'secret') return fc.constant('0123456789abcdef-secret');
  if (name === 'caseRef') return fc.constantFrom(...world.ids('courtCaseNumber'), 'NOPE123');
  if (name === 'scopeId') return fc.constantFrom('north-1', 'tm.sam', ...world.ids('caseId').slice(0, 3));
  if (schema.format === 'date-time' || /At$|DateTime$/.test(name))
    return fc.integer({ min: -60, max: 60 }).map((days) => new Date(Date.now() + days * DAY).toISOString().slice(0, 13) + ':00:00Z');
  // Mostly the recent past: many dates may not be in the future ("late entry is normal").
  if (/(On|Date|^from|^to)$/.test(name) || /^\d{4}-\d{2}-\d{2}$/.test(String(schema.example ?? '')))
    return fc
      .oneof({ weight: 4, arbitrary: fc.integer({ min: -90, max: 0 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 60 }) })
      .map(isoDate);
  if (name === 'extendBy') return fc.constantFrom('8 weeks', '4 weeks');
  if (schema.example !== undefined) return fc.oneof(fc.constant(schema.example), fc.constantFrom('north-1', 'sw.alex', 'Synthetic'));
  return fc.constantFrom('north-1', 'east-3', 'sw.alex', 'tm.sam', 'Synthetic note', 'plo');
}

/** Ids for a field or parameter named like one (`caseId`, `hearingId`); people are named, not numbered. */
function idPoolFor(world: World, name: string): string[] {
  if (/^(visitor|owner|allocatedWorker|teamManager|legalLead|serviceManager|worker)Id$/.test(name))
    return ['sw.alex', 'tm.sam', 'legal.kim'];
  return name.endsWith('Id') ? world.ids(name) : [];
}

/** A request the document says is well formed, with real ids, as one persona. */
export function validRequest(world: World, operation: Operation, personas: PersonaName[]): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((p) => p.in === 'path');
  const queryParameters = operation.parameters.filter((p) => p.in === 'query');
  const pathValue = (p: Parameter) => {
    const ids = world.ids(kindOfParameter(operation.path, p.name));
    return ids.length ? fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid();
  };
  return fc
    .record({
      persona: fc.constantFrom(...personas),
      path: fc.tuple(...pathParameters.map(pathValue)),
      query: fc.record(Object.fromEntries(queryParameters.map((p) => [p.name, validValue(world, p.name, p.schema).map(String)])), {
        requiredKeys: queryParameters.filter((p) => p.required).map((p) => p.name),
      }),
      body: operation.body ? validValue(world, 'body', operation.body) : fc.constant(undefined),
    })
    .map(({ persona, path, query, body }) => {
      const values = Object.fromEntries(pathParameters.map((p, index) => [p.name, path[index] as string]));
      return build(
        operation,
        persona,
        values,
        query as Record<string, string>,
        body === undefined ? undefined : toJson(body),
        'valid',
        body,
      );
    });
}

function build(
  operation: Operation,
  persona: PersonaName,
  pathValues: Record<string, string>,
  query: Record<string, string>,
  body: string | undefined,
  mutation: string,
  bodyValue?: unknown,
  rawPath = new Set<string>(),
): FuzzRequest & { bodyValue?: unknown } {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
    rawPath.has(name) ? pathValues[name] : encodeText(pathValues[name]),
  );
  const search = queryString(query);
  const needsVersion = operation.parameters.some((p) => p.in === 'header' && p.name === 'if-match');
  return {
    key: operationKey(operation),
    service: operation.service,
    method: operation.method,
    url: search ? `${path}?${search}` : path,
    persona,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
    bodyValue,
    mutation,
    pathIds: Object.values(pathValues),
    parts: { pathValues, query },
    sent: [],
    currentVersion: needsVersion,
  };
}

/** Where in a body value a hostile value can go: the body itself, every property, every array item. */
function placesIn(value: unknown, prefix: string[] = [], depth = 0): string[][] {
  const places = [prefix];
  if (depth > 4 || value === null || typeof value !== 'object') return places;
  for (const [key, child] of Object.entries(value)) places.push(...placesIn(child, [...prefix, key], depth + 1));
  return places;
}

function replaced(value: unknown, place: string[], replacement: unknown): unknown {
  if (!place.length) return replacement;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[place[0]] = replaced(copy[place[0]], place.slice(1), replacement);
  return copy;
}

const nameOf = (hostile: Hostile) => hostile.name;
const textOf = (hostile: Hostile) => (typeof hostile.value === 'string' ? [hostile.value] : []);

/**
 * A valid-looking request with one thing made hostile: a body field, the whole body, a path
 * parameter, a query value or key, or the If-Match header.
 */
export function hostileRequest(world: World, operation: Operation, personas: PersonaName[]): fc.Arbitrary<FuzzRequest> {
  const pathNames = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const queryNames = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  return validRequest(world, operation, personas).chain((request) => {
    const base = request as FuzzRequest & { bodyValue?: unknown };
    const pathPart = base.url.split('?')[0];
    const { query, pathValues } = base.parts;
    const mutations: fc.Arbitrary<FuzzRequest>[] = [];
    if (operation.body) {
      mutations.push(
        fc.tuple(fc.constantFrom(...placesIn(base.bodyValue)), fc.constantFrom(...HOSTILE_JSON_VALUES)).map(([place, hostile]) => ({
          ...base,
          body: toJson(replaced(base.bodyValue, place, hostile.value)),
          mutation: `body${place.length ? '.' + place.join('.') : ''} ← ${nameOf(hostile)}`,
          sent: textOf(hostile),
        })),
        fc.constantFrom(...HOSTILE_JSON_VALUES).map((hostile) => ({
          ...base,
          body: toJson({ ...(typeof base.bodyValue === 'object' && base.bodyValue ? base.bodyValue : {}), unexpectedField: hostile.value }),
          mutation: `body.unexpectedField ← ${nameOf(hostile)}`,
          sent: textOf(hostile),
        })),
      );
    }
    if (operation.method !== 'GET' && operation.method !== 'DELETE') {
      mutations.push(
        fc.constantFrom(...HOSTILE_BODIES).map((hostile) => ({
          ...base,
          body: hostile.body,
          headers: { ...base.headers, 'content-type': hostile.contentType },
          mutation: `body ← ${hostile.name}`,
          sent: [],
        })),
      );
    }
    if (pathNames.length) {
      mutations.push(
        fc.tuple(fc.constantFrom(...pathNames), fc.constantFrom(...HOSTILE_TEXT)).map(([name, hostile]) => ({
          ...build(
            operation,
            base.persona,
            { ...pathValues, [name]: String(hostile.value) },
            query,
            base.body,
            `path.${name} ← ${nameOf(hostile)}`,
          ),
          sent: textOf(hostile),
        })),
        fc.tuple(fc.constantFrom(...pathNames), fc.constantFrom(...HOSTILE_RAW_URL_TEXT)).map(([name, hostile]) => ({
          ...build(
            operation,
            base.persona,
            { ...pathValues, [name]: String(hostile.value) },
            query,
            base.body,
            `path.${name} ← ${nameOf(hostile)} (raw)`,
            undefined,
            new Set([name]),
          ),
          sent: [],
        })),
      );
    }
    const queryTargets = [...queryNames, 'unexpected'];
    mutations.push(
      fc.tuple(fc.constantFrom(...queryTargets), fc.constantFrom(...HOSTILE_TEXT)).map(([name, hostile]) => ({
        ...base,
        url: `${pathPart}?${queryString({ ...query, [name]: String(hostile.value) })}`,
        mutation: `query.${name} ← ${nameOf(hostile)}`,
        sent: textOf(hostile),
      })),
      fc.tuple(fc.constantFrom(...queryTargets), fc.constantFrom(...HOSTILE_RAW_URL_TEXT)).map(([name, hostile]) => ({
        ...base,
        url: `${pathPart}?${queryString(query)}&${name}=${hostile.value}`,
        mutation: `query.${name} ← ${nameOf(hostile)} (raw)`,
        sent: [],
      })),
      fc.constantFrom(...queryTargets).map((name) => ({
        ...base,
        url: `${pathPart}?${name}=a&${name}=b&__proto__=x&constructor[prototype]=y`,
        mutation: `query.${name} ← repeated, with prototype keys`,
        sent: [],
      })),
    );
    if (base.currentVersion) {
      mutations.push(
        fc.constantFrom(...HOSTILE_IF_MATCH).map((hostile) => ({
          ...base,
          headers: { ...base.headers, 'if-match': String(hostile.value) },
          currentVersion: false,
          mutation: `header.if-match ← ${nameOf(hostile)}`,
          sent: [],
        })),
      );
      mutations.push(fc.constant({ ...base, currentVersion: false, mutation: 'header.if-match ← missing', sent: [] }));
    }
    return fc.oneof(...mutations);
  });
}

/**
 * Percent-encodes text, lone surrogates included (as the WTF-8 bytes a careless client would send):
 * encodeURIComponent throws on them, and URLSearchParams silently replaces them.
 */
export function encodeText(text: string): string {
  let encoded = '';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    const high = code >= 0xd800 && code <= 0xdbff;
    const next = text.charCodeAt(index + 1);
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      encoded += encodeURIComponent(text.slice(index, index + 2));
      index += 1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      encoded += encodeURIComponent(text[index]);
    }
  }
  return encoded;
}

function queryString(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeText(key)}=${encodeText(value)}`)
    .join('&');
}
