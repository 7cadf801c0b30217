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
  LegalStatusChangedV1,
  PlacementStartedV1,
} from '@plo/contracts';
import { Change, Transaction, UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, FieldProblem, notBefore, notFuture, Principal } from '@plo/platform';
import { londonDateOf, parseLocalDate } from '@plo/timescales';
import { CaseChanges } from '../case/case-changes';
import { CaseObligations } from '../case/case-obligations';
import { CaseStore } from '../case/case.store';
import { REVIEW_SERIES_OF_STATUS } from '../domain/review-rules';
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
    private readonly clock: Clock,
  ) {}

  async open(input: OpenCaseDto, actor: Actor) {
    assertNoFieldProblems([
      notFuture('openedOn', input.openedOn, this.today()),
      ...input.children.flatMap((child, i) => childProblems(child, `children.${i}.`)),
    ]);
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
        for (const childId of childIds)
          await this.visits.schedule(change, row, childId, { legalStatus: row.legal_status, countFrom: parseLocalDate(input.openedOn) });
        // Reg 33(1): the first looked-after review is due 20 working days after the child became looked after.
        if (input.legalStatus === 'looked-after') await this.reviews.schedule(change, row, 'lac-review', 1, input.openedOn);
        return this.view(change, caseId);
      })
      .catch((error: unknown) => {
        // Two opens of one reference at once both pass the check above; the unique index stops the second.
        throw isCaseReferenceTaken(error) ? referenceTaken() : error;
      });
  }

  async get(caseId: string) {
    return caseRecordView(await this.records.read(caseId), caseId, this.today());
  }

  /** One call for "my team's cases with what is overdue": filters, a page of cases, each with its overdue obligations. */
  async list(query: ListCasesQuery, principal: Principal) {
    const today = this.today();
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const filter = { ...query, state: query.state ?? 'open' };
    const { total, items, due } = await this.unitOfWork.transaction((tx) =>
      this.records.list(tx, principal, { filter, today, page, pageSize }),
    );
    return {
      today,
      page,
      pageSize,
      total,
      items: items.map((item) => {
        const open = due.filter((o) => o.caseId === item.id).map(({ caseId: _, ...o }) => o);
        return { ...item, overdue: open.filter((o) => o.dueDate < today), nextDue: open.find((o) => o.dueDate >= today) ?? null };
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
   * A new legal status ends the current one, ends the reviews that belonged to it, and reschedules
   * each child's visit by the new status's rule, counted from the later of that child's last visit
   * and the new start.
   */
  async changeLegalStatus(caseId: string, input: ChangeLegalStatusDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: true }, async (change, row) => {
      if (input.legalStatus === row.legal_status) throw new ConflictException(`case ${caseId} is already ${row.legal_status}`);
      assertNoFieldProblems([
        notFuture('startDate', input.startDate, this.today()),
        notBefore(
          'startDate',
          input.startDate,
          await this.cases.currentStatusStart(change, caseId),
          `the current status (${row.legal_status}) began`,
        ),
        input.placement !== undefined &&
          input.legalStatus !== 'looked-after' && {
            field: 'placement',
            message: 'a placement is recorded only for a child becoming looked after',
          },
        notBefore('placement.startedOn', input.placement?.startedOn, input.startDate, 'the child became looked after'),
        await this.cases.childProblem(change, caseId, input.placement?.childId, 'placement.childId'),
      ]);
      await this.records.startLegalStatus(change, caseId, input.legalStatus, input.startDate);
      const changed: LegalStatusChangedV1 = {
        caseId,
        previousStatus: row.legal_status,
        legalStatus: input.legalStatus,
        startDate: input.startDate,
      };
      change.emit(EventTypes.legalStatusChanged, changed);
      const reason = `legal status changed from ${row.legal_status} to ${input.legalStatus}`;
      const endedSeries = REVIEW_SERIES_OF_STATUS[row.legal_status];
      if (endedSeries) await this.reviews.cancel(change, caseId, reason, endedSeries);
      if (input.placement) await this.startPlacementOf(change, caseId, input.placement);
      const updated = { ...row, legal_status: input.legalStatus };
      await this.obligations.cancel(change, caseId, reason, { kind: 'visit' });
      for (const childId of await this.cases.childIds(change, caseId))
        await this.visits.scheduleNext(change, updated, childId, input.startDate);
      if (input.legalStatus === 'looked-after') await this.reviews.schedule(change, updated, 'lac-review', 1, input.startDate);
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
      await this.visits.scheduleNext(change, row, childId, today);
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
      if (row.legal_status !== 'looked-after')
        throw new ConflictException(`case ${caseId} is ${row.legal_status}; placements are recorded for looked-after children`);
      assertNoFieldProblems([
        notFuture('startedOn', input.startedOn, this.today()),
        notBefore('startedOn', input.startedOn, await this.cases.currentStatusStart(change, caseId), 'the child became looked after'),
        await this.cases.childProblem(change, caseId, input.childId, 'childId'),
      ]);
      await this.startPlacementOf(change, caseId, input);
      await this.visits.adoptCaseWideVisits(change, row);
      // A placement of one sibling moves only that child's visits; one recorded for the case moves every child's.
      for (const childId of input.childId ? [input.childId] : await this.cases.childIds(change, caseId)) {
        await this.obligations.cancel(change, caseId, 'a new placement started', { kind: 'visit', childId });
        await this.visits.scheduleNext(change, row, childId, row.opened_on);
      }
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
