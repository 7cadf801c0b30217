import { Logger } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { deadLetterTopic, EventEnvelope, Topics } from '@plo/contracts';
import { InboxContext, InboxHandler, InboxProcessor, OutboxWriter } from '@plo/messaging';
import { Clock } from '@plo/platform';
import type { AlertingEnvironment } from '../alerting.environment';
import { AlertEffects } from '../alerts/alert-effects';
import { AlertWriter } from '../alerts/alert-writer';
import { DeliveryPlanner } from '../delivery/delivery-planner';
import { AlertPolicy } from '../domain/alert-policy';
import { PROJECTED_EVENT_TYPES } from '../obligations.handlers';
import { ProjectionStore } from '../projection/projection-store';
import { Projector } from '../projection/projector';

/** The consumer whose state is rebuilt: its processed-event records are the live inbox's. */
export const CONSUMER = 'alerting';

export interface RebuildSummary {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  byTopic: Record<string, number>;
  casesWithAlertsMoved: number;
  obligationsRescheduled: number;
}

interface PartitionTarget {
  topic: string;
  partition: number;
  /** The first offset not to replay: the end of the partition when the rebuild began. */
  end: bigint;
}

/**
 * Rebuilds alerting's projection from the beginning of the topics it consumes.
 *
 * Derived from events, so truncated and replayed: obligations, the case directory, early outcomes,
 * the inbox's processed-event records and open dead letters. Kept, because people made them or
 * other systems already hold them: alerts (with acknowledgements, notes, manager resolutions and
 * escalations; their ids were delivered), alert history, the team and people directories, webhook
 * subscriptions, deliveries, digests, the outbox and the audit log. Replayed events run through the
 * live inbox's code (same claims, same handler, same dead-lettering), so the result is what live
 * consumption gives; alerts are reconciled with it, and only real differences change them.
 */
