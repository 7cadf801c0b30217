import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, notBefore } from '@plo/platform';
import { londonDateOf, parseLocalDate } from '@plo/timescales';
import { computePloKpis } from '../domain/plo-kpis';
import { PloRules } from '../rules/plo-rules';
import { concludedCases, concludedChildren, endedPreProceedings, openChildren } from './kpis.store';

@Injectable()
export class PloKpisService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly rules: PloRules,
    private readonly clock: Clock,
  ) {}

  /**
   * The PLO's figures for a council (or one team) over a reporting period. The limits measured are
   * national (statute and guidance), which no council's rules change, so the national pack judges them.
   */
  async report(scope: { councilId: string; teamId: string | null }, from: string, reportingDate?: string) {
    const to = reportingDate ?? londonDateOf(this.clock.now());
    assertNoFieldProblems([notBefore('to', to, from, 'from')]);
    const period = { ...scope, from, to };
    return this.unitOfWork.transaction(async (tx) => {
      const report = computePloKpis(
        {
          asOf: parseLocalDate(to),
          concludedChildren: await concludedChildren(tx, period),
          concludedCases: await concludedCases(tx, period),
          endedPreProceedings: await endedPreProceedings(tx, period),
          openChildren: await openChildren(tx, period),
        },
        this.rules.pack,
      );
      return { ...period, ...report };
    });
  }
}
