import { Controller, Get, Injectable, NotFoundException, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { MessageFormat } from '@plo/contracts';
import { CurrentPrincipal, Principal, Roles } from '@plo/platform';
import { InboxProcessor } from './inbox';
import type { Transaction } from './transaction';

/** The council of a message's subject (a case id, a court case number) in the consuming service's own records. */
export type CouncilOfSubject = (subject: string, tx: Transaction) => Promise<string | undefined>;

/**
 * How a consuming service tells the council of a message that does not name one. libs/messaging
 * knows no service's tables, so each service registers, at start-up, a lookup for the subjects of a
 * format it consumes; without one such dead letters have no council.
 */
@Injectable()
export class DeadLetterCouncils {
  private readonly lookups = new Map<MessageFormat, CouncilOfSubject>();

  register(format: MessageFormat, lookup: CouncilOfSubject) {
    if (this.lookups.has(format)) throw new Error(`the council of ${format} subjects is looked up already`);
    this.lookups.set(format, lookup);
  }

  async lookUp(format: MessageFormat, subject: string, tx: Transaction): Promise<string | undefined> {
    return this.lookups.get(format)?.(subject, tx);
  }
}

/** A message this service could not apply, as operators see it (without the message itself). */
export class DeadLetterView {
  @ApiProperty({ type: 'integer', example: 17 }) id: number;
  @ApiProperty({ description: 'The consumer that failed: the service, or its court-feed consumer', example: 'alerting' })
  consumer: string;
  @ApiProperty({ description: "The message's event id, or its Kafka position when it names none" }) messageId: string;
  @ApiProperty({ description: 'The (namespaced) topic it was consumed from' }) topic: string;
  @ApiProperty({ type: 'integer' }) partition: number;
  @ApiProperty({ description: 'Kafka offset, as a decimal string (it may exceed a JSON number)', example: '4211' }) offset: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null when the message was not readable enough to tell' })
  eventType: string | null;
  @ApiProperty({ description: 'Why it could not be applied' }) error: string;
  @ApiProperty({ type: 'integer', description: 'How often the handler was tried' }) attempts: number;
  @ApiProperty({ format: 'date-time' }) deadLetteredAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set once a replay applied it' })
  replayedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the last replay failed again, if it did' })
  replayError: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The council the message concerns; null when it cannot be told (a malformed message): only platform operators see those',
  })
  councilId: string | null;
}

interface DeadLetterRow {
  id: string;
  consumer: string;
  message_id: string;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  message_key: string | null;
  headers: Record<string, string>;
  value: string | null;
  event_type: string | null;
  error: string;
  attempts: number;
  dead_lettered_at: Date;
  replayed_at: Date | null;
  replay_error: string | null;
  council_id: string | null;
}

/** Dead letters are kept in the database (and on the dead-letter topic) until someone replays them. */
@Injectable()
export class DeadLetterService {
  private processor?: InboxProcessor;

  constructor(private readonly dataSource: DataSource) {}

  attach(processor: InboxProcessor) {
    this.processor = processor;
  }

  async list(principal: Principal, includeReplayed: boolean, limit = 100): Promise<DeadLetterView[]> {
    const parameters: unknown[] = [includeReplayed, Math.min(limit, 1000)];
    const rows: DeadLetterRow[] = await this.dataSource.query(
      `SELECT * FROM dead_letters WHERE ($1 OR replayed_at IS NULL) AND ${visibleTo(principal, parameters)} ORDER BY id LIMIT $2`,
      parameters,
    );
    return rows.map(toView);
  }

  async count(): Promise<number> {
    const [{ count }] = await this.dataSource.query('SELECT count(*)::int AS count FROM dead_letters WHERE replayed_at IS NULL');
    return count;
  }

