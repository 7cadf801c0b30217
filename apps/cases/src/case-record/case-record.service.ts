import { ConflictException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Actor,
  CaseAllocatedV1,
  CaseClosedV1,
  CaseDetailsChangedV1,
  CaseOpenedV1,
  ChildAddedV1,
  EventTypes,
  CASES_OWNED_CHILD_STATUSES,
  CasesOwnedChildStatus,
  LegalStatus,
  LookedAfterBasis,
  PlacementStartedV1,
} from '@plo/contracts';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, FieldProblem, notBefore, notFuture, Principal, refusedByLaw } from '@plo/platform';
import { laterOf, londonDateOf, parseLocalDate } from '@plo/timescales';
import { CaseChanges } from '../case/case-changes';
import { CaseObligations } from '../case/case-obligations';
import { CaseStore } from '../case/case.store';
import { ChildStatusChanges } from '../child-statuses/child-status-changes';
import { ChildStatusesStore } from '../child-statuses/child-statuses.store';
import { REVIEW_SERIES_OF_CHILD_STATUS, summaryStatus } from '../domain/child-status-rules';
import { ReviewSeries } from '../reviews/review-series';
import { VisitSchedule } from '../visits/visit-schedule';
import {
  AllocateCaseDto,
  ChangeLegalStatusDto,
  CloseCaseDto,
  ListCasesQuery,
  NewChildDto,
  OpenCaseDto,
  PlacementDto,
  UpdateCaseDetailsDto,
} from './case-record.dto';
import { CaseRecordStore, isCaseReferenceTaken } from './case-record.store';
import { caseRecordView } from './case-record.view';

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 25;

/** Proceedings are PLO's fact: a case or its children enter them through the PLO service (422). */
/** A status a child holds from the day a case opens. */
export interface InitialStatus {
  status: CasesOwnedChildStatus;
  basis: LookedAfterBasis | null;
}

function refusePlo(legalStatus: LegalStatus): void {
  if (legalStatus !== 'plo') return;
  const message =
    "'plo' is no longer recorded here: pre-proceedings and care proceedings are started in the PLO service, which tells cases";
  throw refusedByLaw(message, { fields: [{ field: 'legalStatus', messages: [message] }] });
}

function basisProblem(legalStatus: LegalStatus, basis: LookedAfterBasis | undefined): FieldProblem | undefined {
  return basis !== undefined && legalStatus !== 'looked-after'
    ? { field: 'basis', message: 'a basis is given only for a looked-after child' }
    : undefined;
}

function casesOwned(legalStatus: LegalStatus): CasesOwnedChildStatus {
  if (legalStatus === 'plo') throw new Error('plo is refused before this point');
  return legalStatus;
}

function isCasesOwned(status: string): boolean {
  return (CASES_OWNED_CHILD_STATUSES as readonly string[]).includes(status);
}

function laterDate(a: string, b: string): string {
  return laterOf(parseLocalDate(a), parseLocalDate(b));
}

function childProblems(child: NewChildDto, prefix: string): FieldProblem[] {
  const given = [child.dateOfBirth, child.expectedDateOfBirth].filter((d) => d !== undefined).length;
  return given === 1
    ? []
    : [{ field: `${prefix}dateOfBirth`, message: 'give dateOfBirth, or expectedDateOfBirth for an unborn child (exactly one)' }];
}

