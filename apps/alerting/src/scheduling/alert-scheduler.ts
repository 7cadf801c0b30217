import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, MetricsRegistry, runWithContext } from '@plo/platform';
import { addDays, londonDateOf } from '@plo/timescales';
import { randomUUID } from 'node:crypto';
import type { AlertingEnvironment } from '../alerting.environment';
import { ALERTING_ENV } from '../alerting.tokens';
import { AlertRow, alertColumns } from '../alerts/alert-row';
import { AlertWriter, DueSchedule } from '../alerts/alert-writer';
import { AlertPolicy } from '../domain/alert-policy';
import { dueAlerts, startOfLondonDay } from '../domain/alert-schedule';
import { escalates, LADDER, nextEscalationAt, recipientFor } from '../domain/escalation';
import { DigestPlanner } from '../delivery/digest-planner';
import { ScheduleListener } from './schedule-signal';

type TimedSchedule = DueSchedule & { dueInstant: Date | null };

function scheduleKey(kind: string, dueDate: string): string {
  return `${kind}|${dueDate}`;
}

type EscalatingAlert = AlertRow & { team_manager_id: string | null; service_manager_id: string | null };

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
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(ALERTING_ENV) private readonly env: AlertingEnvironment,
    private readonly policy: AlertPolicy,
    private readonly writer: AlertWriter,
    private readonly digests: DigestPlanner,
    private readonly listener: ScheduleListener,
    metrics: MetricsRegistry,
  ) {
    this.lateness = metrics.histogram('alert_raise_lateness_seconds', 'Time from the instant an alert fell due to its raising', [], [
      0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60,
    ]);
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
      const batch = await this.escalateDue(this.clock.now());
      escalated += batch;
      if (batch < this.env.ALERT_SCHEDULER_BATCH_SIZE) break;
    }
    let digests = 0;
    const now = this.clock.now();
    const today = londonDateOf(now);
    if (this.env.ALERT_DIGEST_ENABLED && this.lastDigestDate !== today) {
      digests = await this.dataSource.transaction((manager) => this.digests.planFor(manager, today, now));
      this.lastDigestDate = today;
    }
    return { raised, escalated, digests };
  }

  /** A storm is thousands of obligations of a few kinds and due dates: each schedule is worked out once. */
  private async schedulesDueBy(dueBy: Date): Promise<TimedSchedule[]> {
    const groups: { kind: string; due_date: string }[] = await this.dataSource.query(
      `SELECT kind, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM obligations
        WHERE status = 'open' AND next_alert_at <= $1 GROUP BY kind, due_date`,
      [dueBy.toISOString()],
    );
    const escalatesAt = nextEscalationAt(0, dueBy, this.policy.escalation, this.policy.calendar) ?? null;
    return groups.map(({ kind, due_date: dueDate }) => {
      const { raise, nextAt } = dueAlerts(this.policy.schedule(kind, dueDate), dueBy);
      return {
        kind,
        dueDate,
        raise: raise ? { level: raise.level, severity: raise.severity, escalatesAt: escalates(raise.level) ? escalatesAt : null } : null,
        nextAt: nextAt ?? null,
        dueInstant: raise?.at ?? null,
      };
    });
  }

  private async raiseDue(schedules: TimedSchedule[], dueBy: Date): Promise<{ claimed: number; scheduled: number; raised: number }> {
    return runWithContext({ correlationId: randomUUID() }, () =>
      this.dataSource.transaction(async (manager) => {
        const { claimed, scheduled, raised } = await this.writer.raiseDue(manager, schedules, dueBy, this.env.ALERT_SCHEDULER_BATCH_SIZE, this.clock.now());
        const raisedAt = this.clock.now().getTime();
        const dueInstants = new Map(schedules.map((s) => [scheduleKey(s.kind, s.dueDate), s.dueInstant]));
        for (const alert of raised) {
          this.raisedTotal.inc({ level: alert.level });
          const dueInstant = dueInstants.get(scheduleKey(alert.kind, alert.due_date));
          if (dueInstant) this.lateness.observe(Math.max(0, raisedAt - dueInstant.getTime()) / 1000);
        }
        return { claimed, scheduled, raised: raised.length };
      }),
    );
  }

  private async escalateDue(now: Date): Promise<number> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const due: EscalatingAlert[] = await manager.query(
        `SELECT ${alertColumns('a')}, c.team_manager_id, t.service_manager_id
           FROM alerts a
           LEFT JOIN case_directory c ON c.case_id = a.case_id
           LEFT JOIN team_directory t ON t.team_id = a.team_id
          WHERE a.state = 'open' AND a.escalates_at <= $1
          ORDER BY a.escalates_at
          LIMIT $2
            FOR UPDATE OF a SKIP LOCKED`,
        [now.toISOString(), this.env.ALERT_SCHEDULER_BATCH_SIZE],
      );
      const steps = due.map((alert) => {
        const step = alert.escalation_step + 1;
        const recipients = { workerId: alert.worker_id, teamManagerId: alert.team_manager_id, serviceManagerId: alert.service_manager_id };
        return {
          alert,
          step,
          role: LADDER[step],
          recipientId: recipientFor(step, recipients),
          nextAt: nextEscalationAt(step, alert.escalates_at!, this.policy.escalation, this.policy.calendar) ?? null,
        };
      });
      await this.writer.escalate(manager, steps, now);
      for (const step of steps) this.escalatedTotal.inc({ step: String(step.step) });
      return due.length;
    });
  }

  private async nextInstant(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT (SELECT min(next_alert_at) FROM obligations WHERE status = 'open' AND next_alert_at IS NOT NULL) AS obligation,
              (SELECT min(escalates_at) FROM alerts WHERE state = 'open' AND escalates_at IS NOT NULL) AS escalation`,
    );
    const tomorrow = startOfLondonDay(addDays(londonDateOf(this.clock.now()), 1)).getTime();
    const candidates = [row.obligation, row.escalation].filter(Boolean).map((value: Date) => new Date(value).getTime());
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
