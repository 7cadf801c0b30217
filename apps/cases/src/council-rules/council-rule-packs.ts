import { Injectable } from '@nestjs/common';
import { Transaction } from '@plo/messaging';
import { RulePack, WorkingDayCalendar } from '@plo/timescales';
import { councilPack } from '../domain/council-rules';
import { CouncilRulesStore } from './council-rules.store';

interface CachedPack {
  version: number;
  pack: RulePack;
}

/**
 * Each council's rule pack, cached per council. Every lookup reads the council's rule-set version
 * (one primary-key read in the caller's transaction) and rebuilds the pack when it differs, so a
 * change made through any instance of the service is used by the next computation on every
 * instance: correctness over saving that read. About 150 councils in England keep the map small.
 */
@Injectable()
export class CouncilRulePacks {
  readonly national = RulePack.standard();
  private readonly cache = new Map<string, CachedPack>();

  constructor(private readonly store: CouncilRulesStore) {}

  /** The council's rules (its local overrides applied): every due date the service computes uses them. */
  async packFor(tx: Transaction, councilId: string): Promise<RulePack> {
    const { version, overrides } = await this.store.packSource(tx, councilId);
    const cached = this.cache.get(councilId);
    if (cached?.version === version) return cached.pack;
    const pack = councilPack(this.national, overrides);
    this.cache.set(councilId, { version, pack });
    return pack;
  }

  /** The working-day calendar is national: the same for every council. */
  get calendar(): WorkingDayCalendar {
    return this.national.calendar;
  }
}
