import type { components as CasesSchemas } from '@plo/api-client/generated/cases';
import type { components as PloSchemas } from '@plo/api-client/generated/plo';
import { formatDate } from '../../rendering';
import { extensionReasonWords, hearingName, TimelineModel } from '../../timeline/timeline';

type CaseRecord = CasesSchemas['schemas']['CaseRecordView'];
type ChildStatus = CasesSchemas['schemas']['ChildStatusView'];
type Visit = CasesSchemas['schemas']['VisitView'];
type Review = CasesSchemas['schemas']['ReviewView'];
type Referral = CasesSchemas['schemas']['ReferralView'];
type Plan = CasesSchemas['schemas']['PlanView'];
type Proceedings = PloSchemas['schemas']['ProceedingsView'];
type PloEntry = PloSchemas['schemas']['PloChronologyEntryView'];

/** Everything the case page reads, as the services answered it. */
export interface CaseReads {
  record: CaseRecord;
  visits: Visit[];
  reviews: Review[];
  referrals: Referral[];
  plans: Plan[];
  proceedings: Proceedings[];
  ploChronology: PloEntry[];
}

const words = (value: string) => value.replace(/-/g, ' ');
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const STATUS_NAMES: Record<string, string> = {
  'child-in-need': 'Child in need',
  'child-protection-plan': 'Child protection plan',
  'looked-after': 'Looked after',
  'pre-proceedings': 'Pre-proceedings',
  'care-proceedings': 'Care proceedings',
};

const BASIS_NAMES: Record<string, string> = {
  'section-20': 'section 20 accommodation',
  'interim-care-order': 'interim care order',
  'care-order': 'care order',
  'placement-order': 'placement order',
};

/** "Looked after (interim care order)": a status with its legal basis, in words. */
export function statusName(status: Pick<ChildStatus, 'status' | 'basis'>): string {
  const name = STATUS_NAMES[status.status] ?? capital(words(status.status));
  return status.basis ? `${name} (${BASIS_NAMES[status.basis] ?? words(status.basis)})` : name;
}

export const childName = (child: { firstName: string; lastName: string }) => `${child.firstName} ${child.lastName}`;

export interface ChildRow {
  id: string;
  name: string;
  born: string;
  statuses: { name: string; since: string; followsPlo: boolean }[];
}

/** Each child with what they are now: several statuses at once, each since its start. */
export function childRows(record: CaseRecord): ChildRow[] {
  return record.children.map((child) => ({
    id: child.id,
    name: childName(child),
    born: child.dateOfBirth
      ? formatDate(child.dateOfBirth)
      : child.expectedDateOfBirth
        ? `Expected ${formatDate(child.expectedDateOfBirth)}`
        : 'Not recorded',
    statuses: [...child.statuses]
      .sort((a, b) => a.startDate.localeCompare(b.startDate))
      .map((status) => ({ name: statusName(status), since: status.startDate, followsPlo: status.source === 'legal-involvement' })),
  }));
}

export interface AllocationRow {
  teamId: string;
  workerId: string;
  teamManagerId: string | null;
  from: string;
  to: string | null;
  reason: string | null;
}

/** Who held the case and when, newest first (the current allocation on top). */
export function allocationRows(record: CaseRecord): AllocationRow[] {
  return [...record.allocations].reverse().map((allocation) => ({
    teamId: allocation.teamId,
    workerId: allocation.workerId,
    teamManagerId: allocation.teamManagerId,
    from: allocation.startDate,
    to: allocation.endDate,
    reason: allocation.reason,
  }));
}

