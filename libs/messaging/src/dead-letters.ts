import { Controller, Get, Injectable, NotFoundException, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { KafkaMessage } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Roles } from '@plo/platform';
import { InboxProcessor } from './inbox';

export interface DeadLetterView {
  id: number;
  consumer: string;
  messageId: string;
  topic: string;
  partition: number;
  offset: string;
  eventType: string | null;
  error: string;
  attempts: number;
  deadLetteredAt: string;
  replayedAt: string | null;
  replayError: string | null;
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
}

/** Dead letters are kept in the database (and on the dead-letter topic) until someone replays them. */
@Injectable()
export class DeadLetterService {
  private processor?: InboxProcessor;

  constructor(private readonly dataSource: DataSource) {}

  attach(processor: InboxProcessor) {
    this.processor = processor;
  }

  async list(includeReplayed: boolean, limit = 100): Promise<DeadLetterView[]> {
    const rows: DeadLetterRow[] = await this.dataSource.query(
      `SELECT * FROM dead_letters WHERE $1 OR replayed_at IS NULL ORDER BY id LIMIT $2`,
      [includeReplayed, Math.min(limit, 1000)],
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
  async replay(id: number): Promise<DeadLetterView> {
    if (!this.processor) throw new NotFoundException('this service consumes no events');
    const [row]: DeadLetterRow[] = await this.dataSource.query('SELECT * FROM dead_letters WHERE id = $1', [id]);
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
        'SELECT error FROM dead_letters WHERE consumer = $1 AND message_id = $2 AND id <> $3 ORDER BY id DESC LIMIT 1',
        [row.consumer, row.message_id, id],
      );
      // The failed replay wrote a fresh dead letter; keep one open record per message.
      await this.dataSource.query('DELETE FROM dead_letters WHERE consumer = $1 AND message_id = $2 AND id <> $3', [
        row.consumer,
        row.message_id,
        id,
      ]);
      await this.dataSource.query('UPDATE dead_letters SET replay_error = $2 WHERE id = $1', [id, latest?.error ?? 'failed again']);
    } else {
      await this.dataSource.query('UPDATE dead_letters SET replayed_at = now(), replay_error = NULL WHERE id = $1', [id]);
    }
    const [updated]: DeadLetterRow[] = await this.dataSource.query('SELECT * FROM dead_letters WHERE id = $1', [id]);
    return toView(updated);
  }
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
  };
}

@ApiTags('operations')
@Roles('administrator')
@Controller('admin/dead-letters')
export class DeadLetterController {
  constructor(private readonly deadLetters: DeadLetterService) {}

  @Get()
  @ApiOperation({ summary: 'Messages this service could not apply, newest last' })
  list(@Query('includeReplayed') includeReplayed?: string) {
    return this.deadLetters.list(includeReplayed === 'true');
  }

  @Post(':id/replay')
  @ApiOperation({ summary: 'Apply a dead-lettered message again' })
  replay(@Param('id', ParseIntPipe) id: number) {
    return this.deadLetters.replay(id);
  }
}
