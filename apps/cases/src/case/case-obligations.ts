import { Injectable } from '@nestjs/common';
import { ObligationLedger, Responsible } from '@plo/obligations';
import { CaseRow } from './case.store';

/** The review, plan or referral an obligation belongs to. */
export const SUBJECT = 'subject_id';

/** The case's dated obligations, in the `obligations` table; those due the same day are listed in the order they were made. */
@Injectable()
export class CaseObligations extends ObligationLedger {
  constructor() {
    super({ table: 'obligations', referenceColumns: [SUBJECT], tieBreak: ['created_at'] });
  }
}

/** A case's obligations are answered for by its team and allocated worker. */
export function responsibleFor(row: CaseRow): Responsible {
  return { caseId: row.id, councilId: row.council_id, teamId: row.team_id, workerId: row.allocated_worker_id };
}
