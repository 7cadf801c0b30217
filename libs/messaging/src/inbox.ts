import { Logger } from '@nestjs/common';
import { BaseRpcContext, EventPattern } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { DataSource, QueryRunner } from 'typeorm';
import { EventEnvelope } from '@plo/contracts';
import { runWithContext } from '@plo/platform';
import { cloudEventsDecoder, DecodedMessage, InboundMessage, MessageDecoder } from './decoders';
import { OutboxMessage, OutboxWriter } from './outbox';
import { Transaction, transactionOf } from './transaction';

/** What a handler said of the message in hand besides applying it. */
interface Verdict {
  ignored?: boolean;
  rejected?: string;
}

/** What a handler receives besides the event: the transaction its effects must be written in. */
export class InboxContext extends BaseRpcContext<[Transaction, ConsumedMessageRef, Verdict?]> {
  /** Write every effect in this transaction: it commits together with the processed-event record. */
  get transaction(): Transaction {
    return this.args[0];
  }
  get message(): ConsumedMessageRef {
    return this.args[1];
  }
  /** The message changed nothing (it was stale, say): recorded as ignored rather than applied. One-at-a-time handlers only. */
  ignore(): void {
    this.verdict().ignored = true;
  }
  /**
   * The message can never be applied, through no fault of the code (it names what does not exist, say):
   * it is dead-lettered at once, without retries, and what the handler wrote (a record of the problem
   * for people to resolve) commits with it. One-at-a-time handlers only.
   */
  reject(reason: string): void {
    this.verdict().rejected = reason;
  }
  private verdict(): Verdict {
    const verdict = this.args[2];
    if (!verdict) throw new Error('only a handler of one message at a time can ignore or reject it');
    return verdict;
  }
}

export interface ConsumedMessageRef {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * How the inbox calls a handler: always with a list. A handler declared with `{ batch: true }` gets a
 * run of consecutive messages it handles (same `batchKey`) at once; any other gets one at a time.
 */
export interface InboxHandler {
  /** The messages' payloads: validated envelopes, or what their topic's decoder gives. */
  handle(events: EventEnvelope[], context: InboxContext): Promise<void>;
  /** Set for batch handlers: consecutive messages with the same key are applied in one call. */
  batchKey?: string;
}

export interface InboxOptions {
  consumerName: string;
  /** Fully qualified name of this consumer's dead-letter topic. */
  deadLetterTopic: string;
  maxAttempts: number;
  retryBackoffMs: number;
  /** How each (fully qualified) topic is read; CloudEvents unless named here. */
  decoders?: ReadonlyMap<string, MessageDecoder>;
  /**
   * The council of a dead-lettered message that names none, from what the service knows of the
   * message's subject (`MessageAbout`), looked up in the inbox's transaction.
   */
  councilOfSubject?: (topic: string, subject: string, tx: Transaction) => Promise<string | undefined>;
}

type Outcome = 'applied' | 'ignored' | 'duplicate' | 'dead-lettered';

export interface InboxMetrics {
  handled(outcome: Outcome, seconds: number): void;
}

/** A handler failed on the fast path; the chunk is rolled back and applied carefully instead. */
class FastPathAbandoned extends Error {
  constructor(override readonly cause: unknown) {
    super('a handler failed on the fast path');
  }
}

interface PendingMessage {
  message: KafkaMessage;
  messageId: string;
  decoded: DecodedMessage;
}

/**
 * Applies consumed messages exactly once in effect. For each chunk of a partition, in one
 * transaction: claim the message ids in `processed_events` (a duplicate claims nothing and is
 * skipped), run each handler inside a savepoint, and dead-letter a message whose handler keeps
 * failing — through the outbox, so the dead letter commits with everything else. The caller commits
 * the Kafka offset only after this returns.
 *
 * A database or connection failure is not the message's fault: it aborts the chunk (nothing is
 * recorded, nothing dead-lettered) and the caller retries the chunk.
 */
export class InboxProcessor {
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly options: InboxOptions,
    private readonly resolveHandler: (type: string) => InboxHandler | undefined,
    private readonly metrics: InboxMetrics,
  ) {
    this.logger = new Logger(`inbox:${options.consumerName}`);
  }

