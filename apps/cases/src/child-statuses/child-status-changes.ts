import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ChildStatus,
  ChildStatusEndedV1,
  ChildStatusSource,
  ChildStatusStartedV1,
  EventTypes,
  LegalStatusChangedV1,
  LookedAfterBasis,
} from '@plo/contracts';
import { Change } from '@plo/messaging';
import { CaseRow } from '../case/case.store';
import { REVIEW_SERIES_OF_CHILD_STATUS, summaryStatus } from '../domain/child-status-rules';
import { ReviewSeries } from '../reviews/review-series';
import { SupervisionSchedule } from '../supervision/supervision-schedule';
import { VisitSchedule } from '../visits/visit-schedule';
import { ChildStatusesStore, ChildStatusRow } from './child-statuses.store';

export interface StatusStart {
  status: ChildStatus;
  basis: LookedAfterBasis | null;
  startDate: string;
  source: ChildStatusSource;
}

/** What starting a status did: a new status, a looked-after child's new basis (the period runs on), or nothing. */
export type StartOutcome = { kind: 'started' | 'basis-changed'; statusId: string } | { kind: 'unchanged'; statusId: string };

/**
 * The one way a child's statuses change, whoever asks (a worker, the v1 endpoint, PLO's events): the
 * status rows and their events, the review series that belong to a status, and, once the change is
 * complete, each child's visit and the case's v1 summary brought in line. Callers validate first;
 * this applies.
 */
@Injectable()
export class ChildStatusChanges {
  constructor(
    private readonly statuses: ChildStatusesStore,
    private readonly visits: VisitSchedule,
    private readonly reviews: ReviewSeries,
    private readonly supervision: SupervisionSchedule,
  ) {}

  history(change: Change, childId: string): Promise<ChildStatusRow[]> {
    return this.statuses.history(change, childId);
  }

  /**
   * Starts a status. A looked-after child given another basis ends the current row and starts the
   * next the same day: the reg 33 series is not restarted. A status already held (same basis) is left
   * as it is. A child becoming looked after starts the child's looked-after review series (reg 33(1):
   * 20 working days).
   */
  async start(change: Change, row: CaseRow, childId: string, start: StatusStart): Promise<StartOutcome> {
    const held = (await this.statuses.history(change, childId)).find((s) => s.endDate === null && s.status === start.status);
    if (held && (start.status !== 'looked-after' || start.basis === null || held.basis === start.basis))
      return { kind: 'unchanged', statusId: held.id };
    if (held) await this.end(change, row, held, start.startDate, `basis changed to ${start.basis}`, { periodContinues: true });
    const statusId = randomUUID();
    await this.statuses.insert(change, { id: statusId, caseId: row.id, childId, ...start });
    const started: ChildStatusStartedV1 = {
      caseId: row.id,
      childId,
      statusId,
      status: start.status,
      ...(start.basis ? { basis: start.basis } : {}),
      startDate: start.startDate,
      source: start.source,
    };
    change.emit(EventTypes.childStatusStarted, started);
    if (held) return { kind: 'basis-changed', statusId };
    if (start.status === 'looked-after' && !row.closed_on && !(await this.reviews.isWaiting(change, row.id, 'lac-review', childId)))
      await this.reviews.schedule(change, row, 'lac-review', 1, start.startDate, childId);
    return { kind: 'started', statusId };
  }

  /** Ends a status and, unless the looked-after period continues under a new basis, the child's review series that belongs to it. */
  async end(
    change: Change,
    row: CaseRow,
    status: ChildStatusRow,
    endDate: string,
    reason: string,
    options: { periodContinues?: boolean } = {},
  ): Promise<void> {
    await this.statuses.end(change, status.id, endDate, reason);
    const ended: ChildStatusEndedV1 = {
      caseId: row.id,
      childId: status.childId,
      statusId: status.id,
      status: status.status,
      ...(status.basis ? { basis: status.basis } : {}),
      endDate,
      reason,
    };
    change.emit(EventTypes.childStatusEnded, ended);
    if (!options.periodContinues)
      for (const series of REVIEW_SERIES_OF_CHILD_STATUS[status.status] ?? [])
        await this.reviews.cancel(change, row.id, reason, series, status.childId);
  }

  /**
   * After the statuses of some children changed on `on`: each child's visit follows the child's
   * statuses, the case's supervision follows its children's, and the case's v1 summary (the most
   * intensive status any child holds) follows too, announced with the v1 event when it changes. A
   * closed case owes no visits.
   */
  async settle(change: Change, row: CaseRow, childIds: readonly string[], on: string, reason: string): Promise<void> {
    const summary = summaryStatus((await this.statuses.currentOfCase(change, row.id)).map((s) => s.status));
    if (summary && summary !== row.legal_status) {
      await this.statuses.setSummary(change, row.id, summary, on);
      const changed: LegalStatusChangedV1 = { caseId: row.id, previousStatus: row.legal_status, legalStatus: summary, startDate: on };
      change.emit(EventTypes.legalStatusChanged, changed);
    }
    if (!row.closed_on) for (const childId of childIds) await this.visits.reconcile(change, row, childId, reason);
    await this.supervision.reconcile(change, row, reason);
  }

  /** Legal may see the case from the first day any child had legal involvement. */
  legalInvolved(change: Change, caseId: string, since: string): Promise<void> {
    return this.statuses.legalInvolved(change, caseId, since);
  }
}