export class Rebuilder {
  private readonly logger = new Logger('rebuild');
  private readonly projector: Projector;
  private readonly effects: AlertEffects;
  private readonly clock = new Clock();
  private readonly policy: AlertPolicy;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    private readonly env: AlertingEnvironment,
    private readonly batchSize: number,
  ) {
    this.policy = AlertPolicy.fromSettings({
      warningLeads: env.ALERT_WARNING_LEADS,
      toTeamManagerWd: env.ALERT_ESCALATE_TO_TEAM_MANAGER_WD,
      toServiceManagerWd: env.ALERT_ESCALATE_TO_SERVICE_MANAGER_WD,
    });
    const writer = new AlertWriter(new OutboxWriter(env.KAFKA_NAMESPACE), new DeliveryPlanner(env));
    this.effects = new AlertEffects(writer, this.policy);
    this.projector = new Projector(new ProjectionStore(this.policy), this.effects);
  }

  async run(): Promise<RebuildSummary> {
    await this.refuseWhileServiceRuns();
    const topics = [Topics.caseEvents, Topics.proceedingsEvents];
    const targets = await this.endsOf(topics.map((topic) => this.env.KAFKA_NAMESPACE + topic));
    await this.truncate();
    const started = process.hrtime.bigint();
    const movedCases = new Set<string>();
    const byTopic: Record<string, number> = {};
    // Cases first: proceedings events refer to cases (and PLO's obligations to their children).
    for (const topic of topics) {
      const qualified = this.env.KAFKA_NAMESPACE + topic;
      byTopic[topic] = await this.replay(qualified, targets.filter((t) => t.topic === qualified), movedCases);
    }
    await this.moveAlerts([...movedCases]);
    const obligationsRescheduled = await this.resumeSchedules();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const events = Object.values(byTopic).reduce((sum, n) => sum + n, 0);
    return { events, seconds, eventsPerSecond: Math.round(events / seconds), byTopic, casesWithAlertsMoved: movedCases.size, obligationsRescheduled };
  }

  /** Two writers would interleave: the live consumer must not be running. */
  private async refuseWhileServiceRuns() {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([this.env.KAFKA_NAMESPACE + CONSUMER]);
      const members = groups[0]?.members.length ?? 0;
      if (members > 0) throw new Error(`the alerting service is consuming (${members} member(s) in its consumer group): stop every instance first`);
    } finally {
      await admin.disconnect();
    }
  }

  private async endsOf(topics: string[]): Promise<PartitionTarget[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const targets: PartitionTarget[] = [];
      for (const topic of topics.filter((t) => existing.has(t))) {
        for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
          if (BigInt(high) > BigInt(low)) targets.push({ topic, partition, end: BigInt(high) });
        }
      }
      return targets;
    } finally {
      await admin.disconnect();
    }
  }

  private async truncate() {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('TRUNCATE obligations, case_directory, early_outcomes');
      // This database's inbox serves the alerting consumer alone.
      await manager.query('TRUNCATE processed_events');
      // Replayed messages that still fail are dead-lettered again; replayed ones stay as a record.
      await manager.query('DELETE FROM dead_letters WHERE consumer = $1 AND replayed_at IS NULL', [CONSUMER]);
    });
    await this.dataSource.query('ANALYZE obligations, case_directory, early_outcomes, processed_events');
  }

  /** Reads one topic with a fresh consumer group up to the ends captured at the start; returns the count. */
  private async replay(topic: string, targets: PartitionTarget[], movedCases: Set<string>): Promise<number> {
    if (!targets.length) return 0;
    const handler: InboxHandler = {
      batchKey: 'rebuild',
      handle: (events: EventEnvelope[], context: InboxContext) =>
        this.projector.apply(context.manager, events, this.clock.now(), { deferAllocationMoves: movedCases }),
    };
    const handled = new Set<string>(PROJECTED_EVENT_TYPES);
    const processor = new InboxProcessor(
      this.dataSource,
      new OutboxWriter(this.env.KAFKA_NAMESPACE),
      {
        consumerName: CONSUMER,
        deadLetterTopic: this.env.KAFKA_NAMESPACE + deadLetterTopic(CONSUMER),
        maxAttempts: this.env.CONSUMER_MAX_ATTEMPTS,
        retryBackoffMs: this.env.CONSUMER_RETRY_BACKOFF_MS,
      },
      (type) => (handled.has(type) ? handler : undefined),
      { handled: () => undefined },
    );
    const groupId = `${this.env.KAFKA_NAMESPACE}${CONSUMER}-rebuild-${process.pid}-${Date.now()}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytesPerPartition: 16 * 1024 * 1024, maxBytes: 64 * 1024 * 1024 });
    const remaining = new Map(targets.map((t) => [t.partition, t.end]));
    let count = 0;
    let lastReport = Date.now();
    let nextAnalyseAt = 20_000;
    let finish!: () => void;
    let fail!: (error: unknown) => void;
    const done = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: targets.length,
        eachBatch: async ({ batch, heartbeat, isRunning }) => {
          const end = remaining.get(batch.partition);
          if (end === undefined) return;
          const messages = batch.messages.filter((m) => BigInt(m.offset) < end);
          try {
            for (let start = 0; start < messages.length && isRunning(); start += this.batchSize) {
              const chunk = messages.slice(start, start + this.batchSize);
              await processor.processChunk(batch.topic, batch.partition, chunk, heartbeat);
              count += chunk.length;
              await heartbeat();
            }
            // The tables grow from empty: fresh statistics keep the planner on the indexes. Plans only
            // change when a table grows several-fold, so statistics are refreshed at each fivefold growth.
            if (count >= nextAnalyseAt) {
              nextAnalyseAt = count * 5;
              await this.dataSource.query('ANALYZE obligations, case_directory, early_outcomes, processed_events');
            }
          } catch (error) {
            fail(error);
            return;
          }
          const last = messages.at(-1);
          if (last && BigInt(last.offset) + 1n >= end) remaining.delete(batch.partition);
          if (Date.now() - lastReport > 5000) {
            lastReport = Date.now();
            this.logger.log({ msg: 'rebuild progress', topic, events: count });
          }
          if (!remaining.size) finish();
        },
      });
      await done;
    } finally {
      await consumer.disconnect();
      const admin = this.kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
    return count;
  }

  /** Alerts of re-allocated cases (or with a new team manager) go to the case's final people, once. */
  private async moveAlerts(caseIds: string[]) {
    for (let start = 0; start < caseIds.length; start += 1000) {
      const chunk = caseIds.slice(start, start + 1000);
      await this.dataSource.transaction((manager) => this.effects.moveWithAllocation(manager, chunk, this.clock.now()));
    }
  }

  /**
   * Replayed obligations start their alert schedule from the beginning; where alerts already exist
   * for the current due date, the schedule resumes after the latest of them, as the live scheduler
   * left it. Returns how many obligations that moved on.
   */
  private async resumeSchedules(): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let changed = 0;
    for (;;) {
      const rows: { id: string; kind: string; due_date: string; levels: string[] }[] = await this.dataSource.query(
        `SELECT o.id, o.kind, to_char(o.due_date, 'YYYY-MM-DD') AS due_date, array_agg(a.level) AS levels
           FROM obligations o JOIN alerts a ON a.obligation_id = o.id AND a.due_date = o.due_date
          WHERE o.status = 'open' AND o.id > $1
          GROUP BY o.id ORDER BY o.id LIMIT 5000`,
        [after],
      );
      if (!rows.length) return changed;
      after = rows[rows.length - 1].id;
      const ids: string[] = [];
      const next: (string | null)[] = [];
      for (const row of rows) {
        const schedule = this.policy.schedule(row.kind, row.due_date);
        let latest = -1;
        schedule.forEach((alert, index) => {
          if (row.levels.includes(alert.level)) latest = index;
        });
        if (latest < 0) continue;
        ids.push(row.id);
        next.push(schedule[latest + 1]?.at.toISOString() ?? null);
      }
      if (ids.length) {
        await this.dataSource.query(
          `UPDATE obligations o SET next_alert_at = n.next_at FROM unnest($1::uuid[], $2::timestamptz[]) AS n(id, next_at) WHERE o.id = n.id`,
          [ids, next],
        );
      }
      changed += ids.length;
    }
  }
}
