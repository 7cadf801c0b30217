import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { deadLetterTopic, EventEnvelope, Topics, Topology } from '@plo/contracts';
import {
  consumerGroupMembers,
  InboxContext,
  InboxHandler,
  InboxProcessor,
  kafkaSettings,
  OutboxWriter,
  replayTopics,
  UnitOfWork,
} from '@plo/messaging';
import { Clock } from '@plo/platform';
import type { AlertingEnvironment } from '../alerting.environment';
import { alertPolicyOf } from '../alerting-settings.module';
import { AlertEffects } from '../alerts/alert-effects';
import { AlertWriter, SYSTEM_CHANGE } from '../alerts/alert-writer';
import { AlertsStore } from '../alerts/alerts.store';
import { DeliveryPlanner } from '../delivery/delivery-planner';
import { DeliveryStore } from '../delivery/delivery.store';
import { AlertPolicy } from '../domain/alert-policy';
import { PROJECTED_EVENT_TYPES } from '../obligations/obligations.handlers';
import { ProjectionStore } from '../obligations/projection.store';
import { Projector } from '../obligations/projector';
import { RebuildStore } from './rebuild.store';

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
  private readonly policy: AlertPolicy;
  private readonly outbox: OutboxWriter;
  private readonly unitOfWork: UnitOfWork;
  private readonly store = new RebuildStore();

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: AlertingEnvironment,
    private readonly batchSize: number,
  ) {
    this.policy = alertPolicyOf(env);
    this.outbox = new OutboxWriter(env.KAFKA_NAMESPACE);
    this.unitOfWork = new UnitOfWork(dataSource, this.outbox, new Clock(), {
      source: Topology.alerting.source,
      defaultTopic: Topology.alerting.produces[0],
    });
    const alerts = new AlertsStore();
    const writer = new AlertWriter(alerts, this.unitOfWork, new DeliveryPlanner(env, new DeliveryStore()));
    this.effects = new AlertEffects(alerts, writer, this.policy, this.unitOfWork);
    this.projector = new Projector(new ProjectionStore(this.policy), this.effects);
  }

  async run(): Promise<RebuildSummary> {
    await this.refuseWhileServiceRuns();
    const topics = [Topics.caseEvents, Topics.proceedingsEvents];
    const movedCases = new Set<string>();
    const processor = this.inboxFor(movedCases);
    let started = process.hrtime.bigint();
    let current = '';
    let count = 0;
    let lastReport = Date.now();
    let nextAnalyseAt = 20_000;
    // Cases first: proceedings events refer to cases (and PLO's obligations to their children).
    const counts = await replayTopics(
      kafkaSettings(this.env, 'alerting-rebuild'),
      topics.map((topic) => this.env.KAFKA_NAMESPACE + topic),
      this.batchSize,
      async ({ topic, partition, messages, heartbeat }) => {
        if (topic !== current) {
          current = topic;
          count = 0;
          nextAnalyseAt = 20_000;
        }
        await processor.processChunk(topic, partition, messages, heartbeat);
        count += messages.length;
        // The tables grow from empty: fresh statistics keep the planner on the indexes. Plans only
        // change when a table grows several-fold, so statistics are refreshed at each fivefold growth.
        if (count >= nextAnalyseAt) {
          nextAnalyseAt = count * 5;
          await this.unitOfWork.transaction((tx) => this.store.analyse(tx));
        }
        if (Date.now() - lastReport > 5000) {
          lastReport = Date.now();
          this.logger.log({ msg: 'rebuild progress', topic, events: count });
        }
      },
      {
        groupIdPrefix: `${this.env.KAFKA_NAMESPACE}${CONSUMER}-rebuild-${process.pid}`,
        beforeReading: async () => {
          await this.truncate();
          started = process.hrtime.bigint();
        },
      },
    );
    const byTopic = Object.fromEntries(topics.map((topic) => [topic, counts[this.env.KAFKA_NAMESPACE + topic]]));
    await this.moveAlerts([...movedCases]);
    const obligationsRescheduled = await this.resumeSchedules();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const events = Object.values(byTopic).reduce((sum, n) => sum + n, 0);
    return {
      events,
      seconds,
      eventsPerSecond: Math.round(events / seconds),
      byTopic,
      casesWithAlertsMoved: movedCases.size,
      obligationsRescheduled,
    };
  }

  /** The live inbox's processing (claims, dead letters) around the projector, with allocation moves deferred to the end. */
  private inboxFor(movedCases: Set<string>): InboxProcessor {
    const handler: InboxHandler = {
      batchKey: 'rebuild',
      handle: (events: EventEnvelope[], context: InboxContext) =>
        this.projector.apply(context.transaction, events, { deferAllocationMoves: movedCases }),
    };
    const handled = new Set<string>(PROJECTED_EVENT_TYPES);
    return new InboxProcessor(
      this.dataSource,
      this.outbox,
      {
        consumerName: CONSUMER,
        deadLetterTopic: this.env.KAFKA_NAMESPACE + deadLetterTopic(CONSUMER),
        maxAttempts: this.env.CONSUMER_MAX_ATTEMPTS,
        retryBackoffMs: this.env.CONSUMER_RETRY_BACKOFF_MS,
      },
      (type) => (handled.has(type) ? handler : undefined),
      { handled: () => undefined },
    );
  }

  /** Two writers would interleave: the live consumer must not be running. */
  private async refuseWhileServiceRuns() {
    const members = await consumerGroupMembers(kafkaSettings(this.env, 'alerting-rebuild'), this.env.KAFKA_NAMESPACE + CONSUMER);
    if (members > 0)
      throw new Error(`the alerting service is consuming (${members} member(s) in its consumer group): stop every instance first`);
  }

  private async truncate() {
    await this.unitOfWork.transaction((tx) => this.store.clear(tx, CONSUMER));
    await this.unitOfWork.transaction((tx) => this.store.analyse(tx));
  }

  /** Alerts of re-allocated cases (or with a new team manager) go to the case's final people, once. */
  private async moveAlerts(caseIds: string[]) {
    for (let start = 0; start < caseIds.length; start += 1000) {
      const chunk = caseIds.slice(start, start + 1000);
      await this.unitOfWork.change(SYSTEM_CHANGE, (change) => this.effects.moveWithAllocation(change, chunk));
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
      const rows = await this.unitOfWork.transaction((tx) => this.store.openObligationsWithAlerts(tx, after));
      if (!rows.length) return changed;
      after = rows[rows.length - 1].id;
      const ids: string[] = [];
      const next: (string | null)[] = [];
      for (const row of rows) {
        const schedule = this.policy.schedule(row.kind, row.due_date, row.due_at ? new Date(row.due_at).toISOString() : null);
        let latest = -1;
        schedule.forEach((alert, index) => {
          if (row.levels.includes(alert.level)) latest = index;
        });
        if (latest < 0) continue;
        ids.push(row.id);
        next.push(schedule[latest + 1]?.at.toISOString() ?? null);
      }
      if (ids.length) {
        await this.unitOfWork.transaction((tx) => this.store.setNextAlerts(tx, ids, next));
      }
      changed += ids.length;
    }
  }
}
