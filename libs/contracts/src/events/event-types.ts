import { AlertEventTypes } from './alerts.events';
import { AssessmentEventTypes } from './assessments.events';
import { CaseEventTypes } from './cases.events';
import { ObligationEventTypes } from './obligations.events';
import { ProceedingsEventTypes } from './proceedings.events';

/**
 * Every versioned event type, by name. Each domain's file owns its own types; a breaking change is a
 * new `.vN` type beside the old one, never an edit of it.
 */
export const EventTypes = {
  ...CaseEventTypes,
  ...ObligationEventTypes,
  ...ProceedingsEventTypes,
  ...AlertEventTypes,
  ...AssessmentEventTypes,
} as const;
