import { ConflictException, Injectable } from '@nestjs/common';
import { Actor } from '@plo/contracts';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { assertVersion } from '../domain/concurrency';
import { CaseRow, CaseStore } from './case.store';

export interface WriteIntent {
  ifMatch: string | undefined;
  /** Edits of the case record must carry If-Match; appends (a visit, a child…) may omit it. */
  versionRequired: boolean;
  /** Closing is the one change of a closed case that answers "already closed" before a stale If-Match. */
  closing?: boolean;
}

/** A change to something under the case with its own version (a review, a plan): the case's If-Match is not asked for. */
export const UNDER_THE_CASE: WriteIntent = { ifMatch: undefined, versionRequired: false };

/**
 * Every change of an existing case: its row locked first, so concurrent changes of one case queue up;
 * the caller's If-Match checked against the version it read and a closed case refused; the version
 * bumped (so the ETag changes with every change, and the record the work reads back already carries
 * the new one); the events keyed by case id.
 */
@Injectable()
export class CaseChanges {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly cases: CaseStore,
  ) {}

  change<T>(caseId: string, actor: Actor, intent: WriteIntent, work: (change: Change, row: CaseRow) => Promise<T>): Promise<T> {
    return this.unitOfWork.change({ subject: caseId, actor }, async (change) => {
      const row = await this.cases.load(change, caseId, true);
      assertWritable(row, intent);
      await this.cases.bumpVersion(change, caseId);
      return work(change, row);
    });
  }

  /**
   * A change another service's event makes, in the inbox's transaction (it commits with the message's
   * claim): the case locked as above. There is no If-Match to check, and a closed case is not refused:
   * the owner's fact stands and the work decides what it still changes. The version goes up only when
   * the work says it changed something (`true`): a fact already known leaves the ETag as it was.
   */
  async within(tx: Transaction, caseId: string, actor: Actor, work: (change: Change, row: CaseRow) => Promise<boolean>): Promise<boolean> {
    return this.unitOfWork.within(tx, { subject: caseId, actor }, async (change) => {
      const row = await this.cases.load(change, caseId, true);
      const changed = await work(change, row);
      if (changed) await this.cases.bumpVersion(change, caseId);
      return changed;
    });
  }
}

function assertWritable(row: CaseRow, intent: WriteIntent): void {
  const what = `case ${row.id}`;
  if (intent.closing && row.closed_on) throw new ConflictException(`${what} is already closed (since ${row.closed_on})`);
  assertVersion({ what, currentVersion: row.version, ifMatch: intent.ifMatch, required: intent.versionRequired });
  if (row.closed_on) throw new ConflictException(`${what} is closed (since ${row.closed_on}); reopen it before changing it`);
}