  /**
   * Runs the stored message through the consumer again (after a fix, or once what it referred to
   * exists). Success marks the dead letter replayed; failure records why and keeps it open.
   */
  async replay(principal: Principal, id: number): Promise<DeadLetterView> {
    if (!this.processor) throw new NotFoundException('this service consumes no events');
    const parameters: unknown[] = [id];
    const [row]: DeadLetterRow[] = await this.dataSource.query(
      `SELECT * FROM dead_letters WHERE id = $1 AND ${visibleTo(principal, parameters)}`,
      parameters,
    );
    if (!row) throw new NotFoundException(`dead letter ${id} does not exist`);
    if (row.replayed_at) return toView(row);
    await this.dataSource.query(`DELETE FROM processed_events WHERE consumer = $1 AND message_id = $2 AND outcome = 'dead-lettered'`, [
      row.consumer,
      row.message_id,
    ]);
    const message = {
      key: row.message_key === null ? null : Buffer.from(row.message_key),
      value: row.value === null ? null : Buffer.from(row.value),
      headers: row.headers,
      offset: row.kafka_offset,
      timestamp: String(Date.now()),
      attributes: 0,
    } as unknown as KafkaMessage;
    await this.processor.processChunk(row.topic, row.kafka_partition, [message], async () => undefined);
    const [{ outcome }] = await this.dataSource.query('SELECT outcome FROM processed_events WHERE consumer = $1 AND message_id = $2', [
      row.consumer,
      row.message_id,
    ]);
    if (outcome === 'dead-lettered') {
      const [latest] = await this.dataSource.query(
        'SELECT error, council_id FROM dead_letters WHERE consumer = $1 AND message_id = $2 AND id <> $3 ORDER BY id DESC LIMIT 1',
        [row.consumer, row.message_id, id],
      );
      // The failed replay wrote a fresh dead letter; keep one open record per message.
      await this.dataSource.query('DELETE FROM dead_letters WHERE consumer = $1 AND message_id = $2 AND id <> $3', [
        row.consumer,
        row.message_id,
        id,
      ]);
      // The service may have learnt the council of the message's subject since.
      await this.dataSource.query('UPDATE dead_letters SET replay_error = $2, council_id = coalesce(council_id, $3) WHERE id = $1', [
        id,
        latest?.error ?? 'failed again',
        latest?.council_id ?? null,
      ]);
    } else {
      await this.dataSource.query('UPDATE dead_letters SET replayed_at = now(), replay_error = NULL WHERE id = $1', [id]);
    }
    const [updated]: DeadLetterRow[] = await this.dataSource.query('SELECT * FROM dead_letters WHERE id = $1', [id]);
    return toView(updated);
  }
}

/**
 * Platform operators see every dead letter, those of no council included; an administrator only
 * their council's (another council's is as unknown as a missing one).
 */
function visibleTo(principal: Principal, parameters: unknown[]): string {
  if (principal.roles.includes('platform-operator')) return 'TRUE';
  parameters.push(principal.councilId);
  return `council_id = $${parameters.length}`;
}

function toView(row: DeadLetterRow): DeadLetterView {
  return {
    id: Number(row.id),
    consumer: row.consumer,
    messageId: row.message_id,
    topic: row.topic,
    partition: row.kafka_partition,
    offset: String(row.kafka_offset),
    eventType: row.event_type,
    error: row.error,
    attempts: row.attempts,
    deadLetteredAt: new Date(row.dead_lettered_at).toISOString(),
    replayedAt: row.replayed_at ? new Date(row.replayed_at).toISOString() : null,
    replayError: row.replay_error,
    councilId: row.council_id,
  };
}

@ApiTags('operations')
@Roles('administrator', 'platform-operator')
@Controller('admin/dead-letters')
export class DeadLetterController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  @ApiOperation({
    summary: "List the messages this service could not apply, oldest first (an administrator's council only; platform operators all)",
  })
  @ApiQuery({
    name: 'includeReplayed',
    required: false,
    schema: { type: 'boolean', default: false },
    description: 'Also list those already replayed',
  })
  @ApiOkResponse({ type: [DeadLetterView] })
  list(@CurrentPrincipal() principal: Principal, @Query('includeReplayed') includeReplayed?: string) {
    return this.deadLetters.list(principal, includeReplayed === 'true');
  }

  @Post(':id/replay')
  @ApiOperation({ summary: 'Apply a dead-lettered message again, once its cause is fixed' })
  @ApiParam({ name: 'id', schema: { type: 'integer' } })
  @ApiCreatedResponse({ type: DeadLetterView, description: 'The dead letter after the attempt: replayed, or open with the new error' })
  replay(@CurrentPrincipal() principal: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.deadLetters.replay(principal, id);
  }
}
