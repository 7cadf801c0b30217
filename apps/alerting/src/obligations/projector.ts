import { Injectable } from '@nestjs/common';
import { EventEnvelope } from '@plo/contracts';
import type { Transaction } from '@plo/messaging';
import { AlertEffects } from '../alerts/alert-effects';
import { announceDue } from '../scheduling/scheduling.store';
import { keysOf } from './obligation-projection';
import { ProjectionStore } from './projection.store';

export interface ProjectOptions {
  /**
   * The rebuild replays old allocations: moving alerts through each of them would only add history.
   * It collects the cases here instead and moves their alerts once, to the final allocation.
   */
  deferAllocationMoves?: Set<string>;
}

/** Applies consumed events — a run of them live, thousands in the rebuild — to the projection and to alerts. */
@Injectable()
export class Projector {
  constructor(
    private readonly store: ProjectionStore,
    private readonly effects: AlertEffects,
  ) {}

  async apply(tx: Transaction, events: EventEnvelope[], options: ProjectOptions = {}): Promise<void> {
    const batch = await this.store.load(tx, keysOf(events));
    for (const event of events) batch.apply(event);
    await this.store.save(tx, batch);
    if (options.deferAllocationMoves) {
      for (const caseId of batch.reallocatedCases) options.deferAllocationMoves.add(caseId);
      batch.reallocatedCases.clear();
    }
    await this.effects.afterProjection(tx, batch);
    let earliest: Date | undefined;
    for (const id of batch.scheduled) {
      const at = batch.obligations.get(id)?.nextAlertAt;
      if (at && (!earliest || at < earliest)) earliest = at;
    }
    if (earliest) await announceDue(tx, earliest);
  }
}
