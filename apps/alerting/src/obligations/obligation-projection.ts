import {
  CaseAllocatedV1,
  CaseClosedV1,
  CaseDetailsChangedV1,
  CaseOpenedV1,
  DriftProjectedV1,
  DriftProjectionClearedV1,
  EventEnvelope,
  EventTypes,
  LegalInvolvementStartedV1,
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
  /** The instant it becomes overdue when its rule sets a time of day (ISO); null: the end of `dueDate` in London. */
  dueAt: string | null;
  explanation: string;
  /** The case's allocation when alerting recorded or last moved the obligation (for display; alerts read the case's own). */
  teamId: string;
  workerId: string;
  /** History only (settled before it reached alerting): never scheduled, its drift recorded, not delivered. */
  historical: boolean;
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
  /** The v1 case-level summary, kept for display. */
  legalStatus: string | null;
  /** The first day any child of the case had legal involvement (PLO's fact): from then on legal staff may see the case. */
  legalInvolvedSince: string | null;
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
  /** Obligations met after their due date in history: their drift is recorded, never delivered. */
  readonly historicalDrifts = new Set<string>();
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
        this.settle(data.obligationId, { status: 'satisfied', satisfiedOn: data.satisfiedOn, endedReason: null });
        return this.noteHistoricalDrift(data.obligationId, data.historical === true);
      }
      case EventTypes.legalInvolvementStarted:
        return this.legalInvolvementStarted(event.data as LegalInvolvementStartedV1);
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
      legalInvolvedSince: data.legalStatus === 'plo' ? data.openedOn : null,
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

  /**
   * The v1 summary 'plo' says a child of the case is in pre-proceedings or proceedings: legal
   * involvement, as PLO's own event says (a rebuild from topics written before PLO sent it then gives
   * what the migration gave).
   */
  private legalStatusChanged(data: LegalStatusChangedV1) {
    const known = this.cases.get(data.caseId);
    if (!known) return;
    this.cases.set(data.caseId, {
      ...known,
      legalStatus: data.legalStatus,
      legalInvolvedSince: data.legalStatus === 'plo' ? earliest(known.legalInvolvedSince, data.startDate) : known.legalInvolvedSince,
    });
    this.changedCases.add(data.caseId);
  }

  /** Once any child has had legal involvement, legal staff may see the case; it stays so. */
  private legalInvolvementStarted(data: LegalInvolvementStartedV1) {
    const known = this.cases.get(data.caseId);
    // Retried, then dead-lettered for replay once the case has arrived from the cases topic.
    if (!known) throw new Error(`case ${data.caseId} is not known to alerting yet`);
    const since = earliest(known.legalInvolvedSince, data.startDate);
    if (since === known.legalInvolvedSince) return;
    this.cases.set(data.caseId, { ...known, legalInvolvedSince: since });
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

  /**
   * A later schedule of an open obligation moves its due date (or time); a met or ended one stays as
   * it is. A historical schedule is kept without alerts; a later live one makes the obligation live.
   * A new obligation takes the case's allocation from alerting's copy, never the producer's stamp.
   */
  private obligationScheduled(data: ObligationScheduledV1, eventId: string) {
    const historical = data.historical === true;
    const dueAt = data.dueAt ? new Date(data.dueAt).toISOString() : null;
    const existing = this.obligations.get(data.obligationId);
    if (existing) {
      if (existing.status !== 'open') return;
      const moved = existing.dueDate !== data.dueDate || existing.dueAt !== dueAt;
      // Once live, an obligation stays live: history cannot silence what alerting already watches.
      const stillHistorical = existing.historical && historical;
      const revived = existing.historical && !historical;
      this.obligations.set(existing.id, {
        ...existing,
        dueDate: data.dueDate,
        dueAt,
        explanation: data.explanation,
        sourceEventId: eventId,
        historical: stillHistorical,
      });
      this.changedObligations.add(existing.id);
      if ((moved || revived) && !stillHistorical) this.scheduled.add(existing.id);
      if (moved) this.settled.add(existing.id);
      return;
    }
    const known = this.cases.get(data.caseId);
    // Retried, then dead-lettered for replay once the case has arrived from the cases topic.
    if (!known) throw new Error(`case ${data.caseId} is not known to alerting yet`);
    const early = this.early.get(data.obligationId);
    const record: ObligationRecord = {
      id: data.obligationId,
      caseId: data.caseId,
      councilId: data.councilId,
      childId: data.childId ?? null,
      kind: data.kind,
      ruleId: data.ruleId,
      dueDate: data.dueDate,
      dueAt,
      explanation: data.explanation,
      teamId: known.teamId,
      workerId: known.workerId,
      historical,
      status: early?.status ?? (known.closedOn ? 'cancelled' : 'open'),
      satisfiedOn: early?.satisfiedOn ?? null,
      endedReason: early ? early.endedReason : known.closedOn ? 'case closed' : null,
      sourceEventId: eventId,
      nextAlertAt: null,
    };
    this.obligations.set(record.id, record);
    this.index(record);
    this.changedObligations.add(record.id);
    if (record.status === 'open' && !historical) this.scheduled.add(record.id);
    if (early) {
      this.early.set(record.id, null);
      this.changedEarly.add(record.id);
      this.noteHistoricalDrift(record.id, false);
    }
  }

  /** A historical obligation (or one met in history) that was met after its due date leaves its drift in the record. */
  private noteHistoricalDrift(obligationId: string, metInHistory: boolean) {
    const obligation = this.obligations.get(obligationId);
    if (!obligation || (!obligation.historical && !metInHistory)) return;
    if (obligation.status === 'satisfied' && obligation.satisfiedOn !== null && obligation.satisfiedOn > obligation.dueDate) {
      this.historicalDrifts.add(obligationId);
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

function earliest(current: string | null, date: string): string {
  return current !== null && current <= date ? current : date;
}
