import {
  CaseAllocatedV1,
  CaseClosedV1,
  CaseDetailsChangedV1,
  CaseOpenedV1,
  DriftProjectedV1,
  DriftProjectionClearedV1,
  EventEnvelope,
  EventTypes,
  LegalStatusChangedV1,
  ObligationCancelledV1,
  ObligationSatisfiedV1,
  ObligationScheduledV1,
} from '@plo/contracts';

export type ObligationStatus = 'open' | 'satisfied' | 'cancelled';

export interface ObligationRecord {
  id: string;
  caseId: string;
  councilId: string;
  childId: string | null;
  kind: string;
  ruleId: string;
  dueDate: string;
  explanation: string;
  teamId: string;
  workerId: string;
  status: ObligationStatus;
  satisfiedOn: string | null;
  endedReason: string | null;
  sourceEventId: string;
  /** Null once nothing more is due (or while the scheduler must recompute it: see `scheduled`). */
  nextAlertAt: Date | null;
}

export interface CaseRecord {
  caseId: string;
  councilId: string;
  caseReference: string;
  teamId: string;
  workerId: string;
  teamManagerId: string | null;
  /** Decides whether legal staff may see the case's alerts (cases in the PLO). */
  legalStatus: string | null;
  closedOn: string | null;
}

export interface EarlyOutcome {
  obligationId: string;
  status: 'satisfied' | 'cancelled';
  satisfiedOn: string | null;
  endedReason: string | null;
}

export type ProjectionSignal =
  | { type: 'drift-projected'; event: EventEnvelope<DriftProjectedV1> }
  | { type: 'drift-projection-cleared'; event: EventEnvelope<DriftProjectionClearedV1> };

/** What a batch needs loaded before it can be applied. */
export interface ProjectionKeys {
  obligationIds: string[];
  caseIds: string[];
  /** Cases whose every open obligation an event changes (re-allocation, closure). */
  wholeCaseIds: string[];
}

export function keysOf(events: readonly EventEnvelope[]): ProjectionKeys {
  const obligationIds = new Set<string>();
  const caseIds = new Set<string>();
  const wholeCaseIds = new Set<string>();
  for (const event of events) {
    const data = event.data as { obligationId?: string; caseId?: string };
    if (data.obligationId) obligationIds.add(data.obligationId);
    if (!data.caseId) continue;
    caseIds.add(data.caseId);
    if (event.type === EventTypes.caseAllocated || event.type === EventTypes.caseClosed) wholeCaseIds.add(data.caseId);
  }
  return { obligationIds: [...obligationIds], caseIds: [...caseIds], wholeCaseIds: [...wholeCaseIds] };
}

/**
 * The obligations and case directory as a fold over the consumed events. The live consumer applies
 * one event at a time and the rebuild thousands at once through this same code, which is why a
 * rebuild gives the same state. Works on records loaded for the batch (`keysOf`): the obligations
 * named by its events plus the open obligations of its cases.
 */
export class ProjectionBatch {
  readonly changedObligations = new Set<string>();
  readonly changedCases = new Set<string>();
  readonly changedEarly = new Set<string>();
  /** New or moved obligations whose alert schedule starts again. */
  readonly scheduled = new Set<string>();
  /** Obligations whose open alerts may now resolve (met, ended, moved). */
  readonly settled = new Set<string>();
  /** Cases whose allocation or team manager changed: their active alerts follow. */
  readonly reallocatedCases = new Set<string>();
  readonly closedCases = new Set<string>();
  readonly signals: ProjectionSignal[] = [];
  private readonly obligationsByCase = new Map<string, Set<string>>();

  constructor(
    readonly obligations: Map<string, ObligationRecord>,
    readonly cases: Map<string, CaseRecord>,
    readonly early: Map<string, EarlyOutcome | null>,
  ) {
    for (const obligation of obligations.values()) this.index(obligation);
  }

  apply(event: EventEnvelope): void {
    switch (event.type) {
      case EventTypes.caseOpened:
        return this.caseOpened(event.data as CaseOpenedV1);
      case EventTypes.caseAllocated:
        return this.caseAllocated(event.data as CaseAllocatedV1);
      case EventTypes.caseDetailsChanged:
        return this.caseDetailsChanged(event.data as CaseDetailsChangedV1);
      case EventTypes.legalStatusChanged:
        return this.legalStatusChanged(event.data as LegalStatusChangedV1);
      case EventTypes.caseClosed:
        return this.caseClosed(event.data as CaseClosedV1);
      case EventTypes.obligationScheduled:
        return this.obligationScheduled(event.data as ObligationScheduledV1, event.id);
      case EventTypes.obligationSatisfied: {
        const data = event.data as ObligationSatisfiedV1;
        return this.settle(data.obligationId, { status: 'satisfied', satisfiedOn: data.satisfiedOn, endedReason: null });
      }
      case EventTypes.obligationCancelled: {
        const data = event.data as ObligationCancelledV1;
        return this.settle(data.obligationId, { status: 'cancelled', satisfiedOn: null, endedReason: data.reason });
      }
      case EventTypes.driftProjected:
        this.signals.push({ type: 'drift-projected', event: event as EventEnvelope<DriftProjectedV1> });
        return;
      case EventTypes.driftProjectionCleared:
        this.signals.push({ type: 'drift-projection-cleared', event: event as EventEnvelope<DriftProjectionClearedV1> });
        return;
    }
  }