/** Each child's PLO timeline, one per child per proceedings, in the order the children are on the case. */
export function timelineModels(reads: Pick<CaseReads, 'record' | 'proceedings' | 'ploChronology'>, today: string): TimelineModel[] {
  const names = new Map(reads.record.children.map((child) => [child.id, childName(child)]));
  const order = reads.record.children.map((child) => child.id);
  const movedFrom = new Map<string, string[]>();
  for (const entry of reads.ploChronology) {
    // A move within the day (a new time) is no move on a timeline of days.
    if (entry.event !== 'hearing-moved' || !entry.hearingId || !entry.fromDate || entry.fromDate === entry.toDate) continue;
    movedFrom.set(entry.hearingId, [...(movedFrom.get(entry.hearingId) ?? []), entry.fromDate]);
  }
  return reads.proceedings.flatMap((proceedings, p) =>
    [...proceedings.children]
      .sort((a, b) => order.indexOf(a.childId) - order.indexOf(b.childId))
      .map((child, c): TimelineModel => ({
        id: `timeline-${p + 1}-${c + 1}`,
        childName: names.get(child.childId) ?? 'A child no longer on the case',
        issuedOn: child.issuedOn,
        originalLimit: child.originalCompletionDate,
        limit: child.completionDate,
        extensions: child.extensions.map((extension) => ({
          grantedOn: extension.grantedOn,
          from: extension.previousEndDate,
          to: extension.newEndDate,
          reason: extension.reason,
        })),
        hearings: proceedings.hearings.map((hearing) => ({
          id: hearing.id,
          type: hearing.hearingType,
          date: hearing.hearingDate,
          status: hearing.status,
          movedFrom: movedFrom.get(hearing.id) ?? [],
        })),
        today,
        concludedOn: child.concludedOn,
        outcome: child.outcome,
        projectedDrift: proceedings.projectedDrift.find((drift) => drift.childId === child.childId)?.reason ?? null,
      })),
  );
}

export interface ChronologyEntry {
  date: string;
  event: string;
  source: 'Cases' | 'PLO';
}

const DECISIONS: Record<string, string> = {
  'pre-proceedings': 'start pre-proceedings',
  'issue-now': 'issue care proceedings now',
  'continue-plan': 'continue the current plan',
};
const PRE_PROCEEDINGS_OUTCOMES: Record<string, string> = { 'step-down': 'stepped down', issue: 'care proceedings to be issued' };
const REVIEW_NAMES: Record<string, string> = {
  icpc: 'Initial child protection conference',
  'cp-review': 'Child protection review conference',
  'lac-review': 'Looked-after review',
  'cin-review': 'Child in need review',
};
const PLAN_NAMES: Record<string, string> = {
  'child-in-need': 'Child in need plan',
  'child-protection': 'Child protection plan',
  care: 'Care plan',
  pathway: 'Pathway plan',
};

/** What the PLO service recorded, in words. */
function ploEvent(entry: PloEntry, nameOf: (childId: string | null) => string): string {
  const hearing = capital(entry.hearingType ? hearingName(entry.hearingType) : 'hearing');
  const child = nameOf(entry.childId);
  const because = entry.reason ? `: ${entry.reason}` : '';
  switch (entry.event) {
    case 'gateway-decision':
      return `Legal gateway decision: ${DECISIONS[entry.detail ?? ''] ?? words(entry.detail ?? '')}${because}`;
    case 'letter-before-proceedings':
      return 'Letter before proceedings sent';
    case 'pre-proceedings-meeting':
      return entry.detail === '1' ? 'Pre-proceedings meeting held' : `Pre-proceedings review meeting held (meeting ${entry.detail})`;
    case 'pre-proceedings-extended':
      return `Pre-proceedings extended from ${formatDate(entry.fromDate)} to ${formatDate(entry.toDate)}${because}`;
    case 'pre-proceedings-ended':
      return `Pre-proceedings ended: ${PRE_PROCEEDINGS_OUTCOMES[entry.detail ?? ''] ?? words(entry.detail ?? '')}${because}`;
    case 'proceedings-issued':
      return `Care proceedings issued (court case ${entry.detail})`;
    case 'child-joined-proceedings':
      return `${child} joined the proceedings, with their own 26 weeks`;
    case 'stage-entered':
      return `Proceedings moved to the ${words(entry.detail ?? '')} stage`;
    case 'hearing-listed':
      return `${hearing} listed for ${formatDate(entry.toDate)}`;
    case 'hearing-moved':
      if (entry.fromDate === entry.toDate) return `${hearing} of ${formatDate(entry.toDate)} moved to another time`;
      return `${hearing} moved from ${formatDate(entry.fromDate)} to ${formatDate(entry.toDate)}`;
    case 'hearing-vacated':
      return `${hearing} of ${formatDate(entry.toDate)} vacated`;
    case 'hearing-adjourned':
      return `${hearing} adjourned`;
    case 'hearing-held':
      return `${hearing} held`;
    case 'draft-order-uploaded':
      return `Draft order after the ${hearingName(entry.hearingType ?? 'other')} of ${formatDate(entry.toDate)} uploaded`;
    case 'extension-granted':
      return `${child}: 26 weeks extended from ${formatDate(entry.fromDate)} to ${formatDate(entry.toDate)}, for ${extensionReasonWords(entry.reason ?? '')}`;
    case 'order-made':
      return `${child}: ${words(entry.detail ?? 'order')} made${entry.toDate ? `, until ${formatDate(entry.toDate)}` : ''}`;
    case 'child-proceedings-concluded':
      return `${child}: proceedings concluded (${words(entry.detail ?? '')})`;
  }
}

