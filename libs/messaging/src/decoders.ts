import { randomUUID } from 'node:crypto';
import { isISO8601 } from 'class-validator';
import type { KafkaMessage } from 'kafkajs';
import { decodeEvent, MessageFormat } from '@plo/contracts';

/** Where a consumed message sits in Kafka. */
export interface MessagePosition {
  topic: string;
  partition: number;
  offset: string;
}

/** A consumed message as the inbox handles it, whatever its wire format. */
export interface InboundMessage {
  /** Claims the message in `processed_events`: the same id is the same message, however often delivered. */
  id: string;
  /** Names the handler that applies it (`@HandlesEvent(type)`). */
  type: string;
  /** What the handler receives: a validated envelope, or the message in its own format. */
  payload: unknown;
  /** The request or message the effects are correlated with; a new one when the message names none. */
  correlationId: string;
  causationId?: string;
}

export type DecodedMessage = { valid: true; message: InboundMessage } | { valid: false; messageId: string; reason: string; type?: string };

/**
 * Whom a message concerns, as far as it says so itself, read only when it is dead-lettered (so from a
 * malformed message too): the council it names, or the subject the consuming service can look up.
 */
export interface MessageAbout {
  councilId?: string;
  subject?: string;
}

/** Reads one topic format. The inbox decodes each consumed topic with the decoder of its declared format. */
export interface MessageDecoder {
  /**
   * The consumer name its messages are claimed and dead-lettered under, when it is not the service's
   * own (kept from before the format was consumed through the inbox, so no message is applied twice).
   */
  consumerName?(serviceName: string): string;
  decode(message: KafkaMessage, at: MessagePosition): DecodedMessage;
  /** Read from the message's text when it is dead-lettered; a format without it names no council. */
  about?(value: string | null): MessageAbout;
}

/** A message whose content names no identity is identified by its position (which redelivery keeps). */
export function positionalMessageId(at: MessagePosition): string {
  return `kafka:${at.topic}:${at.partition}:${at.offset}`;
}

/** A JSON object's property that is a non-empty string of at most 200 characters (no identifier is longer), or undefined. */
function shortText(object: unknown, name: string): string | undefined {
  const value = object !== null && typeof object === 'object' ? (object as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined;
}

function parsedOrUndefined(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Our own CloudEvents envelopes, validated against the event registry; a message that is not one is dead-lettered. */
export const cloudEventsDecoder: MessageDecoder = {
  decode(message, at) {
    const decoded = decodeEvent(message.value);
    if (!decoded.valid)
      return { valid: false, messageId: decoded.eventId ?? positionalMessageId(at), reason: decoded.reason, type: decoded.type };
    const envelope = decoded.envelope;
    return {
      valid: true,
      message: { id: envelope.id, type: envelope.type, payload: envelope, correlationId: envelope.correlationid, causationId: envelope.id },
    };
  },
  /** The events that name their council carry it as `data.councilId`; the subject is mostly a case id. */
  about(value) {
    const raw = parsedOrUndefined(value) as { data?: unknown } | undefined;
    return { councilId: shortText(raw?.data, 'councilId'), subject: shortText(raw, 'subject') };
  },
};

/** The handler type of court hearing updates: `@HandlesEvent(HMC_HEARING_UPDATE)` receives the message text (or null). */
export const HMC_HEARING_UPDATE = 'hmc-hearing-update';

// The HMC message's own rules for these three fields (apps/plo's HmcHearingUpdateMessage), so every
// update the court feed accepts is known by the same id as before the inbox read the topic.
const CASE_REF = /^[A-Za-z0-9/-]{1,64}$/;
const ENDS_WITH_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

/**
 * The court's HMC-shaped hearing updates: JSON that is not a CloudEvent. Every message goes to the
 * handler as text, malformed or not, because the court feed lists what it cannot apply for legal staff
 * (and rejects it, which dead-letters it). Same hearing, same broadcast is the same update, however
 * often and by whatever path (Kafka, HTTP, CSV) it arrives, so the id comes from those three fields;
 * a message without them is known by its position.
 */
export const hmcHearingUpdateDecoder: MessageDecoder = {
  consumerName: (serviceName) => `${serviceName}-court-updates`,
  decode(message, at) {
    const text = message.value?.toString() ?? null;
    return {
      valid: true,
      message: {
        id: hmcHearingUpdateId(text) ?? positionalMessageId(at),
        type: HMC_HEARING_UPDATE,
        payload: text,
        correlationId: randomUUID(),
      },
    };
  },
  /** A court update names no council, only the court's case number. */
  about(value) {
    return { subject: shortText(parsedOrUndefined(value), 'caseRef') };
  },
};

/** `hmc:<caseRef>:<hearingID>:<broadcast instant>`, or undefined when the message does not carry all three well-formed. */
export function hmcHearingUpdateId(text: string | null): string | undefined {
  const raw = parsedOrUndefined(text);
  const { caseRef, hearingID, hearingUpdate } = (raw ?? {}) as {
    caseRef?: unknown;
    hearingID?: unknown;
    hearingUpdate?: { hearingEventBroadcastDateTime?: unknown };
  };
  const broadcast = hearingUpdate?.hearingEventBroadcastDateTime;
  if (typeof caseRef !== 'string' || !CASE_REF.test(caseRef)) return undefined;
  if (typeof hearingID !== 'string' || hearingID === '' || hearingID.length > 64) return undefined;
  if (
    typeof broadcast !== 'string' ||
    !isISO8601(broadcast, { strict: true }) ||
    !ENDS_WITH_OFFSET.test(broadcast) ||
    Number.isNaN(Date.parse(broadcast))
  )
    return undefined;
  return `hmc:${caseRef}:${hearingID}:${new Date(broadcast).toISOString()}`;
}

export const DECODERS: Record<MessageFormat, MessageDecoder> = {
  cloudevents: cloudEventsDecoder,
  'hmc-hearing-update': hmcHearingUpdateDecoder,
};
