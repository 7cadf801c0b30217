import {
  ChildProceedingsConcludedV1,
  EXTENSION_REASONS,
  ExtensionGrantedV1,
  HearingDetails,
  HearingMovedV1,
  HearingType,
} from '@plo/contracts';

const HEARING_NAMES: Record<HearingType, string> = {
  'case-management': 'Case management hearing',
  'further-case-management': 'Further case management hearing',
  'issue-resolution': 'Issues resolution hearing',
  final: 'Final hearing',
  'fact-finding': 'Fact-finding hearing',
  'interim-care-order': 'Interim care order hearing',
  'emergency-protection-order': 'Emergency protection order hearing',
  other: 'Hearing',
};

const HEARING_STATES: Record<HearingDetails['status'], string> = {
  listed: 'listed',
  adjourned: 'adjourned',
  'adjourned-and-relisted': 'adjourned and relisted',
  vacated: 'vacated',
  'vacated-and-relisted': 'vacated and relisted',
  held: 'held',
};

const EXTENSION_REASON_TEXT: Record<(typeof EXTENSION_REASONS)[number], string> = {
  'timetable-for-proceedings': 'timetable for the proceedings',
  'timetable-for-child': 'timetable for the child',
  'delay-in-case-impact-on-child': "delay's impact on the child",
  'international-aspect': 'international aspect',
};

/** A hearing as it stands after the latest event about it: one line, dated on the hearing's day. */
export function hearingLine(hearing: HearingDetails | HearingMovedV1): string {
  const moved = 'previousHearingDate' in hearing ? ` (moved from ${hearing.previousHearingDate})` : '';
  const venue = hearing.venue ? ` at ${hearing.venue}` : '';
  const outcome = hearing.outcome ? `: ${hearing.outcome}` : '';
  return `${HEARING_NAMES[hearing.hearingType]} ${HEARING_STATES[hearing.status]}${venue}${moved}${outcome}`;
}

export function extensionLine(extension: ExtensionGrantedV1): string {
  return `Extension granted: 26 weeks extended from ${extension.previousEndDate} to ${extension.newEndDate} (${EXTENSION_REASON_TEXT[extension.reason]})`;
}

export function conclusionLine(concluded: ChildProceedingsConcludedV1): string {
  const outcome = concluded.outcome === 'final-order' ? 'final order' : 'withdrawn';
  const timescale = concluded.withinTimescale ? 'within' : 'after';
  return `Care proceedings concluded (${outcome}), ${timescale} the child's completion date ${concluded.completionDate}`;
}

/** The obligation kinds alerting names, in words; a kind added later reads as its words. */
const OBLIGATION_NAMES: Record<string, string> = {
  visit: 'Statutory visit',
  'cin-review': 'Child in need review',
  'cp-review': 'Child protection review conference',
  'lac-review': 'Looked-after review',
  icpc: 'Initial child protection conference',
  'plan-review': 'Plan review',
  'proceedings-completion': 'Care proceedings within 26 weeks',
};

/** A timescale alerting found missed: what was not done, by when, and the rule (alerting's own explanation). */
export function missedLine(kind: string, dueDate: string, explanation: string): string {
  const words = kind.replace(/-/g, ' ');
  const name = OBLIGATION_NAMES[kind] ?? words.charAt(0).toUpperCase() + words.slice(1);
  return `${name} not done by ${dueDate}: ${explanation}`;
}