  async processChunk(topic: string, partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>): Promise<void> {
    const decoder = this.decoderOf(topic);
    const pending = messages.map((message) => {
      const decoded = decoder.decode(message, { topic, partition, offset: message.offset });
      return { message, decoded, messageId: decoded.valid ? decoded.message.id : decoded.messageId };
    });
    try {
      await this.applyChunk(topic, partition, pending, heartbeat, 'fast');
    } catch (error) {
      if (!(error instanceof FastPathAbandoned)) throw error;
      await this.applyChunk(topic, partition, pending, heartbeat, 'careful');
    }
  }

  /**
   * `fast`: every handler runs straight in the chunk's transaction, one round trip each; the first
   * failure abandons the whole chunk (rolled back, nothing recorded). `careful`: each handler runs in
   * a savepoint with bounded retries, so one poison message is dead-lettered and the rest applied.
   * Poison is rare, so nearly every chunk commits on the fast path.
   */
  private async applyChunk(
    topic: string,
    partition: number,
    pending: PendingMessage[],
    heartbeat: () => Promise<void>,
    mode: 'fast' | 'careful',
  ) {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const outcomes: [Outcome, number][] = [];
    const ignored: string[] = [];
    const consumer = this.consumerOf(topic);
    try {
      await runner.startTransaction();
      const claimed = await this.claim(runner, consumer, topic, partition, pending);
      // Consecutive messages for one batch handler form a run, applied in one call on the fast path.
      // Duplicates and ignored messages have no effect on state, so they do not break a run.
      let run: { handler: InboxHandler; items: { item: PendingMessage; inbound: InboundMessage }[]; started: bigint } | undefined;
      const flush = async () => {
        if (!run) return;
        const { handler, items, started } = run;
        run = undefined;
        const verdict = await this.runFast(runner, topic, partition, items, handler);
        const each = Number(process.hrtime.bigint() - started) / 1e9 / items.length;
        if (verdict) outcomes.push([await this.settle(runner, topic, partition, items[0].item, verdict, ignored), each]);
        else for (let i = 0; i < items.length; i += 1) outcomes.push(['applied', each]);
      };
      for (const item of pending) {
        const started = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
        if (!claimed.delete(item.messageId)) {
          outcomes.push(['duplicate', seconds()]);
          continue;
        }
        const handler = item.decoded.valid ? this.resolveHandler(item.decoded.message.type) : undefined;
        if (!item.decoded.valid) {
          // Its council may be told from what the messages before it apply (the case they open, say).
          await flush();
          await this.deadLetter(runner, topic, partition, item, item.decoded.reason, 1);
          outcomes.push(['dead-lettered', seconds()]);
        } else if (!handler) {
          ignored.push(item.messageId);
          outcomes.push(['ignored', seconds()]);
        } else if (mode === 'fast') {
          const inbound = item.decoded.message;
          if (!handler.batchKey || run?.handler.batchKey !== handler.batchKey) await flush();
          run ??= { handler, items: [], started };
          run.items.push({ item, inbound });
          if (!handler.batchKey) await flush();
        } else {
          const verdict = await this.runCarefully(runner, topic, partition, item, item.decoded.message, handler, heartbeat);
          outcomes.push([
            verdict === 'dead-lettered' ? verdict : await this.settle(runner, topic, partition, item, verdict, ignored),
            seconds(),
          ]);
        }
      }
      await flush();
      if (ignored.length) {
        await runner.query(`UPDATE processed_events SET outcome = 'ignored' WHERE consumer = $1 AND message_id = ANY($2::text[])`, [
          consumer,
          ignored,
        ]);
      }
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    for (const [outcome, seconds] of outcomes) this.metrics.handled(outcome, seconds);
    // What handlers emitted (through `unitOfWork.within`) and dead letters leave now rather than a relay poll later.
    if (outcomes.some(([outcome]) => outcome === 'applied' || outcome === 'dead-lettered')) this.outbox.committed();
  }

  private decoderOf(topic: string): MessageDecoder {
    return this.options.decoders?.get(topic) ?? cloudEventsDecoder;
  }

  /** Whose claims a topic's messages are: the service's, unless its format keeps a name of its own. */
  private consumerOf(topic: string): string {
    return this.decoderOf(topic).consumerName?.(this.options.consumerName) ?? this.options.consumerName;
  }

  /** Records what the handler said of a message it applied without failing. */
  private async settle(
    runner: QueryRunner,
    topic: string,
    partition: number,
    item: PendingMessage,
    verdict: Verdict,
    ignored: string[],
  ): Promise<Outcome> {
    if (verdict.rejected !== undefined) {
      await this.deadLetter(runner, topic, partition, item, verdict.rejected, 1);
      return 'dead-lettered';
    }
    if (verdict.ignored) {
      ignored.push(item.messageId);
      return 'ignored';
    }
    return 'applied';
  }

  /** Claims the ids not yet processed by this consumer; returns them. Blocks on a concurrent claimant. */
  private async claim(
    runner: QueryRunner,
    consumer: string,
    topic: string,
    partition: number,
    pending: PendingMessage[],
  ): Promise<Set<string>> {
    const rows: { message_id: string }[] = await runner.query(
      `INSERT INTO processed_events (consumer, message_id, outcome, topic, kafka_partition, kafka_offset)
       SELECT $1, id, 'applied', $2, $3, off FROM unnest($4::text[], $5::bigint[]) AS m(id, off)
       ON CONFLICT (consumer, message_id) DO NOTHING
       RETURNING message_id`,
      [consumer, topic, partition, pending.map((p) => p.messageId), pending.map((p) => p.message.offset)],
    );
    return new Set(rows.map((row) => row.message_id));
  }

  /**
   * A run's effects share the first event's correlation id; handlers that publish per event (alert
   * effects of a projection, say) set their own context from the event they act on.
   */
  private async runFast(
    runner: QueryRunner,
    topic: string,
    partition: number,
    items: { item: PendingMessage; inbound: InboundMessage }[],
    handler: InboxHandler,
  ): Promise<Verdict | undefined> {
    const last = items[items.length - 1];
    const verdict: Verdict | undefined = handler.batchKey ? undefined : {};
    const context = new InboxContext([transactionOf(runner), { topic, partition, offset: last.item.message.offset }, verdict]);
    const first = items[0].inbound;
    try {
      await runWithContext({ correlationId: first.correlationId, causationId: first.causationId }, () =>
        handler.handle(
          items.map(({ inbound }) => inbound.payload as EventEnvelope),
          context,
        ),
      );
    } catch (error) {
      if (isInfrastructureFailure(error)) throw error;
      throw new FastPathAbandoned(error);
    }
    return verdict;
  }

  private async runCarefully(
    runner: QueryRunner,
    topic: string,
    partition: number,
    item: PendingMessage,
    inbound: InboundMessage,
    handler: InboxHandler,
    heartbeat: () => Promise<void>,
  ): Promise<Verdict | 'dead-lettered'> {
    for (let attempt = 1; ; attempt += 1) {
      const verdict: Verdict = {};
      const context = new InboxContext([transactionOf(runner), { topic, partition, offset: item.message.offset }, verdict]);
      await runner.query('SAVEPOINT inbox_message');
      try {
        await runWithContext({ correlationId: inbound.correlationId, causationId: inbound.causationId }, () =>
          handler.handle([inbound.payload as EventEnvelope], context),
        );
        await runner.query('RELEASE SAVEPOINT inbox_message');
        return verdict;
      } catch (error) {
        if (isInfrastructureFailure(error)) throw error;
        // If the connection itself is gone this throws too, and the whole chunk is retried.
        await runner.query('ROLLBACK TO SAVEPOINT inbox_message');
        const reason = (error as Error).message ?? String(error);
        if (attempt >= this.options.maxAttempts) {
          await this.deadLetter(runner, topic, partition, item, `handler failed ${attempt} times: ${reason}`, attempt);
          return 'dead-lettered';
        }
        this.logger.warn({ msg: 'handler failed; retrying', messageId: inbound.id, type: inbound.type, attempt, error: reason });
        await heartbeat();
        await sleep(Math.min(this.options.retryBackoffMs * 2 ** (attempt - 1), 10_000));
      }
    }
  }

  private async setOutcome(runner: QueryRunner, consumer: string, messageId: string, outcome: 'dead-lettered') {
    await runner.query('UPDATE processed_events SET outcome = $3 WHERE consumer = $1 AND message_id = $2', [consumer, messageId, outcome]);
  }

  private async deadLetter(runner: QueryRunner, topic: string, partition: number, item: PendingMessage, error: string, attempts: number) {
    const { message } = item;
    const key = message.key?.toString() ?? null;
    const value = message.value?.toString() ?? null;
    const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, header]) => [name, String(header ?? '')]));
    const eventType = item.decoded.valid ? item.decoded.message.type : (item.decoded.type ?? null);
    const consumer = this.consumerOf(topic);
    const councilId = await this.councilOf(runner, topic, value);
    this.logger.error({ msg: 'message dead-lettered', topic, partition, offset: message.offset, messageId: item.messageId, error });
    await runner.query(
      `INSERT INTO dead_letters (consumer, message_id, topic, kafka_partition, kafka_offset, message_key, headers, value, event_type, error, attempts, council_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        consumer,
        item.messageId,
        topic,
        partition,
        message.offset,
        key,
        JSON.stringify(headers),
        value,
        eventType,
        error,
        attempts,
        councilId,
      ],
    );
    await this.setOutcome(runner, consumer, item.messageId, 'dead-lettered');
    const deadLetter: OutboxMessage = {
      topic: this.options.deadLetterTopic,
      key: key ?? item.messageId,
      value: JSON.stringify({
        consumer,
        error,
        attempts,
        deadLetteredAt: new Date().toISOString(),
        original: { topic, partition, offset: message.offset, key, headers, value },
      }),
      headers: { 'x-dead-letter-reason': error.slice(0, 500), 'x-original-topic': topic },
    };
    await this.outbox.append(transactionOf(runner), [deadLetter]);
  }

  /**
   * Whose dead letter it is: the council the message names, else the one the service knows of its
   * subject, else none (only platform operators see it). The lookup runs in a savepoint, so a failing
   * one costs the council, never the chunk.
   */
  private async councilOf(runner: QueryRunner, topic: string, value: string | null): Promise<string | null> {
    const about = this.decoderOf(topic).about?.(value) ?? {};
    if (about.councilId) return about.councilId;
    if (!about.subject || !this.options.councilOfSubject) return null;
    await runner.query('SAVEPOINT dead_letter_council');
    try {
      const councilId = await this.options.councilOfSubject(topic, about.subject, transactionOf(runner));
      await runner.query('RELEASE SAVEPOINT dead_letter_council');
      return councilId ?? null;
    } catch (error) {
      if (isInfrastructureFailure(error)) throw error;
      await runner.query('ROLLBACK TO SAVEPOINT dead_letter_council');
      this.logger.warn({ msg: 'the council of a dead letter could not be looked up', topic, error: (error as Error).message });
      return null;
    }
  }
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300']);

/** Connection loss, server shutdown or overload: the message is fine, the infrastructure is not. */
export function isInfrastructureFailure(error: unknown): boolean {
  const candidate = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = candidate?.code ?? candidate?.driverError?.code;
  if (code && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))) return true;
  const message = candidate?.message ?? '';
  return /Connection terminated|connection is closed|Client has encountered a connection error|terminating connection/i.test(message);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface HandlesEventOptions {
  /**
   * Receive consecutive messages of these types as one list (`@Payload() events: EventEnvelope[]`)
   * in one call, so a handler can load and write in a few set-based statements. When a message of
   * the run fails, the chunk is re-applied one message at a time (the handler gets lists of one).
   */
  batch?: boolean;
}

/**
 * Marks a method as the handler of one or more versioned event types, delivered by
 * `KafkaInboxServer`. The handler receives the validated envelope — or, with `{ batch: true }`, a
 * list of them — and an `InboxContext` (via `@Payload()`/`@Ctx()`).
 */
export function HandlesEvent(eventTypes: string | string[], options: HandlesEventOptions = {}): MethodDecorator {
  return (target, key, descriptor) => {
    const extras = options.batch ? { batchKey: `${target.constructor.name}.${String(key)}` } : undefined;
    return (EventPattern(eventTypes, extras) as unknown as MethodDecorator)(target, key, descriptor);
  };
}
