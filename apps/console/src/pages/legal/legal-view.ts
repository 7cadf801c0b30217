import { daysBetween, type LocalDate, overdueAt, parseLocalDate } from '@plo/timescales';
import { formatDate } from '../../rendering';

/**
 * Legal staff's page, as plain data: each child's clock, each set of proceedings' next hearing and
 * outstanding directions, most urgent first. Every legal date (limits, extensions, due dates and
 * times, projected drift) is the PLO service's; this only counts days between them and today.
 */

export interface ExtensionInput {
  grantedOn: string;
  previousEndDate: string;
  newEndDate: string;
}

export interface ChildInput {
  childId: string;
  issuedOn: string;
  completionDate: string;
  originalCompletionDate: string;
  status: string;
  concludedOn: string | null;
  extensions: ExtensionInput[];
}

export interface HearingInput {
  id: string;
  hearingType: string;
  startsAt: string;
  hearingDate: string;
  listingStatus: string;
  status: string;
  venue: string | null;
  /** The day it was last moved from, when it was moved while listed. */
  movedFrom?: string | null;
}

export interface ObligationInput {
  id: string;
  kind: string;
  title: string;
  hearingId: string | null;
  dueDate: string;
  dueAt: string | null;
  status: string;
}

export interface DriftInput {
  childId: string;
  reason: string;
  finalHearingDate: string | null;
}

export interface ProceedingsInput {
  id: string;
  caseId: string;
  court: string;
  courtCaseNumber: string;
  stage: string;
  children: ChildInput[];
  hearings: HearingInput[];
  obligations: ObligationInput[];
  projectedDrift: DriftInput[];
}

/** A GOV.UK tag: its words say what it means; the colour only repeats them. */
export interface Tag {
  text: string;
  classes: string;
}

export interface ExtensionRow {
  length: string;
  grantedOn: string;
  previousEndDate: string;
  newEndDate: string;
}

export interface ChildRow {
  proceedingsId: string;
  caseId: string;
  courtCaseNumber: string;
  childName: string;
  issuedOn: string;
  /** Whole weeks since the child's issue day (day 1), to today or to the day their proceedings ended. */
  weeksElapsed: number;
  extensions: ExtensionRow[];
  /** The last day of the child's 26 weeks, with every extension. */
  limitDate: string;
  /** Days from today to the limit: negative once it has passed; null once the child's proceedings ended. */
  daysLeft: number | null;
  /** How the limit stands today, in words: 12 days left, ends today, 5 days past. */
  limitNote: string;
  /** Still in proceedings after the 26 weeks from their issue day (extended or not). */
  pastTwentySixWeeks: boolean;
  tags: Tag[];
  /** Why the child is projected to overrun, in words. */
  drift: string | null;
}

export interface DirectionRow {
  title: string;
  /** The hearing it is due before, when it is: "Final hearing on 2 Jun 2025". */
  hearing: string | null;
  dueDate: string;
  /** The instant it falls due when its rule sets a time of day; otherwise due by the end of dueDate. */
  dueAt: string | null;
  overdue: boolean;
}

export interface NextHearing {
  type: string;
  startsAt: string;
  venue: string | null;
  listing: string;
  state: Tag;
}

export interface ProceedingsRow {
  id: string;
  caseId: string;
  courtCaseNumber: string;
  court: string;
  stage: string;
  nextHearing: NextHearing | null;
  directions: DirectionRow[];
}

export interface LegalPage {
  children: ChildRow[];
  proceedings: ProceedingsRow[];
  pastTwentySixWeeks: number;
  projectedToDrift: number;
}

const HEARING_TYPES: Record<string, string> = {
  'case-management': 'Case management hearing',
  'further-case-management': 'Further case management hearing',
  'issue-resolution': 'Issues resolution hearing',
  final: 'Final hearing',
  'fact-finding': 'Fact-finding hearing',
  'interim-care-order': 'Interim care order hearing',
  'emergency-protection-order': 'Emergency protection order hearing',
  other: 'Hearing',
};

const HEARING_STATES: Record<string, Tag> = {
  listed: { text: 'Listed', classes: 'govuk-tag--green' },
  'vacated-and-relisted': { text: 'Moved (vacated and re-listed)', classes: 'govuk-tag--yellow' },
  'adjourned-and-relisted': { text: 'Moved (adjourned and re-listed)', classes: 'govuk-tag--yellow' },
  vacated: { text: 'Vacated', classes: 'govuk-tag--red' },
  adjourned: { text: 'Adjourned', classes: 'govuk-tag--orange' },
};