  private caseOpened(data: CaseOpenedV1) {
    if (this.cases.has(data.caseId)) return;
    this.cases.set(data.caseId, {
      caseId: data.caseId,
      councilId: data.councilId,
      caseReference: data.caseReference,
      teamId: data.teamId,
      workerId: data.allocatedWorkerId,
      teamManagerId: data.teamManagerId ?? null,
      legalStatus: data.legalStatus,
      closedOn: null,
    });
    this.changedCases.add(data.caseId);
  }

  /** A new team manager takes over the alerts already escalated to the old one. */
  private caseDetailsChanged(data: CaseDetailsChangedV1) {
    const known = this.cases.get(data.caseId);
    if (!known || data.teamManagerId === undefined || data.teamManagerId === known.teamManagerId) return;
    this.cases.set(data.caseId, { ...known, teamManagerId: data.teamManagerId });
    this.changedCases.add(data.caseId);
    this.reallocatedCases.add(data.caseId);
  }

  private legalStatusChanged(data: LegalStatusChangedV1) {
    const known = this.cases.get(data.caseId);
    if (!known) return;
    this.cases.set(data.caseId, { ...known, legalStatus: data.legalStatus });
    this.changedCases.add(data.caseId);
  }

  private caseAllocated(data: CaseAllocatedV1) {
    const known = this.cases.get(data.caseId);
    if (known) {
      this.cases.set(data.caseId, {
        ...known,
        teamId: data.teamId,
        workerId: data.allocatedWorkerId,
        teamManagerId: data.teamManagerId ?? known.teamManagerId,
      });
      this.changedCases.add(data.caseId);
    }
    for (const obligation of this.openObligationsOf(data.caseId)) {
      this.obligations.set(obligation.id, { ...obligation, teamId: data.teamId, workerId: data.allocatedWorkerId });
      this.changedObligations.add(obligation.id);
    }
    this.reallocatedCases.add(data.caseId);
  }

  private caseClosed(data: CaseClosedV1) {
    const known = this.cases.get(data.caseId);
    if (known) {
      this.cases.set(data.caseId, { ...known, closedOn: data.closedOn });
      this.changedCases.add(data.caseId);
    }
    for (const obligation of this.openObligationsOf(data.caseId)) {
      this.obligations.set(obligation.id, { ...obligation, status: 'cancelled', endedReason: 'case closed', nextAlertAt: null });
      this.changedObligations.add(obligation.id);
      this.settled.add(obligation.id);
    }
    this.closedCases.add(data.caseId);
  }

  /** A later schedule of an open obligation moves its due date; a met or ended one stays as it is. */
  private obligationScheduled(data: ObligationScheduledV1, eventId: string) {
    const existing = this.obligations.get(data.obligationId);
    if (existing) {
      if (existing.status !== 'open') return;
      const moved = existing.dueDate !== data.dueDate;
      this.obligations.set(existing.id, { ...existing, dueDate: data.dueDate, explanation: data.explanation, sourceEventId: eventId });
      this.changedObligations.add(existing.id);
      if (moved) {
        this.scheduled.add(existing.id);
        this.settled.add(existing.id);
      }
      return;
    }
    const early = this.early.get(data.obligationId);
    const closed = this.cases.get(data.caseId)?.closedOn;
    const record: ObligationRecord = {
      id: data.obligationId,
      caseId: data.caseId,
      councilId: data.councilId,
      childId: data.childId ?? null,
      kind: data.kind,
      ruleId: data.ruleId,
      dueDate: data.dueDate,
      explanation: data.explanation,
      teamId: data.responsible.teamId,
      workerId: data.responsible.workerId,
      status: early?.status ?? (closed ? 'cancelled' : 'open'),
      satisfiedOn: early?.satisfiedOn ?? null,
      endedReason: early ? early.endedReason : closed ? 'case closed' : null,
      sourceEventId: eventId,
      nextAlertAt: null,
    };
    this.obligations.set(record.id, record);
    this.index(record);
    this.changedObligations.add(record.id);
    if (record.status === 'open') this.scheduled.add(record.id);
    if (early) {
      this.early.set(record.id, null);
      this.changedEarly.add(record.id);
    }
  }

  private settle(obligationId: string, outcome: Pick<ObligationRecord, 'status' | 'satisfiedOn' | 'endedReason'>) {
    const existing = this.obligations.get(obligationId);
    if (!existing) {
      if (this.early.get(obligationId)) return;
      this.early.set(obligationId, { obligationId, ...(outcome as Omit<EarlyOutcome, 'obligationId'>) });
      this.changedEarly.add(obligationId);
      return;
    }
    if (existing.status !== 'open') return;
    this.obligations.set(obligationId, { ...existing, ...outcome, nextAlertAt: null });
    this.changedObligations.add(obligationId);
    this.scheduled.delete(obligationId);
    this.settled.add(obligationId);
  }

  private index(obligation: ObligationRecord) {
    const ids = this.obligationsByCase.get(obligation.caseId) ?? new Set<string>();
    ids.add(obligation.id);
    this.obligationsByCase.set(obligation.caseId, ids);
  }

  private openObligationsOf(caseId: string): ObligationRecord[] {
    const ids = [...(this.obligationsByCase.get(caseId) ?? [])];
    return ids.map((id) => this.obligations.get(id)!).filter((obligation) => obligation.status === 'open');
  }
}
