import { HearingType } from '@plo/contracts';
import {
  addWeeks,
  checkExtension,
  cmhWindow,
  computeDeadline,
  Deadline,
  formatLongDate,
  LocalDate,
  parseLocalDate,
  RulePack,
} from '@plo/timescales';

/** Deadlines the law or HMCTS's standard directions count back from a hearing, by hearing type. */
const RULES_BEFORE_HEARING: Readonly<Partial<Record<HearingType, readonly string[]>>> = {
  'case-management': ['cmh-advocates-meeting', 'hearing-bundle', 'hearing-case-summary'],
  'further-case-management': ['hearing-bundle', 'hearing-case-summary'],
  'issue-resolution': ['irh-advocates-meeting', 'hearing-bundle', 'hearing-case-summary'],
  final: ['hearing-bundle', 'hearing-case-summary'],
};

/** Obligation kind (and rule) of the draft order owed after a hearing is held. */
export const DRAFT_ORDER_KIND = 'draft-order-after-hearing';

export function draftOrderDeadline(hearingDate: LocalDate, pack: RulePack): PlannedDeadline {
  return { kind: DRAFT_ORDER_KIND, deadline: computeDeadline(DRAFT_ORDER_KIND, hearingDate, pack) };
}

export interface PlannedDeadline {
  /** Obligation kind; with the hearing id it identifies the obligation, so a move keeps its id. */
  kind: string;
  deadline: Deadline;
}

export function deadlinesBeforeHearing(type: HearingType, hearingDate: LocalDate, pack: RulePack): PlannedDeadline[] {
  return (RULES_BEFORE_HEARING[type] ?? []).map((ruleId) => ({ kind: ruleId, deadline: computeDeadline(ruleId, hearingDate, pack) }));
}

/** The legal windows opened by issue (PD12A Stage 1 and 2): gatekeeping by Day 2, CMH on Days 12–18. */
export function deadlinesFromIssue(issuedOn: LocalDate, pack: RulePack): PlannedDeadline[] {
  const { earliest, latest } = cmhWindow(issuedOn, pack);
  return [
    { kind: 'gatekeeping', deadline: computeDeadline('pd12a-gatekeeping', issuedOn, pack) },
    {
      kind: 'case-management-hearing',
      deadline: {
        ...latest,
        explanation: `${latest.explanation}; not before ${formatLongDate(earliest.dueDate)} (${earliest.explanation})`,
      },
    },
  ];
}

export function furtherCmhDeadline(issuedOn: LocalDate, pack: RulePack): PlannedDeadline {
  return { kind: 'further-case-management-hearing', deadline: computeDeadline('pd12a-further-cmh-latest', issuedOn, pack) };
}

export interface ChildClockDates {
  completion: Deadline;
  hmctsDisplay: Deadline;
}

/** Statutory last day (issue + 181 days) and HMCTS's display date (submitted + 26 weeks). */
export function childClockDates(issuedOn: LocalDate, submittedOn: LocalDate, pack: RulePack): ChildClockDates {
  return {
    completion: computeDeadline('proceedings-26-week-limit', issuedOn, pack),
    hmctsDisplay: computeDeadline('proceedings-26-week-hmcts-date', submittedOn, pack),
  };
}

export type ExtensionRequestInput = { currentEndDate: LocalDate; grantedOn: LocalDate } & (
  { newEndDate: LocalDate; eightWeeks?: undefined } | { eightWeeks: true; newEndDate?: undefined }
);

export type ExtensionDecision =
  | { allowed: true; newEndDate: LocalDate; latestAllowedEndDate: LocalDate; explanation: string; deadline: Deadline }
  | { allowed: false; latestAllowedEndDate: LocalDate; message: string };

/**
 * s.32(8) decides whether the requested end is lawful. "8 weeks" is taken as the longest extension
 * s.32(8) allows (8 weeks after the later of the current end and the grant day).
 */
export function decideExtension(request: ExtensionRequestInput, pack: RulePack): ExtensionDecision {
  const check = checkExtension(
    { currentEndDate: request.currentEndDate, grantDate: request.grantedOn, requestedEndDate: request.newEndDate },
    pack,
  );
  if (!check.allowed) return { allowed: false, latestAllowedEndDate: check.latestAllowedEndDate, message: check.message };
  const newEndDate = request.newEndDate ?? check.latestAllowedEndDate;
  const explanation = `Extended (s.32(5)) on ${formatLongDate(request.grantedOn)} from ${formatLongDate(request.currentEndDate)} to ${formatLongDate(newEndDate)}: ${check.message}`;
  return {
    allowed: true,
    newEndDate,
    latestAllowedEndDate: check.latestAllowedEndDate,
    explanation,
    // The court sets the date (at most the s.32(8) limit), so the child's deadline is that date.
    deadline: { ...check.limit, dueDate: newEndDate, explanation },
  };
}

/**
 * The completion date HMCTS's service shows after an extension (fpl-ccd-configuration
 * CaseExtensionService.getExtensionDate): an explicit date as the court gave it; "8 weeks" counted
 * from the date of the hearing that approved the extension (or the approval date entered when no
 * listed hearing did), not from the date shown before, so it can differ from the s.32(8) limit.
 */
export function hmctsDisplayDateAfterExtension(approvedOn: LocalDate, request: { newEndDate?: LocalDate }): LocalDate {
  return request.newEndDate ?? addWeeks(approvedOn, 8);
}

export interface DriftInput {
  completionDate: LocalDate;
  /** London date of the listed final hearing, if one is listed. */
  finalHearingDate?: LocalDate;
  /** The day from which a missing final hearing is a warning (issue + the configured weeks). */
  noFinalHearingWarningOn: LocalDate;
  warningWeek: number;
  today: LocalDate;
}

export type DriftProjection = { reason: 'final-hearing-after-completion' | 'no-final-hearing-listed'; explanation: string } | null;

/** Whether, on the timetable as it stands, a child's proceedings will overrun their completion date. */
export function projectDrift(input: DriftInput): DriftProjection {
  const completion = formatLongDate(input.completionDate);
  if (input.finalHearingDate !== undefined) {
    if (parseLocalDate(input.finalHearingDate) <= input.completionDate) return null;
    return {
      reason: 'final-hearing-after-completion',
      explanation: `The final hearing is listed for ${formatLongDate(input.finalHearingDate)}, after the child's completion date ${completion}`,
    };
  }
  if (input.today < input.noFinalHearingWarningOn) return null;
  return {
    reason: 'no-final-hearing-listed',
    explanation: `No final hearing is listed by week ${input.warningWeek} of the proceedings (${formatLongDate(input.noFinalHearingWarningOn)}); the child's completion date is ${completion}`,
  };
}