/** The case itself: opening, reading and listing it, its details, allocation, legal status, children and placements, and closing it. */
@Injectable()
export class CaseRecordService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly records: CaseRecordStore,
    private readonly obligations: CaseObligations,
    private readonly visits: VisitSchedule,
    private readonly reviews: ReviewSeries,
    private readonly statuses: ChildStatusChanges,
    private readonly statusStore: ChildStatusesStore,
    private readonly clock: Clock,
  ) {}

  async open(input: OpenCaseDto, actor: Actor) {
    refusePlo(input.legalStatus);
    assertNoFieldProblems([
      notFuture('openedOn', input.openedOn, this.today()),
      basisProblem(input.legalStatus, input.basis),
      ...input.children.flatMap((child, i) => childProblems(child, `children.${i}.`)),
    ]);
    const status = { status: casesOwned(input.legalStatus), basis: input.basis ?? null };
    return this.openCase(input, actor, () => [status], 'recorded');
  }

  /**
   * A case opened from a council's history: each child starts with their own statuses of the opening
   * day (siblings differ), and the v1 summary follows from them.
   */
  async openFromHistory(
    input: Omit<OpenCaseDto, 'legalStatus' | 'basis'>,
    statusesOf: (childIndex: number) => InitialStatus[],
    actor: Actor,
  ) {
    assertNoFieldProblems([
      notFuture('openedOn', input.openedOn, this.today()),
      ...input.children.flatMap((child, i) => childProblems(child, `children.${i}.`)),
    ]);
    const summary = summaryStatus(input.children.flatMap((_, i) => statusesOf(i).map((s) => s.status))) ?? 'child-in-need';
    return this.openCase({ ...input, legalStatus: summary }, actor, statusesOf, 'import');
  }

  private async openCase(
    input: OpenCaseDto,
    actor: Actor,
    statusesOf: (childIndex: number) => InitialStatus[],
    source: 'recorded' | 'import',
  ) {
    const caseId = randomUUID();
    const referenceTaken = () =>
      new ConflictException(`case reference ${input.caseReference} is already used in council ${input.councilId}`);
    // A new case: there is no row to lock yet, and its version starts at 1.
    return this.unitOfWork
      .change({ subject: caseId, actor }, async (change) => {
        if (await this.records.referenceTaken(change, input.councilId, input.caseReference)) throw referenceTaken();
        await this.records.insertCase(change, caseId, input);
        const childIds: string[] = [];
        for (const child of input.children) {
          const childId = randomUUID();
          await this.records.insertChild(change, caseId, childId, child, input.openedOn);
          childIds.push(childId);
        }
        const opened: CaseOpenedV1 = {
          caseId,
          councilId: input.councilId,
          caseReference: input.caseReference,
          teamId: input.teamId,
          allocatedWorkerId: input.allocatedWorkerId,
          ...(input.teamManagerId ? { teamManagerId: input.teamManagerId } : {}),
          ...(input.legalLeadId ? { legalLeadId: input.legalLeadId } : {}),
          legalStatus: input.legalStatus,
          openedOn: input.openedOn,
          childIds,
        };
        const row = await this.cases.load(change, caseId);
        change.emit(EventTypes.caseOpened, opened);
        for (const [i, childId] of childIds.entries())
          for (const { status, basis } of statusesOf(i))
            await this.statuses.start(change, row, childId, { status, basis, startDate: input.openedOn, source });
        await this.statuses.settle(change, row, childIds, input.openedOn, 'case opened');
        return this.view(change, caseId);
      })
      .catch((error: unknown) => {
        // Two opens of one reference at once both pass the check above; the unique index stops the second.
        throw isCaseReferenceTaken(error) ? referenceTaken() : error;
      });
  }

  async get(caseId: string) {
    return caseRecordView(await this.unitOfWork.read((reads) => this.records.record(reads, caseId)), caseId, this.today());
  }

  /** One call for "my team's cases with what is overdue": filters, a page of cases, each with its overdue obligations. */
  async list(query: ListCasesQuery, principal: Principal) {
    const today = this.today();
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const filter = { ...query, state: query.state ?? 'open' };
    const { total, items, due, children } = await this.unitOfWork.transaction((tx) =>
      this.records.list(tx, principal, { filter, today, page, pageSize }),
    );
    return {
      today,
      page,
      pageSize,
      total,
      items: items.map((item) => {
        const open = due.filter((o) => o.caseId === item.id).map(({ caseId: _, ...o }) => o);
        return {
          ...item,
          children: children.filter((child) => child.caseId === item.id).map(({ caseId: _, ...child }) => child),
          overdue: open.filter((o) => o.dueDate < today),
          nextDue: open.find((o) => o.dueDate >= today) ?? null,
        };
      }),
    };
  }

  async updateDetails(caseId: string, input: UpdateCaseDetailsDto, ifMatch: string | undefined, actor: Actor) {
    assertNoFieldProblems([
      input.teamManagerId === undefined &&
        input.legalLeadId === undefined && { field: 'teamManagerId', message: 'give teamManagerId and/or legalLeadId' },
    ]);
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: true }, async (change) => {
      await this.records.updateDetails(change, caseId, input.teamManagerId ?? null, input.legalLeadId ?? null);
      const changed: CaseDetailsChangedV1 = { caseId, ...input };
      change.emit(EventTypes.caseDetailsChanged, changed);
      return this.view(change, caseId);
    });
  }

  /** Re-allocation closes the current allocation and opens a new one: the history is kept, never overwritten. */
  async allocate(caseId: string, input: AllocateCaseDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: true }, async (change, row) => {
      const currentStart = await this.records.currentAllocationStart(change, caseId);
      assertNoFieldProblems([
        notFuture('allocatedOn', input.allocatedOn, this.today()),
        notBefore('allocatedOn', input.allocatedOn, currentStart, 'the current allocation began'),
      ]);
      const teamManagerId = input.teamManagerId ?? row.team_manager_id;
      if (input.teamId === row.team_id && input.allocatedWorkerId === row.allocated_worker_id && teamManagerId === row.team_manager_id) {
        throw new ConflictException(`case ${caseId} is already allocated to ${row.allocated_worker_id} in team ${row.team_id}`);
      }
      await this.records.allocate(change, caseId, {
        teamId: input.teamId,
        workerId: input.allocatedWorkerId,
        teamManagerId,
        startDate: input.allocatedOn,
        reason: input.reason,
      });
      const allocated: CaseAllocatedV1 = {
        caseId,
        teamId: input.teamId,
        allocatedWorkerId: input.allocatedWorkerId,
        ...(teamManagerId ? { teamManagerId } : {}),
        allocatedOn: input.allocatedOn,
        previousWorkerId: row.allocated_worker_id,
        ...(input.reason ? { reason: input.reason } : {}),
      };
      change.emit(EventTypes.caseAllocated, allocated);
      return this.view(change, caseId);
    });
  }

  /**
   * The first release's endpoint, kept: the status applies to every child of the case, ending each
   * child's other cases-owned statuses that day (their review series with them), as a case-level
   * status did. Proceedings are PLO's fact, so `plo` is refused; statuses PLO gave a child stay.
   */
  async changeLegalStatus(caseId: string, input: ChangeLegalStatusDto, ifMatch: string | undefined, actor: Actor) {
    refusePlo(input.legalStatus);
    assertNoFieldProblems([basisProblem(input.legalStatus, input.basis)]);
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: true }, async (change, row) => {
      const status = casesOwned(input.legalStatus);
      const childIds = await this.cases.childIds(change, caseId);
      const owned = (await this.statusStore.currentOfCase(change, caseId)).filter((s) => isCasesOwned(s.status));
      const unchanged = childIds.every((childId) => {
        const held = owned.filter((s) => s.childId === childId);
        return held.length === 1 && held[0].status === status && (input.basis === undefined || held[0].basis === input.basis);
      });
      if (unchanged) throw new ConflictException(`every child of case ${caseId} is already ${status}`);
      const latestStart = owned.map((s) => s.startDate).reduce<string | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined);
      assertNoFieldProblems([
        notFuture('startDate', input.startDate, this.today()),
        notBefore('startDate', input.startDate, latestStart ?? row.opened_on, 'a current status of a child began'),
        input.placement !== undefined &&
          input.legalStatus !== 'looked-after' && {
            field: 'placement',
            message: 'a placement is recorded only for a child becoming looked after',
          },
        notBefore('placement.startedOn', input.placement?.startedOn, input.startDate, 'the child became looked after'),
        await this.cases.childProblem(change, caseId, input.placement?.childId, 'placement.childId'),
      ]);
      const reason = `legal status changed from ${row.legal_status} to ${input.legalStatus}`;
      const ended = owned.filter((s) => s.status !== status);
      for (const other of ended) await this.statuses.end(change, row, other, input.startDate, reason);
      // Every child left those statuses: reviews the first release kept for the whole case end with them.
      for (const series of new Set(ended.flatMap((s) => REVIEW_SERIES_OF_CHILD_STATUS[s.status] ?? [])))
        await this.reviews.cancel(change, caseId, reason, series);
      for (const childId of childIds) {
        await this.statuses.start(change, row, childId, {
          status,
          basis: input.basis ?? null,
          startDate: input.startDate,
          source: 'recorded',
        });
      }
      if (input.placement) await this.startPlacementOf(change, caseId, input.placement);
      await this.statuses.settle(change, row, childIds, input.startDate, reason);
      return this.view(change, caseId);
    });
  }

  async addChild(caseId: string, input: NewChildDto, ifMatch: string | undefined, actor: Actor) {
    assertNoFieldProblems(childProblems(input, ''));
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      const childId = randomUUID();
      const added: ChildAddedV1 = {
        caseId,
        childId,
        ...(input.dateOfBirth ? { dateOfBirth: input.dateOfBirth } : {}),
        ...(input.expectedDateOfBirth ? { expectedDateOfBirth: input.expectedDateOfBirth } : {}),
      };
      change.emit(EventTypes.childAdded, added);
      // A case-wide obligation's due date is not the new child's: it is shared out among those already on the case.
      await this.visits.adoptCaseWideVisits(change, row);
      const today = this.today();
      await this.records.insertChild(change, caseId, childId, input, today);
      // Until the worker records the child's own, a new sibling is what the case is (a child in need when the case is in proceedings).
      const status = row.legal_status === 'plo' ? 'child-in-need' : row.legal_status;
      await this.statuses.start(change, row, childId, { status, basis: null, startDate: today, source: 'recorded' });
      await this.statuses.settle(change, row, [childId], today, 'a child joined the case');
      return { childId, ...(await this.view(change, caseId)) };
    });
  }

  async listChildren(caseId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.records.children(tx, caseId);
    });
  }

  /** A new placement of a looked-after child: the next statutory visit is due within a week of it (reg 28(2)(a)). */
  async startPlacement(caseId: string, input: PlacementDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      assertNoFieldProblems([await this.cases.childProblem(change, caseId, input.childId, 'childId')]);
      const lookedAfter = (await this.statusStore.currentOfCase(change, caseId)).filter(
        (s) => s.status === 'looked-after' && (input.childId === undefined || s.childId === input.childId),
      );
      if (!lookedAfter.length)
        throw new ConflictException(
          `${input.childId ? `child ${input.childId} is` : `no child of case ${caseId} is`} looked after; placements are recorded for looked-after children`,
        );
      const since = lookedAfter.map((s) => s.startDate).reduce((a, b) => (b < a ? b : a));
      assertNoFieldProblems([
        notFuture('startedOn', input.startedOn, this.today()),
        notBefore('startedOn', input.startedOn, since, 'the child became looked after'),
      ]);
      await this.startPlacementOf(change, caseId, input);
      await this.visits.adoptCaseWideVisits(change, row);
      // A placement of one sibling moves only that child's visits; one recorded for the case moves every child's.
      for (const childId of input.childId ? [input.childId] : await this.cases.childIds(change, caseId))
        await this.visits.reconcile(change, row, childId, 'a new placement started');
      return this.view(change, caseId);
    });
  }

  /** Closing a case ends every obligation it still has open, its reviews, its legal status and its allocation. */
  async close(caseId: string, input: CloseCaseDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false, closing: true }, async (change, row) => {
      assertNoFieldProblems([
        notFuture('closedOn', input.closedOn, this.today()),
        notBefore('closedOn', input.closedOn, row.opened_on, 'the case opened'),
      ]);
      for (const status of await this.statusStore.currentOfCase(change, caseId))
        await this.statuses.end(change, row, status, laterDate(input.closedOn, status.startDate), 'case closed');
      await this.records.close(change, caseId, input.closedOn, input.reason);
      await this.reviews.cancel(change, caseId, 'case closed');
      await this.obligations.cancel(change, caseId, 'case closed');
      const closed: CaseClosedV1 = { caseId, closedOn: input.closedOn, reason: input.reason };
      change.emit(EventTypes.caseClosed, closed);
      return this.view(change, caseId);
    });
  }

  private async startPlacementOf(change: Change, caseId: string, placement: PlacementDto): Promise<void> {
    const placementId = randomUUID();
    await this.records.insertPlacement(change, caseId, placementId, placement);
    const started: PlacementStartedV1 = {
      caseId,
      placementId,
      ...(placement.childId ? { childId: placement.childId } : {}),
      startedOn: placement.startedOn,
      intendedToLastUntil18: placement.intendedToLastUntil18,
    };
    change.emit(EventTypes.placementStarted, started);
  }

  private async view(tx: Transaction, caseId: string) {
    return caseRecordView(await this.records.record(tx, caseId), caseId, this.today());
  }

  private today() {
    return londonDateOf(this.clock.now());
  }
}
