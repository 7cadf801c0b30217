import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork } from '@plo/messaging';
import { Clock, MetricsRegistry, runWithContext } from '@plo/platform';
import { addDays, londonDateOf } from '@plo/timescales';
import { randomUUID } from 'node:crypto';
import type { AlertingEnvironment } from '../alerting.environment';
import { ALERTING_ENV } from '../alerting.tokens';
import { AlertWriter, SYSTEM_CHANGE } from '../alerts/alert-writer';
import { AlertsStore, DueSchedule } from '../alerts/alerts.store';
import { AlertPolicy } from '../domain/alert-policy';
import { dueAlerts, startOfLondonDay } from '../domain/alert-schedule';
import { escalates, firstStep, LADDER, nextEscalationAt, recipientFor } from '../domain/escalation';
import { DigestPlanner } from '../delivery/digest-planner';
import { ScheduleListener } from './schedule-signal';
import { SchedulingStore } from './scheduling.store';

type TimedSchedule = DueSchedule & { dueInstant: Date | null };

function scheduleKey(kind: string, dueDate: string, dueAt: string | null): string {
  return `${kind}|${dueDate}|${dueAt}`;
}

/** How often a sleeping scheduler looks at the (possibly test-adjusted) clock; no database work. */
const CLOCK_TICK_MS = 100;

/**
 * Raises alerts when they fall due, escalates unacknowledged ones and sends the daily digest.
 *
 * Obligations stay in Postgres: each wake-up claims due rows through the `next_alert_at` index in
 * batches (FOR UPDATE SKIP LOCKED, so several instances share a storm without waiting on each
 * other), and memory holds one batch at most. Between wake-ups it sleeps until the next due instant,
 * which it learns from the database and from commit-time notifications of new obligations.
 */
