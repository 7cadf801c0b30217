import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { EventEnvelope } from './envelope';
import { findEventDefinition } from './event-registry';

export type DecodedEvent =
  | { valid: true; envelope: EventEnvelope }
  | { valid: false; reason: string; eventId?: string; type?: string };

/** Largest event we accept; anything bigger is treated as hostile or broken, not parsed. */
export const MAX_EVENT_BYTES = 256 * 1024;

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

  const envelope = plainToInstance(EventEnvelope, candidate);
  const envelopeErrors = validateSync(envelope);
  if (envelopeErrors.length) return { valid: false, reason: `invalid envelope: ${describeErrors(envelopeErrors)}`, eventId, type };

  const definition = findEventDefinition(envelope.type);
  if (!definition) return { valid: false, reason: `unknown event type ${envelope.type}`, eventId, type };
  const data = plainToInstance(definition.dataClass, candidate.data);
  const dataErrors = validateSync(data);
  if (dataErrors.length) return { valid: false, reason: `invalid ${envelope.type} data: ${describeErrors(dataErrors, 'data')}`, eventId, type };
  if ('caseId' in data && (data as { caseId: unknown }).caseId !== envelope.subject) {
    return { valid: false, reason: 'data.caseId does not match the envelope subject', eventId, type };
  }
  return { valid: true, envelope: { ...envelope, data: candidate.data as object } };
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
