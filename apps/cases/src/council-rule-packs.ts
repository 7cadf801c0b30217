import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RulePack } from '@plo/timescales';
import { councilPack, RulePeriodSetting } from './domain/council-rules';

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

  async packFor(manager: EntityManager, councilId: string): Promise<RulePack> {
    // Version and overrides in one statement, so the pack always matches the version it is cached under.
    const rows: ({ version: number; rule_id: string | null } & RulePeriodSetting)[] = await manager.query(
      `SELECT s.version, o.rule_id, o."offset", o.unit, o.counting
         FROM council_rule_sets s LEFT JOIN council_rule_overrides o ON o.council_id = s.council_id
        WHERE s.council_id = $1`,
      [councilId],
    );
    const version = rows[0]?.version ?? 0;
    const cached = this.cache.get(councilId);
    if (cached?.version === version) return cached.pack;
    const overrides = rows.filter((row) => row.rule_id !== null).map((row) => ({ ...row, ruleId: row.rule_id! }));
    const pack = councilPack(this.national, overrides);
    this.cache.set(councilId, { version, pack });
    return pack;
  }
}
