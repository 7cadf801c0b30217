import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { IHeaders, Producer } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope } from '@plo/contracts';

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

  async publish(manager: EntityManager, topic: string, events: EventEnvelope[]): Promise<void> {
    await this.append(
      manager,
      events.map((event) => ({
        topic: this.qualified(topic),
        key: event.subject,
        value: JSON.stringify(event),
        eventId: event.id,
        eventType: event.type,
        headers: { 'ce-type': event.type, 'ce-id': event.id, 'x-correlation-id': event.correlationid },
      })),
    );
  }

  /** Appends messages whose topics are already fully qualified. */
  async append(manager: EntityManager, messages: OutboxMessage[]): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('outbox writes must happen inside the transaction that changes state');
    }
    if (!messages.length) return;
    await manager.query(
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

/** A transaction whose outbox messages are relayed as soon as it commits. */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.outbox.committed();
    return result;
  }
}

export interface OutboxRelayOptions {
  enabled: boolean;
  pollIntervalMs: number;
  batchSize: number;
  /** Published rows are kept this long for inspection, then pruned. */
  retentionHours: number;
}

interface OutboxRow {
  position: string;
  topic: string;
  message_key: string;
  value: string;
  headers: Record<string, string>;
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

  /** Publishes one batch; returns how many rows it published (0 if another relay holds the lock). */
  async relayOnce(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!locked) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT position, topic, message_key, value, headers FROM outbox
          WHERE published_at IS NULL ORDER BY position LIMIT $1`,
        [this.options.batchSize],
      );
      if (!rows.length) return 0;
      await this.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(rows) });
      await manager.query('UPDATE outbox SET published_at = now() WHERE position = ANY($1::bigint[])', [rows.map((row) => row.position)]);
      return rows.length;
    });
  }

  private async run() {
    let failures = 0;
    while (this.running) {
      try {
        this.pendingNudge = false;
        const published = await this.relayOnce();
        failures = 0;
        if (published) this.onPublished(published);
        if (published === this.options.batchSize) continue;
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
    await this.dataSource.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [this.options.retentionHours]);
  }

  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }
}

function groupByTopic(rows: OutboxRow[]) {
  const byTopic = new Map<string, { key: string; value: string; headers: IHeaders }[]>();
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({ key: row.message_key, value: row.value, headers: row.headers });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
