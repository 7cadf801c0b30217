import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@plo/messaging';
import type { Principal } from '@plo/platform';
import { caseVisibleTo, chronologyRows } from './chronology.store';
import { PLO_CHRONOLOGY_EVENTS, PloChronologyEntryView } from './chronology.views';

@Injectable()
export class ChronologyService {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /** Oldest first (on one day, in the order such things follow one another); a case the caller may not see (or the service has not heard of) has none. */
  async ofCase(caseId: string, principal: Principal): Promise<PloChronologyEntryView[]> {
    const rows = await this.unitOfWork.transaction(async (tx) =>
      (await caseVisibleTo(tx, caseId, principal)) ? chronologyRows(tx, caseId) : [],
    );
    return rows
      .map((row): PloChronologyEntryView => ({
        date: row.date,
        event: row.event,
        detail: row.detail ?? null,
        reason: row.reason ?? null,
        childId: row.childId ?? null,
        preProceedingsId: row.preProceedingsId ?? null,
        proceedingsId: row.proceedingsId ?? null,
        hearingId: row.hearingId ?? null,
        hearingType: row.hearingType ?? null,
        fromDate: row.fromDate ?? null,
        toDate: row.toDate ?? null,
        recordedAt: row.recordedAt ? row.recordedAt.toISOString() : null,
      }))
      .sort(
        (a, b) =>
          a.date.localeCompare(b.date) ||
          PLO_CHRONOLOGY_EVENTS.indexOf(a.event) - PLO_CHRONOLOGY_EVENTS.indexOf(b.event) ||
          (a.recordedAt ?? '').localeCompare(b.recordedAt ?? ''),
      );
  }
}
