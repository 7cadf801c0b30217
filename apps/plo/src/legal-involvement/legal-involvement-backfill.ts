import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '@plo/messaging';
import { endLegalInvolvement, startLegalInvolvement } from './legal-involvement';
import { casesDueForInvolvementBackfill, involvementsDueForBackfill, markInvolvementBackfilled } from './legal-involvement.store';

const SYSTEM = { kind: 'system' as const, id: 'plo-legal-involvement-backfill' };

/**
 * Pre-proceedings and proceedings recorded before PLO announced legal involvement are announced at
 * start, through the outbox like any change: one change per case, which clears the case's marks, so
 * the work is done once. Announcing is itself idempotent per child and record, so instances starting
 * together, or a start interrupted half-way, announce nothing twice.
 */
@Injectable()
export class LegalInvolvementBackfill implements OnApplicationBootstrap {
  private readonly logger = new Logger(LegalInvolvementBackfill.name);

  constructor(private readonly unitOfWork: UnitOfWork) {}

  async onApplicationBootstrap(): Promise<void> {
    const cases = await this.unitOfWork.transaction((tx) => casesDueForInvolvementBackfill(tx));
    for (const caseId of cases) await this.backfill(caseId);
    if (cases.length) this.logger.log({ msg: 'legal involvement announced for records from before it was', cases: cases.length });
  }

  private async backfill(caseId: string): Promise<void> {
    await this.unitOfWork.change({ subject: caseId, actor: SYSTEM }, async (change) => {
      for (const row of await involvementsDueForBackfill(change, caseId)) {
        await startLegalInvolvement(change, {
          caseId,
          childId: row.child_id,
          involvement: row.involvement,
          involvementId: row.involvement_id,
          startDate: row.start_date,
        });
        if (row.end_date) await endLegalInvolvement(change, row.involvement_id, row.child_id, row.end_date, row.end_reason!);
      }
      await markInvolvementBackfilled(change, caseId);
    });
  }
}