/**
 * The case's chronology, as a court chronology is laid out (date, event, source): the case record's
 * own facts and the PLO service's. Statuses the case record copies from PLO are left to PLO's own
 * entries, which say more. Oldest first unless `newestFirst`.
 */
export function caseChronology(reads: CaseReads, newestFirst = false): ChronologyEntry[] {
  const names = new Map(reads.record.children.map((child) => [child.id, childName(child)]));
  const nameOf = (childId: string | null) => (childId ? (names.get(childId) ?? 'A child') : 'All children');
  const cases: ChronologyEntry[] = [];
  const add = (date: string | null, event: string) => {
    if (date) cases.push({ date, event, source: 'Cases' });
  };
  const { record } = reads;
  add(record.openedOn, `Case ${record.caseReference} opened`);
  for (const child of record.children) {
    for (const status of child.statusHistory.filter((s) => s.source !== 'legal-involvement')) {
      const by = status.source === 'court-order' ? ' by court order' : '';
      add(status.startDate, `${childName(child)}: ${statusName(status).toLowerCase()} began${by}`);
      add(
        status.endDate,
        `${childName(child)}: ${statusName(status).toLowerCase()} ended${status.endReason ? `: ${status.endReason}` : ''}`,
      );
    }
  }
  record.allocations.forEach((allocation, index) => {
    const verb = index === 0 ? 'Allocated' : 'Re-allocated';
    add(
      allocation.startDate,
      `${verb} to ${allocation.workerId}, team ${allocation.teamId}${allocation.reason ? `: ${allocation.reason}` : ''}`,
    );
  });
  for (const placement of record.placements) {
    add(
      placement.startedOn,
      `${nameOf(placement.childId)}: placement began${placement.intendedToLastUntil18 ? ' (meant to last until 18)' : ''}`,
    );
  }
  for (const visit of reads.visits) {
    const seen = visit.childSeen
      ? `${visit.childrenSeen.map((id) => nameOf(id)).join(' and ') || 'child'} seen${visit.seenAlone ? ' alone' : ''}`
      : 'child not seen';
    add(visit.visitedOn, `${capital(words(visit.visitType))} visit by ${visit.visitorId}: ${seen}`);
  }
  for (const review of reads.reviews.filter((r) => r.status === 'held')) {
    const outcome = review.outcome ? `: ${words(review.outcome)}` : '';
    add(review.heldOn, `${REVIEW_NAMES[review.kind] ?? capital(words(review.kind))} held${review.heldLate ? ' late' : ''}${outcome}`);
  }
  for (const referral of reads.referrals) {
    const kind = capital(referral.kind);
    add(
      referral.receivedOn,
      `${kind} received${referral.source ? ` from ${referral.source}` : ''}${referral.repeat ? ' (a repeat referral)' : ''}`,
    );
    add(referral.decidedOn, `${kind} decided${referral.outcome ? `: ${words(referral.outcome)}` : ''}`);
  }
  for (const plan of reads.plans) {
    add(plan.agreedOn, `${PLAN_NAMES[plan.kind] ?? capital(words(plan.kind))} agreed${plan.childId ? ` for ${nameOf(plan.childId)}` : ''}`);
  }
  const plo = reads.ploChronology.map((entry): ChronologyEntry => ({ date: entry.date, event: ploEvent(entry, nameOf), source: 'PLO' }));
  // A stable sort keeps each service's own order within a day.
  const merged = [...cases, ...plo].sort((a, b) => a.date.localeCompare(b.date));
  return newestFirst ? merged.reverse() : merged;
}
