import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, type IHeaders, type Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope } from '@plo/contracts';
import { Transaction } from './transaction';
import { sendEveryMessage } from './kafka-client';

export interface OutboxMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
  eventId?: string;
  eventType?: string;
}

/** Relay wake-ups after a local commit, so events leave in milliseconds rather than a poll later. */
type Nudge = () => void;

/**
 * Writes messages to the outbox inside the caller's transaction: the state change and its events
 * commit together or not at all. Nothing is sent to Kafka here.
 */
@Injectable()
export class OutboxWriter {
  private nudge: Nudge = () => undefined;

  /** `namespace` is the deployment's topic prefix (KAFKA_NAMESPACE); callers name topics without it. */
  constructor(private readonly namespace: string = '') {}

  /** The topic's name on the broker, for a caller that writes outbox rows in its own SQL. */
  qualified(topic: string): string {
    return this.namespace + topic;
  }

  onNudge(nudge: Nudge) {
    this.nudge = nudge;
  }

  async publish(tx: Transaction, topic: string, events: EventEnvelope[]): Promise<void> {
    await this.append(
      tx,
      events.map((event) => ({
        topic: this.qualified(topic),
        key: event.subject,
        value: JSON.stringify(event),
        eventId: event.id,
        eventType: event.type,
        headers: envelopeHeaders(event),
      })),
    );
  }

  /**
   * Writes many events of one topic as a single outbox row, for bulk work such as a midnight storm
   * of alerts: one row to insert and later mark published instead of thousands. The relay sends them
   * as the same Kafka messages `publish` would, in this order, without parsing them again (see
   * `batchValue`).
   */
  async publishBatch(tx: Transaction, topic: string, events: EventEnvelope[]): Promise<void> {
    if (events.length < 2) return this.publish(tx, topic, events);
    assertInTransaction(tx);
    const types = new Set(events.map((event) => event.type));
    await tx.query(`INSERT INTO outbox (topic, message_key, value, headers, event_type, message_count) VALUES ($1, '', $2, '{}', $3, $4)`, [
      this.qualified(topic),
      batchValue(events),
      types.size === 1 ? events[0].type : null,
      events.length,
    ]);
  }

  /** Appends messages whose topics are already fully qualified. */
  async append(tx: Transaction, messages: OutboxMessage[]): Promise<void> {
    assertInTransaction(tx);
    if (!messages.length) return;
    await tx.query(
      `INSERT INTO outbox (topic, message_key, value, headers, event_id, event_type)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[])`,
      [
        messages.map((m) => m.topic),
        messages.map((m) => m.key),
        messages.map((m) => m.value),
        messages.map((m) => JSON.stringify(m.headers ?? {})),
        messages.map((m) => m.eventId ?? null),
        messages.map((m) => m.eventType ?? null),
      ],
    );
  }

  /** Called after a commit that wrote to the outbox; only shortens the relay's wait. */
  committed() {
    this.nudge();
  }
}

function assertInTransaction(tx: Transaction) {
  if (!tx.inTransaction) {
    throw new Error('outbox writes must happen inside the transaction that changes state');
  }
}

function envelopeHeaders(event: EventEnvelope): Record<string, string> {
  return { 'ce-type': event.type, 'ce-id': event.id, 'x-correlation-id': event.correlationid };
}

/**
 * A batch row's value: two lines per event, `[key, headers]` then the envelope, each as JSON (which
 * never contains a raw newline). The relay splits the lines and sends the envelope text as it is:
 * parsing 2,000 envelopes to find their keys and serialising them again cost more than writing them.
 */
export function batchValue(events: EventEnvelope[]): string {
  return events.map((event) => `${JSON.stringify([event.subject, envelopeHeaders(event)])}\n${JSON.stringify(event)}`).join('\n');
}

/** The Kafka messages a batch row holds, in order. */
export function batchMessages(value: string): { key: string; value: string; headers: Record<string, string> }[] {
  const lines = value.split('\n');
  const messages = [];
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [key, headers] = JSON.parse(lines[i]) as [string, Record<string, string>];
    messages.push({ key, value: lines[i + 1], headers });
  }
  return messages;
}

export interface OutboxRelayOptions {
  enabled: boolean;
  pollIntervalMs: number;
  batchSize: number;
  compression: CompressionTypes;
  /** Published rows are kept this long for inspection, then pruned. */
  retentionHours: number;
}

/**
 * Requests sent in one transaction before it commits: more keeps the database off the send's path
 * for longer, and is more to send again after a crash or a failed send.
 */
const BATCHES_PER_TRANSACTION = 4;

interface WaitingRows {
  rows: OutboxRow[];
  more: boolean;
}

export type OutboxRowSize = Pick<OutboxRow, 'position' | 'message_count'>;

export interface OutboxRow {
  position: string;
  topic: string;
  message_key: string;
  value: string;
  headers: Record<string, string>;
  /** More than one: `value` holds that many messages, written by `publishBatch` (see `batchValue`). */
  message_count: number;
}

/** Any fixed number: each service has its own database, so one key per database is enough. */
const RELAY_LOCK_KEY = 7_316_512_001;

