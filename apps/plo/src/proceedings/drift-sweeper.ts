import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { LIVE_HEARING_STATUSES, lockProceedings } from './proceedings.store';
import { PloEnvironment } from './plo.environment';
import { ProceedingsService } from './proceedings.service';
import { evaluateDrift } from './timetable';

const SYSTEM = { kind: 'system' as const, id: 'plo-drift-sweep' };

/**
 * "No final hearing listed by week N" becomes true with the passing of time, not with any change,
 * so a periodic sweep finds proceedings that reached that week without one (by the injected clock).
 */
@Injectable()
export class DriftSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DriftSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly proceedings: ProceedingsService,
    private readonly clock: Clock,
    private readonly env: PloEnvironment,
  ) {}

  onApplicationBootstrap() {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error) => this.logger.warn({ msg: 'drift sweep failed; will retry', error: (error as Error).message }))
        .finally(() => (this.running = undefined));
    }, this.env.PLO_DRIFT_SWEEP_INTERVAL_MS);
  }

  async onApplicationShutdown() {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<void> {
    const today = londonDateOf(this.clock.now());
    const due: { id: string; case_id: string }[] = await this.dataSource.query(
      `SELECT p.id, p.case_id FROM proceedings p
        WHERE p.concluded_on IS NULL AND p.no_final_hearing_warning_on <= $1
          AND NOT EXISTS (SELECT 1 FROM hearings h WHERE h.proceedings_id = p.id AND h.hearing_type = 'final' AND h.status = ANY($2))
          AND EXISTS (SELECT 1 FROM child_clocks c WHERE c.proceedings_id = p.id
                        AND NOT EXISTS (SELECT 1 FROM drift_projections d WHERE d.proceedings_id = p.id AND d.child_id = c.child_id))`,
      [today, LIVE_HEARING_STATUSES],
    );
    for (const row of due) {
      await this.proceedings.change(row.case_id, SYSTEM, async (change) => {
        const record = await lockProceedings(change.manager, row.id);
        await evaluateDrift(change, record, record.stage, 'sweep');
      });
    }
  }
}
