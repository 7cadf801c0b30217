import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { UnitOfWork } from '@plo/messaging';
import { Clock } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { LIVE_HEARING_STATUSES } from '../hearings/hearings.store';
import { PloEnvironment } from '../plo.environment';
import { lockProceedings, proceedingsDueForDriftSweep } from './proceedings.store';
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
    private readonly unitOfWork: UnitOfWork,
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
    const due = await this.unitOfWork.transaction((tx) => proceedingsDueForDriftSweep(tx, today, LIVE_HEARING_STATUSES));
    for (const row of due) {
      await this.unitOfWork.change({ subject: row.case_id, actor: SYSTEM }, async (change) => {
        const record = await lockProceedings(change, row.id);
        await evaluateDrift(change, record, record.stage, 'sweep');
      });
    }
  }
}
