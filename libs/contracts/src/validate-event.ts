import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { isEmail, isISO8601, isURL, isUUID, ValidationError } from 'class-validator';
import { EventEnvelope } from './envelope';
import { EventDefinition, findEventDefinition } from './event-registry';
import { SchemaBuilder } from './json-schema';
import { isLegalDate } from './legal-date';

export type DecodedEvent = { valid: true; envelope: EventEnvelope } | { valid: false; reason: string; eventId?: string; type?: string };

/** Largest event we accept; anything bigger is treated as hostile or broken, not parsed. */
export const MAX_EVENT_BYTES = 256 * 1024;

// Formats get class-validator's own predicates, so the compiled schema accepts exactly what the
// classes' decorators accept (a property test holds the two to that).
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: true });
ajv.addFormat('date', { type: 'string', validate: (value: string) => isLegalDate(value) });
ajv.addFormat('date-time', { type: 'string', validate: (value: string) => isISO8601(value, { strict: true }) });
ajv.addFormat('uuid', { type: 'string', validate: (value: string) => isUUID(value) });
ajv.addFormat('email', { type: 'string', validate: (value: string) => isEmail(value) });
ajv.addFormat('uri', { type: 'string', validate: (value: string) => isURL(value) });

const compiled = new Map<string, ValidateFunction>();

/** The envelope-and-data schema of one event type, compiled once. */
export function eventSchema(definition: EventDefinition) {
  const builder = new SchemaBuilder();
  const envelope = builder.objectSchema(EventEnvelope, {
    type: { type: 'string', const: definition.type },
    data: builder.ref(definition.dataClass),
  });
  return { ...envelope, components: { schemas: builder.schemas } };
}

function validatorFor(definition: EventDefinition): ValidateFunction {
  let validate = compiled.get(definition.type);
  if (!validate) {
    validate = ajv.compile(eventSchema(definition));
    compiled.set(definition.type, validate);
  }
  return validate;
}

/**
 * Decodes and validates a consumed message. Consumed events are untrusted input: the envelope and
 * the data are both checked against the registered class for the event's type. Unknown fields are
 * tolerated, because producers may add fields within a version (additive-only evolution).
 */
export function decodeEvent(raw: Buffer | string | null): DecodedEvent {
  if (raw === null || raw.length === 0) return { valid: false, reason: 'message has no value' };
  if (raw.length > MAX_EVENT_BYTES) return { valid: false, reason: `message is ${raw.length} bytes; the limit is ${MAX_EVENT_BYTES}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString());
  } catch (error) {
    return { valid: false, reason: `message is not JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { valid: false, reason: 'message is not a JSON object' };
  }
  const candidate = parsed as Record<string, unknown>;
  const eventId = typeof candidate.id === 'string' ? candidate.id : undefined;
  const type = typeof candidate.type === 'string' ? candidate.type : undefined;
  const definition = type === undefined ? undefined : findEventDefinition(type);
  if (!definition)
    return { valid: false, reason: type === undefined ? 'invalid envelope: type is missing' : `unknown event type ${type}`, eventId, type };

  const validate = validatorFor(definition);
  if (!validate(candidate))
    return { valid: false, reason: `invalid ${type}: ${describeSchemaErrors(validate.errors ?? [])}`, eventId, type };
  const data = candidate.data as Record<string, unknown>;
  if ('caseId' in data && data.caseId !== candidate.subject) {
    return { valid: false, reason: 'data.caseId does not match the envelope subject', eventId, type };
  }
  return { valid: true, envelope: candidate as unknown as EventEnvelope };
}

/** `field.path: message` for every failing property. */
function describeSchemaErrors(errors: ErrorObject[]): string {
  return errors
    .map((error) => {
      const path = error.instancePath.split('/').filter(Boolean);
      if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
      const field = path.join('.') || 'event';
      const message =
        error.keyword === 'required'
          ? 'is required'
          : error.keyword === 'format'
            ? `must be a valid ${(error.params as { format: string }).format}`
            : error.message;
      return `${field}: ${message}`;
    })
    .join('; ');
}

/** `field: constraint message` for every failing property, nested paths included. */
export function describeErrors(errors: ValidationError[], prefix = ''): string {
  const lines: string[] = [];
  const walk = (list: ValidationError[], path: string) => {
    for (const error of list) {
      const field = path ? `${path}.${error.property}` : error.property;
      for (const message of Object.values(error.constraints ?? {})) lines.push(`${field}: ${message}`);
      if (error.children?.length) walk(error.children, field);
    }
  };
  walk(errors, prefix);
  return lines.join('; ');
}
