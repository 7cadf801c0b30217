import { EventTypes, LegalInvolvementEndedV1, LegalInvolvementStartedV1 } from '@plo/contracts';
import { Change } from '@plo/messaging';
import {
  InvolvementStart,
  issueNowInvolvementsOfCase,
  recordInvolvementEnd,
  recordInvolvementStart,
  runningInvolvementsOf,
} from './legal-involvement.store';

/**
 * PLO owns each child's legal involvement: cases keeps it among the child's statuses and alerting
 * lets legal see the case from it. Announced once per child and record, however often it is asked.
 */
export async function startLegalInvolvement(change: Change, start: InvolvementStart): Promise<void> {
  if (!(await recordInvolvementStart(change, start))) return;
  const started: LegalInvolvementStartedV1 = { ...start };
  change.emit(EventTypes.legalInvolvementStarted, started);
}

export async function endLegalInvolvement(
  change: Change,
  involvementId: string,
  childId: string,
  endDate: string,
  reason: string,
): Promise<void> {
  const ended = await recordInvolvementEnd(change, involvementId, childId, endDate, reason);
  if (!ended) return;
  const data: LegalInvolvementEndedV1 = {
    caseId: ended.case_id,
    childId,
    involvement: ended.involvement,
    involvementId,
    endDate: ended.end_date,
    reason,
  };
  change.emit(EventTypes.legalInvolvementEnded, data);
}

/** Ends every child's involvement in these (pre-)proceedings that is still running. */
export async function endLegalInvolvementOfAll(change: Change, involvementId: string, endDate: string, reason: string): Promise<void> {
  for (const childId of await runningInvolvementsOf(change, involvementId))
    await endLegalInvolvement(change, involvementId, childId, endDate, reason);
}

/** A gateway decision to issue now involves legal until the proceedings are issued. */
export async function endIssueNowInvolvements(change: Change, caseId: string, issuedOn: string): Promise<void> {
  for (const involvementId of await issueNowInvolvementsOfCase(change, caseId))
    await endLegalInvolvementOfAll(change, involvementId, issuedOn, 'pre-proceedings ended: proceedings issued');
}