/** Hearings that will still take place (a moved one is re-listed). */
const LIVE_HEARINGS = new Set(['listed', 'vacated-and-relisted', 'adjourned-and-relisted']);

/** A span of days as people say it: 8 weeks, 5 weeks and 3 days, 4 days. */
export function lengthOf(span: number): string {
  const weeks = Math.floor(span / 7);
  const rest = span % 7;
  const parts = [weeks ? `${weeks} ${weeks === 1 ? 'week' : 'weeks'}` : '', rest ? days(rest) : ''];
  return parts.filter(Boolean).join(' and ') || days(0);
}

function days(count: number): string {
  return `${count} ${count === 1 ? 'day' : 'days'}`;
}

function limitNote(daysLeft: number | null): string {
  if (daysLeft === null) return 'proceedings ended';
  if (daysLeft === 0) return 'ends today';
  return daysLeft > 0 ? `${days(daysLeft)} left` : `${days(-daysLeft)} past`;
}

export function childRow(proceedings: ProceedingsInput, child: ChildInput, childName: string, today: LocalDate): ChildRow {
  const concluded = child.status === 'concluded';
  const until = concluded && child.concludedOn ? parseLocalDate(child.concludedOn) : today;
  const issuedOn = parseLocalDate(child.issuedOn);
  const limitDate = parseLocalDate(child.completionDate);
  const extended = child.extensions.length > 0;
  const daysLeft = concluded ? null : daysBetween(today, limitDate);
  const pastTwentySixWeeks = !concluded && today > parseLocalDate(child.originalCompletionDate);
  const drift = concluded ? undefined : proceedings.projectedDrift.find((projection) => projection.childId === child.childId);
  const tags: Tag[] = [];
  if (concluded) tags.push({ text: 'Concluded', classes: 'govuk-tag--grey' });
  else if (today > limitDate) tags.push({ text: extended ? 'Past extended limit' : 'Past 26 weeks', classes: 'govuk-tag--red' });
  else if (pastTwentySixWeeks) tags.push({ text: 'Past 26 weeks, extended', classes: 'govuk-tag--orange' });
  if (drift) tags.push({ text: 'Projected drift', classes: 'govuk-tag--purple' });
  return {
    proceedingsId: proceedings.id,
    caseId: proceedings.caseId,
    courtCaseNumber: proceedings.courtCaseNumber,
    childName,
    issuedOn: child.issuedOn,
    weeksElapsed: Math.floor(Math.max(0, daysBetween(issuedOn, until)) / 7),
    extensions: child.extensions.map((extension) => ({
      length: lengthOf(daysBetween(parseLocalDate(extension.previousEndDate), parseLocalDate(extension.newEndDate))),
      grantedOn: extension.grantedOn,
      previousEndDate: extension.previousEndDate,
      newEndDate: extension.newEndDate,
    })),
    limitDate: child.completionDate,
    daysLeft,
    limitNote: limitNote(daysLeft),
    pastTwentySixWeeks,
    tags,
    drift: drift ? driftReason(drift) : null,
  };
}

function driftReason(drift: DriftInput): string {
  if (drift.reason === 'no-final-hearing-listed') return 'No final hearing is listed';
  return `The final hearing${drift.finalHearingDate ? ` on ${formatDate(drift.finalHearingDate)}` : ''} is after the limit`;
}

/**
 * The hearing that comes next: the first one still to take place from today; when none is, the first
 * vacated or adjourned one from today, so that a hearing lost from the timetable shows.
 */
export function nextHearing(hearings: HearingInput[], today: LocalDate): NextHearing | null {
  const upcoming = hearings.filter((hearing) => hearing.hearingDate >= today && hearing.status !== 'held');
  upcoming.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const next = upcoming.find((hearing) => LIVE_HEARINGS.has(hearing.status)) ?? upcoming[0];
  if (!next) return null;
  return {
    type: HEARING_TYPES[next.hearingType] ?? next.hearingType,
    startsAt: next.startsAt,
    venue: next.venue,
    listing: next.listingStatus,
    state:
      next.status === 'listed' && next.movedFrom
        ? { text: `Moved from ${formatDate(next.movedFrom)}`, classes: 'govuk-tag--yellow' }
        : (HEARING_STATES[next.status] ?? { text: next.status, classes: 'govuk-tag--grey' }),
  };
}

