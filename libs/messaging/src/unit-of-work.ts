import { Inject, Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor, createEnvelope, EventEnvelope, EventMetadata } from '@plo/contracts';
import { Clock, currentContext } from '@plo/platform';
import { OutboxWriter } from './outbox';
import { readsOf, Transaction, transactionOfManager } from './transaction';

/** Who writes: the producing service's CloudEvents `source` and the topic its events go to by default. */
export interface EventProducer {
  source: string;
  defaultTopic: string;
}

export const EVENT_PRODUCER = Symbol('EVENT_PRODUCER');

export interface EmitOptions {
  /** Another of this service's topics (PLO's court timetable, say). */
  topic?: string;
  /** Another key than the change's subject (a council-wide event is keyed by council). */
  subject?: string;
  /** The event that directly caused this one, when it is not what the work in hand is handling. */
  causationId?: string;
  /**
   * Part of a bulk of events (a midnight storm's alerts): the bulk events of a topic are written as one
   * outbox row that the relay splits, instead of one row each.
   */
  bulk?: boolean;
}

interface Pending {
  topic: string;
  envelope: EventEnvelope;
  bulk: boolean;
}

/**
 * One state change: the transaction it is written in, who made it, what it is about (the subject: a
 * case id, the Kafka key of its events), the instant it happened, and the events it emits. The events
 * are written to the outbox when the work ends, in the order emitted and in the same transaction, so
 * the change and its events commit together or not at all.
 *
 * Every envelope in the product is built here: correlation from the request or message in hand,
 * causation from the message being handled (or the one given), the actor, and the service's source.
 */
/** Rewrites a change's events before they are written (see `Change.rewriteBeforeWrite`). */
export type EventRewrite = (events: readonly EventEnvelope[]) => EventEnvelope[];

export class Change implements Transaction {
  private readonly pending: Pending[] = [];
  private readonly metadata: EventMetadata;
  private readonly rewrites: EventRewrite[] = [];

  constructor(
    private readonly transaction: Transaction,
    private readonly producer: EventProducer,
    readonly subject: string,
    readonly actor: Actor,
    readonly now: Date,
  ) {
    const context = currentContext();
    this.metadata = { correlationId: context?.correlationId ?? randomUUID(), causationId: context?.causationId, actor };
  }

  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]> {
    return this.transaction.query<T>(sql, parameters);
  }

  get inTransaction(): boolean {
    return this.transaction.inTransaction;
  }

  /** Queues an event for the outbox; returns its envelope (its id is final). */
  emit<T extends object>(type: string, data: T, options: EmitOptions = {}): EventEnvelope<T> {
    const metadata = options.causationId ? { ...this.metadata, causationId: options.causationId } : this.metadata;
    const envelope = createEnvelope(this.producer.source, type, options.subject ?? this.subject, data, metadata, this.now);
    this.pending.push({ topic: options.topic ?? this.producer.defaultTopic, envelope, bulk: options.bulk ?? false });
    return envelope;
  }

  /** The events emitted so far, of one type or all. */
  emitted(type?: string): EventEnvelope[] {
    return this.pending.map((p) => p.envelope).filter((event) => !type || event.type === type);
  }

  /**
   * A change that replays history (an import, a fact entered late) tells consumers the outcome, not
   * every step on the way: the rewrite sees the change's events once the work is done and returns
   * the ones to write (a subset, possibly amended; never new envelopes of its own making).
   */
  rewriteBeforeWrite(rewrite: EventRewrite): void {
    this.rewrites.push(rewrite);
  }

  /** Writes the queued events to the outbox, each topic's bulk events as one row. */
  async writeTo(outbox: OutboxWriter): Promise<void> {
    this.applyRewrites();
    const single = this.pending.filter((p) => !p.bulk);
    const topics = [...new Set(single.map((p) => p.topic))];
    for (const topic of topics)
      await outbox.publish(
        this.transaction,
        topic,
        single.filter((p) => p.topic === topic).map((p) => p.envelope),
      );
    const bulk = this.pending.filter((p) => p.bulk);
    for (const topic of new Set(bulk.map((p) => p.topic))) {
      await outbox.publishBatch(
        this.transaction,
        topic,
        bulk.filter((p) => p.topic === topic).map((p) => p.envelope),
      );
    }
    this.pending.length = 0;
  }

  private applyRewrites(): void {
    if (!this.rewrites.length) return;
    let events: EventEnvelope[] = this.pending.map((p) => p.envelope);
    for (const rewrite of this.rewrites) events = rewrite(events);
    this.keepOnly(events);
  }

  /** Keeps (and amends) the pending events a rewrite returned; see `rewriteBeforeWrite`. */
  keepOnly(events: readonly EventEnvelope[]): void {
    const pendingById = new Map(this.pending.map((p) => [p.envelope.id, p]));
    const kept = events.map((envelope) => {
      const original = pendingById.get(envelope.id);
      if (!original) throw new Error(`a rewrite may only keep or amend this change's events; ${envelope.id} is not one`);
      return { ...original, envelope };
    });
    this.pending.splice(0, this.pending.length, ...kept);
  }

  /** Forgets the events queued after the first `count` (a history step that was rolled back). */
  forgetAfter(count: number): void {
    this.pending.length = Math.min(this.pending.length, count);
  }
}

