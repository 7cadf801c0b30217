import { Type } from 'class-transformer';
import { newEventId } from './event-id';
import {
  Equals,
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** The roles a person or system acts in (issue: access control). Carried so consumers can audit. */
export const ACTOR_KINDS = ['user', 'service', 'system'] as const;

export class Actor {
  @IsIn(ACTOR_KINDS)
  kind: (typeof ACTOR_KINDS)[number];

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  id: string;
}

/** `uk.gov.plo.<service>.<event-name>.v<major>`: the version travels in the type, CloudEvents style. */
export const EVENT_TYPE_PATTERN = /^uk\.gov\.plo\.[a-z-]+\.[a-z-]+\.v[1-9][0-9]*$/;

/**
 * The envelope every domain event travels in: the CloudEvents 1.0 context attributes plus the
 * extensions we need to trace work across services (correlation, causation) and the acting user.
 * Within one version only additive changes are allowed; a breaking change is a new `.vN` type.
 */
export class EventEnvelope<TData extends object = object> {
  @Equals('1.0')
  specversion: '1.0';

  @IsUUID()
  id: string;

  /** The producing service, e.g. `urn:plo:cases`. */
  @Matches(/^urn:plo:[a-z-]+$/)
  source: string;

  @Matches(EVENT_TYPE_PATTERN)
  type: string;

  @IsISO8601({ strict: true })
  time: string;

  /** The case the event is about: also the Kafka message key. */
  @IsUUID()
  subject: string;

  @Equals('application/json')
  datacontenttype: 'application/json';

  @IsUUID()
  correlationid: string;

  @IsOptional()
  @IsUUID()
  causationid?: string;

  // ValidateNested alone lets a missing object (or an array of them) through.
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => Actor)
  actor: Actor;

  @IsObject()
  data: TData;
}

export interface EventMetadata {
  /** The request or message that started this piece of work. */
  correlationId: string;
  /** The event that directly caused this one, if any. */
  causationId?: string;
  actor: Actor;
}

export function createEnvelope<TData extends object>(
  source: string,
  type: string,
  subject: string,
  data: TData,
  metadata: EventMetadata,
  now: Date = new Date(),
): EventEnvelope<TData> {
  return {
    specversion: '1.0',
    id: newEventId(now.getTime()),
    source,
    type,
    time: now.toISOString(),
    subject,
    datacontenttype: 'application/json',
    correlationid: metadata.correlationId,
    ...(metadata.causationId ? { causationid: metadata.causationId } : {}),
    actor: metadata.actor,
    data,
  };
}