/** The instant an obligation falls due: its time of day, or else the end of its due day in London. */
function dueInstantOf(obligation: ObligationInput): number {
  return obligation.dueAt ? Date.parse(obligation.dueAt) : overdueAt(parseLocalDate(obligation.dueDate)).getTime();
}

/** Open directions and stage deadlines, soonest first; a child's completion date is their clock, shown apart. */
export function outstandingDirections(obligations: ObligationInput[], hearings: HearingInput[], now: Date): DirectionRow[] {
  const hearingsById = new Map(hearings.map((hearing) => [hearing.id, hearing]));
  const before = (hearingId: string | null) => {
    const hearing = hearingId ? hearingsById.get(hearingId) : undefined;
    return hearing ? `${HEARING_TYPES[hearing.hearingType] ?? hearing.hearingType} on ${formatDate(hearing.hearingDate)}` : null;
  };
  return obligations
    .filter((obligation) => obligation.status === 'open' && obligation.kind !== 'proceedings-completion')
    .map((obligation) => ({ obligation, due: dueInstantOf(obligation) }))
    .sort((a, b) => a.due - b.due)
    .map(({ obligation, due }) => ({
      title: obligation.title,
      hearing: before(obligation.hearingId),
      dueDate: obligation.dueDate,
      dueAt: obligation.dueAt,
      overdue: now.getTime() >= due,
    }));
}

/** Open children first, the furthest past or nearest their limit first; a projected drift breaks a tie. */
function byUrgency(a: ChildRow, b: ChildRow): number {
  if ((a.daysLeft === null) !== (b.daysLeft === null)) return a.daysLeft === null ? 1 : -1;
  const days = (a.daysLeft ?? 0) - (b.daysLeft ?? 0);
  if (days) return days;
  if (!a.drift !== !b.drift) return a.drift ? -1 : 1;
  return a.courtCaseNumber.localeCompare(b.courtCaseNumber) || a.childName.localeCompare(b.childName);
}

/**
 * The whole page. `names` gives each child's name by id; a child the cases service has not yet shown
 * this person is "Child 1", "Child 2"… in the proceedings' own order.
 */
export function legalPage(all: ProceedingsInput[], names: ReadonlyMap<string, string>, now: Date, today: LocalDate): LegalPage {
  const children = all
    .flatMap((proceedings) =>
      proceedings.children.map((child, index) => childRow(proceedings, child, names.get(child.childId) ?? `Child ${index + 1}`, today)),
    )
    .sort(byUrgency);
  const order = [...new Set(children.map((child) => child.proceedingsId))];
  const proceedings = [...all]
    .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id))
    .map((p) => ({
      id: p.id,
      caseId: p.caseId,
      courtCaseNumber: p.courtCaseNumber,
      court: p.court,
      stage: p.stage,
      nextHearing: nextHearing(p.hearings, today),
      directions: outstandingDirections(p.obligations, p.hearings, now),
    }));
  return {
    children,
    proceedings,
    pastTwentySixWeeks: children.filter((child) => child.pastTwentySixWeeks).length,
    projectedToDrift: children.filter((child) => child.drift !== null).length,
  };
}

export interface Banner {
  type: 'success' | 'important';
  text: string;
}

const RETRY_OUTCOMES = new Map<string, string>([
  ['applied', 'was applied to the proceedings.'],
  ['no-change', 'was retried: the hearing already matched it, so nothing changed.'],
  ['duplicate', 'was retried: it had already been applied, so nothing changed.'],
  ['stale', 'was retried: a later update had already been applied, so nothing changed.'],
]);

/** What the last form did, from the query string it redirected to (anything else shows nothing). */
export function bannerFor(query: { done?: unknown; exception?: unknown; outcome?: unknown; resolved?: unknown }): Banner | null {
  const id = query.exception;
  if (typeof id !== 'string' || !/^\d{1,12}$/.test(id)) return null;
  if (query.done === 'dismissed')
    return { type: 'success', text: `Court update ${id} was dismissed with your note and has left the queue.` };
  if (query.done !== 'retried' || typeof query.outcome !== 'string') return null;
  if (query.outcome === 'rejected')
    return { type: 'important', text: `Court update ${id} still cannot be applied. It stays in the queue with the reason.` };
  const outcome = RETRY_OUTCOMES.get(query.outcome);
  if (!outcome) return null;
  const queue = query.resolved === 'yes' ? 'It has left the queue.' : 'It is still in the queue.';
  return { type: 'success', text: `Court update ${id} ${outcome} ${queue}` };
}
