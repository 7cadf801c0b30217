/**
 * Every versioned event type, by name. A new event is added here and in its domain's file; a
 * breaking change is a new `.vN` type beside the old one, never an edit of it.
 */
export const EventTypes = {
  caseOpened: 'uk.gov.plo.cases.case-opened.v1',
  caseAllocated: 'uk.gov.plo.cases.case-allocated.v1',
  caseClosed: 'uk.gov.plo.cases.case-closed.v1',
  visitRecorded: 'uk.gov.plo.cases.visit-recorded.v1',
  obligationScheduled: 'uk.gov.plo.obligations.obligation-scheduled.v1',
  obligationSatisfied: 'uk.gov.plo.obligations.obligation-satisfied.v1',
  obligationCancelled: 'uk.gov.plo.obligations.obligation-cancelled.v1',
  proceedingsIssued: 'uk.gov.plo.proceedings.proceedings-issued.v1',
} as const;