export interface ChangeOf {
  subject: string;
  actor: Actor;
}

/** The changes a history replay made so far, all in its one transaction. */
interface HistoryScope {
  tx: Transaction;
  changes: Change[];
}

/**
 * A replay of history (an import, a backfill): every `change` and `transaction` the services make
 * inside it joins its one transaction, each `step` is a savepoint that can fail alone (the row is
 * reported, the good rows kept), and the rewrite sees every event of every change at the end, in the
 * order emitted, so it can tell consumers the outcome instead of each step.
 */
export class History {
  private steps = 0;

  constructor(private readonly scope: HistoryScope) {}

  /** Runs one step in a savepoint: on failure its writes and its events are undone, and the replay goes on. */
  async step<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    const savepoint = `history_step_${++this.steps}`;
    const marks = this.scope.changes.map((change) => [change, change.emitted().length] as const);
    const changesBefore = this.scope.changes.length;
    await this.scope.tx.query(`SAVEPOINT ${savepoint}`);
    try {
      const value = await work();
      await this.scope.tx.query(`RELEASE SAVEPOINT ${savepoint}`);
      return { ok: true, value };
    } catch (error) {
      await this.scope.tx.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      for (const [change, count] of marks) change.forgetAfter(count);
      this.scope.changes.length = changesBefore;
      return { ok: false, error };
    }
  }
}

/**
 * The one write path. `transaction` is a transaction that emits nothing; `change` is a transaction that
 * changes state and emits events; `within` makes the same change inside a transaction already open
 * (an inbox handler's, which commits with the consumed message's claim). After a commit that wrote
 * to the outbox the relay is woken, so events leave in milliseconds rather than a poll later.
 *
 * Locks are the caller's: the first statement of the work locks what it changes (a case row, a set
 * of proceedings), because only the domain knows what must not change under it.
 */
@Injectable()
export class UnitOfWork {
  private readonly histories = new AsyncLocalStorage<HistoryScope>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(EVENT_PRODUCER) private readonly producer: EventProducer,
  ) {}

  /** Reads that need no snapshot shared between statements: no transaction is opened. */
  async read<T>(work: (reads: Transaction) => Promise<T>): Promise<T> {
    // A history replay reads what it has written so far, which only its own transaction can see.
    const history = this.histories.getStore();
    if (history) return work(history.tx);
    return work(readsOf(this.dataSource));
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const history = this.histories.getStore();
    if (history) return work(history.tx);
    return this.dataSource.transaction((manager) => work(transactionOfManager(manager)));
  }

  async change<T>(of: ChangeOf, work: (change: Change) => Promise<T>): Promise<T> {
    const history = this.histories.getStore();
    if (history) {
      const change = new Change(history.tx, this.producer, of.subject, of.actor, this.clock.now());
      history.changes.push(change);
      return work(change);
    }
    const result = await this.dataSource.transaction((manager) => this.within(transactionOfManager(manager), of, work));
    this.outbox.committed();
    return result;
  }

  /**
   * Replays history in one transaction: the services' own changes inside `work` join it (the same
   * rules as live entries), and `rewrite` sees all their events before anything is written. Commits
   * the steps that succeeded; a failure outside a step rolls everything back.
   */
  async history<T>(rewrite: EventRewrite, work: (history: History) => Promise<T>): Promise<T> {
    if (this.histories.getStore()) throw new Error('a history replay cannot contain another');
    const result = await this.dataSource.transaction(async (manager) => {
      const scope: HistoryScope = { tx: transactionOfManager(manager), changes: [] };
      const value = await this.histories.run(scope, () => work(new History(scope)));
      const kept = rewrite(scope.changes.flatMap((change) => change.emitted()));
      for (const change of scope.changes) {
        const own = new Set(change.emitted().map((event) => event.id));
        change.keepOnly(kept.filter((event) => own.has(event.id)));
        await change.writeTo(this.outbox);
      }
      return value;
    });
    this.outbox.committed();
    return result;
  }

  async within<T>(tx: Transaction, of: ChangeOf, work: (change: Change) => Promise<T>): Promise<T> {
    const change = new Change(tx, this.producer, of.subject, of.actor, this.clock.now());
    const result = await work(change);
    await change.writeTo(this.outbox);
    return result;
  }
}