@Injectable()
export class AlertScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertScheduler.name);
  private running = false;
  private loop?: Promise<void>;
  private target = Number.POSITIVE_INFINITY;
  private lookAgain = false;
  private lastDigestDate?: string;
  private readonly lateness;
  private readonly raisedTotal;
  private readonly escalatedTotal;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: SchedulingStore,
    private readonly alerts: AlertsStore,
    private readonly clock: Clock,
    @Inject(ALERTING_ENV) private readonly env: AlertingEnvironment,
    private readonly policy: AlertPolicy,
    private readonly writer: AlertWriter,
    private readonly digests: DigestPlanner,
    private readonly listener: ScheduleListener,
    metrics: MetricsRegistry,
  ) {
    this.lateness = metrics.histogram(
      'alert_raise_lateness_seconds',
      'Time from the instant an alert fell due to its raising',
      [],
      [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    );
    this.raisedTotal = metrics.counter('alerts_raised_total', 'Alerts raised by the scheduler', ['level']);
    this.escalatedTotal = metrics.counter('alerts_escalated_total', 'Alerts moved up the escalation ladder', ['step']);
  }

  onApplicationBootstrap() {
    if (!this.env.ALERT_SCHEDULER_ENABLED) {
      this.logger.warn('alert scheduler disabled (ALERT_SCHEDULER_ENABLED=false): no alerts will be raised by this process');
      return;
    }
    this.running = true;
    void this.listener.listen(
      (instant) => this.dueAt(instant),
      () => (this.lookAgain = true),
    );
    this.loop = this.run();
  }

  async onApplicationShutdown() {
    this.running = false;
    await this.loop;
  }

  /** Something falls due at `instant`: wake then (or now) instead of at the previously planned time. */
  dueAt(instant: Date) {
    this.target = Math.min(this.target, instant.getTime());
  }

  /** One pass: everything due by now is raised, escalated and digested. Returns what it did. */
  async runOnce(): Promise<{ raised: number; escalated: number; digests: number }> {
    // The schedules are worked out for what is due at the start of the pass; anything falling due
    // while it drains is left to the next pass, which starts at once. Two claimers overlap one
    // batch's database work with the next one's; SKIP LOCKED keeps them apart.
    const dueBy = this.clock.now();
    const schedules = await this.schedulesDueBy(dueBy);
    let raised = 0;
    const drain = async () => {
      for (;;) {
        const batch = await this.raiseDue(schedules, dueBy);
        raised += batch.raised;
        // A row rescheduled since the pass began has no schedule here: it is left to the next pass,
        // and a batch of nothing else ends this one.
        if (batch.claimed < this.env.ALERT_SCHEDULER_BATCH_SIZE || batch.scheduled === 0) return;
      }
    };
    if (schedules.length) await Promise.all([drain(), drain()]);
    let escalated = 0;
    for (;;) {
      const batch = await this.escalateDue();
      escalated += batch;
      if (batch < this.env.ALERT_SCHEDULER_BATCH_SIZE) break;
    }
    let digests = 0;
    // The day's digest belongs to the pass that raised that day's alerts: a pass begun before midnight
    // and ending after it raised nothing of the new day, and must not take the new day's digest
    // (it would go without those alerts, or to nobody, and the day would count as done).
    const today = londonDateOf(dueBy);
    if (this.env.ALERT_DIGEST_ENABLED && this.lastDigestDate !== today) {
      digests = await this.unitOfWork.transaction((tx) => this.digests.planFor(tx, today, this.clock.now()));
      this.lastDigestDate = today;
    }
    return { raised, escalated, digests };
  }

  /** A storm is thousands of obligations of a few kinds and due dates: each schedule is worked out once. */
  private async schedulesDueBy(dueBy: Date): Promise<TimedSchedule[]> {
    const groups = await this.unitOfWork.transaction((tx) => this.store.dueGroups(tx, dueBy));
    return groups.map(({ kind, due_date: dueDate, due_at }) => {
      const dueAt = due_at ? new Date(due_at).toISOString() : null;
      const { raise, nextAt } = dueAlerts(this.policy.schedule(kind, dueDate, dueAt), dueBy);
      const step = raise ? firstStep(kind, raise.level) : 0;
      const escalatesAt = nextEscalationAt(step, dueBy, this.policy.escalation, this.policy.calendar) ?? null;
      return {
        kind,
        dueDate,
        dueAt,
        raise: raise
          ? {
              level: raise.level,
              severity: raise.severity,
              step,
              role: LADDER[step],
              escalatesAt: escalates(raise.level) ? escalatesAt : null,
            }
          : null,
        nextAt: nextAt ?? null,
        dueInstant: raise?.at ?? null,
      };
    });
  }

  private async raiseDue(schedules: TimedSchedule[], dueBy: Date): Promise<{ claimed: number; scheduled: number; raised: number }> {
    return runWithContext({ correlationId: randomUUID() }, () =>
      this.unitOfWork.transaction(async (tx) => {
        const { claimed, scheduled, raised } = await this.writer.raiseDue(tx, schedules, dueBy, this.env.ALERT_SCHEDULER_BATCH_SIZE);
        const raisedAt = this.clock.now().getTime();
        const dueInstants = new Map(schedules.map((s) => [scheduleKey(s.kind, s.dueDate, s.dueAt), s.dueInstant]));
        for (const { alert, dueAt } of raised) {
          this.raisedTotal.inc({ level: alert.level });
          const dueInstant = dueInstants.get(scheduleKey(alert.kind, alert.due_date, dueAt));
          if (dueInstant) this.lateness.observe(Math.max(0, raisedAt - dueInstant.getTime()) / 1000);
        }
        return { claimed, scheduled, raised: raised.length };
      }),
    );
  }

  /** Escalates what is due by the change's instant. */
  private async escalateDue(): Promise<number> {
    return this.unitOfWork.change(SYSTEM_CHANGE, async (change) => {
      const due = await this.alerts.claimDueEscalations(change, change.now, this.env.ALERT_SCHEDULER_BATCH_SIZE);
      const steps = due.map((alert) => {
        const step = alert.escalation_step + 1;
        const recipients = {
          workerId: alert.c_worker_id,
          teamManagerId: alert.team_manager_id,
          serviceManagerId: alert.service_manager_id,
        };
        return {
          alert,
          step,
          role: LADDER[step],
          recipientId: recipientFor(step, recipients),
          nextAt: nextEscalationAt(step, alert.escalates_at!, this.policy.escalation, this.policy.calendar) ?? null,
        };
      });
      await this.writer.escalate(change, steps);
      for (const step of steps) this.escalatedTotal.inc({ step: String(step.step) });
      return due.length;
    });
  }

  private async nextInstant(): Promise<number> {
    const row = await this.unitOfWork.transaction((tx) => this.store.nextDue(tx));
    const tomorrow = startOfLondonDay(addDays(londonDateOf(this.clock.now()), 1)).getTime();
    const candidates = [row.obligation, row.escalation]
      .filter((value): value is Date => Boolean(value))
      .map((value) => new Date(value).getTime());
    return Math.min(tomorrow, ...candidates);
  }

  private async run() {
    let failures = 0;
    while (this.running) {
      try {
        this.lookAgain = false;
        this.target = Number.POSITIVE_INFINITY;
        await this.runOnce();
        // Notifications that arrive from here on lower the target; the database supplies the rest.
        const next = await this.nextInstant();
        this.target = Math.min(this.target, next);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.logger.warn({ msg: 'alert scheduler pass failed; will retry', error: (error as Error).message, failures });
        this.target = this.clock.now().getTime() + Math.min(200 * 2 ** failures, 5000);
      }
      await this.sleepUntilDue();
    }
  }

  private async sleepUntilDue() {
    const resyncAt = Date.now() + this.env.ALERT_SCHEDULER_RESYNC_MS;
    while (this.running && !this.lookAgain && this.clock.now().getTime() < this.target && Date.now() < resyncAt) {
      await new Promise((resolve) => setTimeout(resolve, CLOCK_TICK_MS));
    }
  }
}