/**
 * Publishes committed outbox rows to Kafka in commit order, then marks them published. A crash
 * between send and mark re-sends on restart (at-least-once); consumers are idempotent.
 *
 * Only one relay per database publishes at a time (a transaction-scoped advisory lock): with two
 * relays claiming different rows, one case's later event could overtake an earlier one.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pendingNudge = false;
  private lastPrune = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly writer: OutboxWriter,
    private readonly options: OutboxRelayOptions,
    private readonly onPublished: (count: number) => void = () => undefined,
  ) {}

  onApplicationBootstrap() {
    if (!this.options.enabled) {
      this.logger.warn('outbox relay disabled (OUTBOX_RELAY_ENABLED=false): events stay in the outbox');
      return;
    }
    this.writer.onNudge(() => this.nudge());
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown() {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  nudge() {
    this.pendingNudge = true;
    this.wake?.();
  }

  /**
   * Publishes what is waiting, `batchSize` messages a request, in up to `BATCHES_PER_TRANSACTION`
   * requests (always at least one row, however many events it holds). Returns how many messages it
   * sent, and whether more were waiting (nothing if another relay holds the lock).
   *
   * While a request is on its way to Kafka, the same transaction marks its rows published and reads
   * the next rows, so the database's round trips are off the send's path. Marking first is safe: the
   * marks commit only after every request in the transaction was acknowledged, and a failed send
   * rolls them all back, to be sent again (at least once, as before).
   */
  async relayOnce(): Promise<{ published: number; more: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!locked) return { published: 0, more: false };
      let published = 0;
      let next = await this.waitingRows(manager);
      for (let batch = 1; next.rows.length; batch += 1) {
        const { rows } = next;
        const positions = rows.map((row) => row.position);
        const last = batch === BATCHES_PER_TRANSACTION || !next.more;
        const marking = manager.query('UPDATE outbox SET published_at = clock_timestamp() WHERE position = ANY($1::bigint[])', [positions]);
        // The next read must see these rows marked, or it would choose them again.
        const [sent, marked, following] = await Promise.allSettled([
          this.send(rows),
          marking,
          last ? Promise.resolve(undefined) : marking.then(() => this.waitingRows(manager)),
        ]);
        for (const outcome of [sent, marked, following]) if (outcome.status === 'rejected') throw outcome.reason;
        published += rows.reduce((sum, row) => sum + row.message_count, 0);
        if (last) return { published, more: next.more };
        next = (following as PromiseFulfilledResult<WaitingRows>).value;
      }
      return { published, more: false };
    });
  }

  /** The next rows to send, holding at most `batchSize` messages, and whether more wait behind them. */
  private async waitingRows(manager: EntityManager): Promise<WaitingRows> {
    // Which rows first, then only their values: behind a storm wait fifty batch rows of about 1.5 MB
    // each, and reading every waiting value on each turn to send the first was quadratic.
    const waiting: OutboxRowSize[] = await manager.query(
      'SELECT position, message_count FROM outbox WHERE published_at IS NULL ORDER BY position LIMIT $1',
      [this.options.batchSize],
    );
    const chosen = upToMessages(waiting, this.options.batchSize);
    if (!chosen.length) return { rows: [], more: false };
    const rows: OutboxRow[] = await manager.query(
      'SELECT position, topic, message_key, value, headers, message_count FROM outbox WHERE position = ANY($1::bigint[]) ORDER BY position',
      [chosen.map((row) => row.position)],
    );
    return { rows, more: chosen.length < waiting.length || waiting.length === this.options.batchSize };
  }

  /** One request after another: the producer keeps one in flight, so each partition's order holds. */
  private async send(rows: OutboxRow[]) {
    for (const topicMessages of kafkaRequests(rows, this.options.batchSize))
      await sendEveryMessage(this.producer, topicMessages, this.options.compression);
  }

  private async run() {
    let failures = 0;
    while (this.running) {
      try {
        this.pendingNudge = false;
        const { published, more } = await this.relayOnce();
        failures = 0;
        if (published) this.onPublished(published);
        if (more) continue;
        await this.maybePrune();
        if (!this.pendingNudge) await this.sleep(this.options.pollIntervalMs);
      } catch (error) {
        failures += 1;
        this.logger.warn({ msg: 'outbox relay failed; will retry', error: (error as Error).message, failures });
        await this.sleep(Math.min(200 * 2 ** failures, 5000));
      }
    }
  }

  private async maybePrune() {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [
      this.options.retentionHours,
    ]);
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** The leading rows that hold at most `limit` messages between them, and never none. */
export function upToMessages<Row extends OutboxRowSize>(rows: Row[], limit: number): Row[] {
  let total = 0;
  let taken = 0;
  for (const row of rows) {
    if (taken > 0 && total + row.message_count > limit) break;
    total += row.message_count;
    taken += 1;
  }
  return rows.slice(0, taken);
}

type KafkaMessage = { key: string; value: string; headers: IHeaders };

/**
 * Outbox rows as Kafka requests of at most `perRequest` messages each, grouped by topic, in outbox
 * order; a batch row becomes one message per event. However many events a row holds, no request
 * grows past what the broker accepts (`message.max.bytes` is 1 MB a record batch by default).
 */
export function kafkaRequests(rows: OutboxRow[], perRequest: number): { topic: string; messages: KafkaMessage[] }[][] {
  const requests: Map<string, KafkaMessage[]>[] = [];
  let current = new Map<string, KafkaMessage[]>();
  let count = 0;
  const add = (topic: string, message: KafkaMessage) => {
    if (count === perRequest) {
      requests.push(current);
      current = new Map();
      count = 0;
    }
    const messages = current.get(topic) ?? [];
    messages.push(message);
    current.set(topic, messages);
    count += 1;
  };
  for (const row of rows) {
    if (row.message_count > 1) {
      for (const message of batchMessages(row.value)) add(row.topic, message);
    } else {
      add(row.topic, { key: row.message_key, value: row.value, headers: row.headers });
    }
  }
  if (count) requests.push(current);
  return requests.map((request) => [...request].map(([topic, messages]) => ({ topic, messages })));
}
