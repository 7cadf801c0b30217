import type { components as CasesSchemas } from '@plo/api-client/generated/cases';
import { formatDate } from '../../rendering';
import type { components as PloSchemas } from '@plo/api-client/generated/plo';
import { TimelineModel } from '../../timeline/timeline';

type CaseRecord = CasesSchemas['schemas']['CaseRecordView'];
type ChildStatus = CasesSchemas['schemas']['ChildStatusView'];
type Visit = CasesSchemas['schemas']['VisitView'];
type Review = CasesSchemas['schemas']['ReviewView'];
type Referral = CasesSchemas['schemas']['ReferralView'];
type Plan = CasesSchemas['schemas']['PlanView'];
type ChronologyView = CasesSchemas['schemas']['ChronologyView'];
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
  /** Each child's chronology, from the cases service. */
  chronologies: ChronologyView[];
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

const SOURCE_NAMES: Record<ChronologyView['entries'][number]['source'], string> = { cases: 'Cases', plo: 'PLO', alerting: 'Alerting' };

export interface ChronologyTable {
  childId: string;
  childName: string;
  entries: { date: string; event: string; source: string; significance: string }[];
  /** The console's own addresses of the exports: the browser holds no token for the services. */
  csvHref: string;
  pdfHref: string;
}

/**
 * Each child's chronology as the cases service assembles it (its records, PLO's court record,
 * alerting's missed timescales), in the order the children are on the case. Oldest first, as a court
 * chronology is, unless `newestFirst`.
 */
export function chronologyTables(record: CaseRecord, chronologies: ChronologyView[], newestFirst = false): ChronologyTable[] {
  return record.children.flatMap((child) => {
    const chronology = chronologies.find((c) => c.childId === child.id);
    if (!chronology) return [];
    const entries = chronology.entries.map((entry) => ({
      date: entry.date,
      event: entry.event,
      source: SOURCE_NAMES[entry.source],
      significance: capital(entry.significance),
    }));
    const base = `/cases/${record.id}/children/${child.id}/chronology`;
    return [
      {
        childId: child.id,
        childName: childName(child),
        entries: newestFirst ? entries.reverse() : entries,
        csvHref: `${base}.csv`,
        pdfHref: `${base}.pdf`,
      },
    ];
  });
}
