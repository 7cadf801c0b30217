import { assertNoFieldProblems, caseVisibilitySql, FieldProblem, notBefore, notFuture, Principal } from '@plo/platform';
import { ConflictException, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
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
  VisitRecordedV1,
} from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { laterOf, parseLocalDate } from '@plo/timescales';
import { CASE_RECORD_SQL, caseRecordView } from './case-record';
import { CaseRow, CaseStore, PendingEvent } from './case-store';
import {
  AllocateCaseDto,
  ChangeLegalStatusDto,
  CloseCaseDto,
  ListCasesQuery,
  NewChildDto,
  OpenCaseDto,
  PlacementDto,
  RecordVisitDto,
  UpdateCaseDetailsDto,
} from './cases.dto';
import { assertVersion } from './domain/concurrency';
import { REVIEW_SERIES_OF_STATUS } from './domain/review-rules';
import { allowedVisitTypes, childrenSeenOn, countsAsStatutoryVisit, nextVisitDeadline, VisitScheduleFacts } from './domain/visit-rules';
import { ObligationBook } from './obligations';
import { ReviewsService } from './reviews.service';

const MAX_PAGE_SIZE = 100;
/** Postgres's name for the UNIQUE (council_id, case_reference) constraint of migration 1764100000100. */
const CASE_REFERENCE_UNIQUE = 'cases_council_id_case_reference_key';

function isViolationOf(error: unknown, constraint: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } })?.driverError;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}

const DEFAULT_PAGE_SIZE = 25;

function childProblems(child: NewChildDto, prefix: string): FieldProblem[] {
  const given = [child.dateOfBirth, child.expectedDateOfBirth].filter((d) => d !== undefined).length;
  return given === 1 ? [] : [{ field: `${prefix}dateOfBirth`, message: 'give dateOfBirth, or expectedDateOfBirth for an unborn child (exactly one)' }];
}

@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly store: CaseStore,
    private readonly obligations: ObligationBook,
    private readonly reviews: ReviewsService,
  ) {}

  async open(input: OpenCaseDto, actor: Actor) {
    assertNoFieldProblems([notFuture('openedOn', input.openedOn, this.store.today()), ...input.children.flatMap((child, i) => childProblems(child, `children.${i}.`))]);
    const caseId = randomUUID();
    const referenceTaken = () => new ConflictException(`case reference ${input.caseReference} is already used in council ${input.councilId}`);
    return this.unitOfWork.run(async (manager) => {
      const [existing] = await manager.query('SELECT id FROM cases WHERE council_id = $1 AND case_reference = $2', [input.councilId, input.caseReference]);
      if (existing) throw referenceTaken();
      await manager.query(
        `INSERT INTO cases (id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_lead_id, legal_status, opened_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [caseId, input.councilId, input.caseReference, input.teamId, input.allocatedWorkerId, input.teamManagerId ?? null, input.legalLeadId ?? null, input.legalStatus, input.openedOn],
      );
      await manager.query(`INSERT INTO legal_statuses (id, case_id, legal_status, start_date) VALUES ($1, $2, $3, $4)`, [randomUUID(), caseId, input.legalStatus, input.openedOn]);
      await manager.query(`INSERT INTO allocations (id, case_id, team_id, worker_id, team_manager_id, start_date) VALUES ($1, $2, $3, $4, $5, $6)`, [
        randomUUID(),
        caseId,
        input.teamId,
        input.allocatedWorkerId,
        input.teamManagerId ?? null,
        input.openedOn,
      ]);
      const childIds: string[] = [];
      for (const child of input.children) childIds.push(await this.insertChild(manager, caseId, child, input.openedOn));
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
      const row = await this.store.load(manager, caseId);
      const events: PendingEvent[] = [[EventTypes.caseOpened, opened]];
      for (const childId of childIds) {
        events.push(...(await this.scheduleVisit(manager, row, childId, { legalStatus: row.legal_status, countFrom: parseLocalDate(input.openedOn) })));
      }
      // Reg 33(1): the first looked-after review is due 20 working days after the child became looked after.
      if (input.legalStatus === 'looked-after') events.push(...(await this.reviews.scheduleInSeries(manager, row, 'lac-review', 1, input.openedOn)).events);
      await this.store.emit(manager, caseId, actor, events);
      return this.view(manager, caseId);
    }).catch((error: unknown) => {
      // Two opens of one reference at once both pass the check above; the unique index stops the second.
      throw isViolationOf(error, CASE_REFERENCE_UNIQUE) ? referenceTaken() : error;
    });
  }

  async get(caseId: string) {
    return this.view(this.dataSource.manager, caseId);
  }

  /** One call for "my team's cases with what is overdue": filters, a page of cases, each with its overdue obligations. */
  async list(query: ListCasesQuery, principal: Principal) {
    const today = this.store.today();
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const state = query.state ?? 'open';
    return this.unitOfWork.run(async (manager) => {
      const where = `c.council_id = $1 AND ($2::text IS NULL OR c.team_id = $2) AND ($3::text IS NULL OR c.allocated_worker_id = $3)
        AND ($4::text IS NULL OR c.legal_status = $4)
        AND ($5::text = 'all' OR ($5 = 'open') = (c.closed_on IS NULL))
        AND ($6::boolean IS NULL OR $6 = EXISTS (SELECT 1 FROM obligations o WHERE o.case_id = c.id AND o.status = 'open' AND o.due_date < $7::date))`;
      const overdue = query.overdue === undefined ? null : query.overdue === 'true';
      const parameters: unknown[] = [query.councilId, query.teamId ?? null, query.workerId ?? null, query.legalStatus ?? null, state, overdue, today];
      // Only what the caller may see is counted and listed: the filter runs in the database.
      const visible = caseVisibilitySql(
        principal,
        { councilId: 'c.council_id', teamId: 'c.team_id', allocatedWorkerId: 'c.allocated_worker_id', inPlo: "(c.legal_status = 'plo')" },
        parameters,
      );
      const filter = `${where} AND ${visible}`;
      const [{ total }] = await manager.query(`SELECT count(*)::int AS total FROM cases c WHERE ${filter}`, parameters);
      const items: Record<string, unknown>[] = await manager.query(
        `SELECT c.id, c.case_reference AS "caseReference", c.team_id AS "teamId", c.allocated_worker_id AS "allocatedWorkerId",
                c.team_manager_id AS "teamManagerId", c.legal_status AS "legalStatus", to_char(c.opened_on, 'YYYY-MM-DD') AS "openedOn",
                to_char(c.closed_on, 'YYYY-MM-DD') AS "closedOn", c.version
           FROM cases c WHERE ${filter} ORDER BY c.case_reference LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
        [...parameters, pageSize, (page - 1) * pageSize],
      );
      const due: { caseId: string; id: string; kind: string; childId: string | null; dueDate: string; explanation: string }[] = items.length
        ? await manager.query(
            `SELECT case_id AS "caseId", id, kind, child_id AS "childId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation
               FROM obligations WHERE case_id = ANY($1) AND status = 'open' ORDER BY due_date`,
            [items.map((item) => item.id)],
          )
        : [];
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
    });
  }

  async updateDetails(caseId: string, input: UpdateCaseDetailsDto, ifMatch: string | undefined, actor: Actor) {
    assertNoFieldProblems([
      input.teamManagerId === undefined && input.legalLeadId === undefined && { field: 'teamManagerId', message: 'give teamManagerId and/or legalLeadId' },
    ]);
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: true });
      await manager.query(`UPDATE cases SET team_manager_id = COALESCE($2, team_manager_id), legal_lead_id = COALESCE($3, legal_lead_id) WHERE id = $1`, [
        caseId,
        input.teamManagerId ?? null,
        input.legalLeadId ?? null,
      ]);
      if (input.teamManagerId) await manager.query(`UPDATE allocations SET team_manager_id = $2 WHERE case_id = $1 AND end_date IS NULL`, [caseId, input.teamManagerId]);
      const changed: CaseDetailsChangedV1 = { caseId, ...input };
      await this.store.commitChange(manager, row, actor, [[EventTypes.caseDetailsChanged, changed]]);
      return this.view(manager, caseId);
    });
  }

  /** Re-allocation closes the current allocation and opens a new one: the history is kept, never overwritten. */
  async allocate(caseId: string, input: AllocateCaseDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: true });
      const [current] = await manager.query(`SELECT to_char(start_date, 'YYYY-MM-DD') AS start FROM allocations WHERE case_id = $1 AND end_date IS NULL`, [caseId]);
      assertNoFieldProblems([notFuture('allocatedOn', input.allocatedOn, this.store.today()), notBefore('allocatedOn', input.allocatedOn, current.start, 'the current allocation began')]);
      const teamManagerId = input.teamManagerId ?? row.team_manager_id;
      if (input.teamId === row.team_id && input.allocatedWorkerId === row.allocated_worker_id && teamManagerId === row.team_manager_id) {
        throw new ConflictException(`case ${caseId} is already allocated to ${row.allocated_worker_id} in team ${row.team_id}`);
      }
      await manager.query(`UPDATE allocations SET end_date = $2 WHERE case_id = $1 AND end_date IS NULL`, [caseId, input.allocatedOn]);
      await manager.query(`INSERT INTO allocations (id, case_id, team_id, worker_id, team_manager_id, start_date, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        randomUUID(),
        caseId,
        input.teamId,
        input.allocatedWorkerId,
        teamManagerId,
        input.allocatedOn,
        input.reason ?? null,
      ]);
      await manager.query(`UPDATE cases SET team_id = $2, allocated_worker_id = $3, team_manager_id = $4 WHERE id = $1`, [caseId, input.teamId, input.allocatedWorkerId, teamManagerId]);
      const allocated: CaseAllocatedV1 = {
        caseId,
        teamId: input.teamId,
        allocatedWorkerId: input.allocatedWorkerId,
        ...(teamManagerId ? { teamManagerId } : {}),
        allocatedOn: input.allocatedOn,
        previousWorkerId: row.allocated_worker_id,
        ...(input.reason ? { reason: input.reason } : {}),
      };
      await this.store.commitChange(manager, row, actor, [[EventTypes.caseAllocated, allocated]]);
      return this.view(manager, caseId);
    });
  }

  /**
   * A new legal status ends the current one, ends the reviews that belonged to it, and reschedules
   * each child's visit by the new status's rule, counted from the later of that child's last visit
   * and the new start.
   */
  async changeLegalStatus(caseId: string, input: ChangeLegalStatusDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: true });
      if (input.legalStatus === row.legal_status) throw new ConflictException(`case ${caseId} is already ${row.legal_status}`);
      assertNoFieldProblems([
        notFuture('startDate', input.startDate, this.store.today()),
        notBefore('startDate', input.startDate, await this.currentStatusStart(manager, caseId), `the current status (${row.legal_status}) began`),
        input.placement !== undefined && input.legalStatus !== 'looked-after' && { field: 'placement', message: 'a placement is recorded only for a child becoming looked after' },
        notBefore('placement.startedOn', input.placement?.startedOn, input.startDate, 'the child became looked after'),
        await this.childProblem(manager, caseId, input.placement?.childId, 'placement.childId'),
      ]);
      await manager.query(`UPDATE legal_statuses SET end_date = $2 WHERE case_id = $1 AND end_date IS NULL`, [caseId, input.startDate]);
      await manager.query(`INSERT INTO legal_statuses (id, case_id, legal_status, start_date) VALUES ($1, $2, $3, $4)`, [randomUUID(), caseId, input.legalStatus, input.startDate]);
      await manager.query(`UPDATE cases SET legal_status = $2 WHERE id = $1`, [caseId, input.legalStatus]);
      const changed: LegalStatusChangedV1 = { caseId, previousStatus: row.legal_status, legalStatus: input.legalStatus, startDate: input.startDate };
      const events: PendingEvent[] = [[EventTypes.legalStatusChanged, changed]];
      const reason = `legal status changed from ${row.legal_status} to ${input.legalStatus}`;
      const endedSeries = REVIEW_SERIES_OF_STATUS[row.legal_status];
      if (endedSeries) events.push(...(await this.reviews.cancelSeries(manager, caseId, reason, endedSeries)));
      if (input.placement) events.push(await this.insertPlacement(manager, caseId, input.placement));
      const updated = { ...row, legal_status: input.legalStatus };
      events.push(...(await this.obligations.cancel(manager, caseId, reason, { kind: 'visit' })));
      for (const childId of await this.childIds(manager, caseId)) {
        events.push(...(await this.scheduleVisit(manager, updated, childId, await this.visitFacts(manager, updated, childId, input.startDate))));
      }
      if (input.legalStatus === 'looked-after') events.push(...(await this.reviews.scheduleInSeries(manager, updated, 'lac-review', 1, input.startDate)).events);
      await this.store.commitChange(manager, row, actor, events);
      return this.view(manager, caseId);
    });
  }

  async addChild(caseId: string, input: NewChildDto, ifMatch: string | undefined, actor: Actor) {
    assertNoFieldProblems(childProblems(input, ''));
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: false });
      // A case-wide obligation's due date is not the new child's: it is shared out among those already on the case.
      const adopted = await this.adoptCaseWideVisits(manager, row);
      const today = this.store.today();
      const childId = await this.insertChild(manager, caseId, input, today);
      const added: ChildAddedV1 = {
        caseId,
        childId,
        ...(input.dateOfBirth ? { dateOfBirth: input.dateOfBirth } : {}),
        ...(input.expectedDateOfBirth ? { expectedDateOfBirth: input.expectedDateOfBirth } : {}),
      };
      const firstVisit = await this.scheduleVisit(manager, row, childId, await this.visitFacts(manager, row, childId, today));
      await this.store.commitChange(manager, row, actor, [[EventTypes.childAdded, added], ...adopted, ...firstVisit]);
      return { childId, ...(await this.view(manager, caseId)) };
    });
  }

  async listChildren(caseId: string) {
    return this.unitOfWork.run(async (manager) => {
      await this.store.load(manager, caseId);
      return this.children(manager, caseId);
    });
  }

  /** A new placement of a looked-after child: the next statutory visit is due within a week of it (reg 28(2)(a)). */
  async startPlacement(caseId: string, input: PlacementDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: false });
      if (row.legal_status !== 'looked-after') throw new ConflictException(`case ${caseId} is ${row.legal_status}; placements are recorded for looked-after children`);
      assertNoFieldProblems([
        notFuture('startedOn', input.startedOn, this.store.today()),
        notBefore('startedOn', input.startedOn, (await this.currentStatusStart(manager, caseId)), 'the child became looked after'),
        await this.childProblem(manager, caseId, input.childId, 'childId'),
      ]);
      const events: PendingEvent[] = [await this.insertPlacement(manager, caseId, input), ...(await this.adoptCaseWideVisits(manager, row))];
      // A placement of one sibling moves only that child's visits; one recorded for the case moves every child's.
      for (const childId of input.childId ? [input.childId] : await this.childIds(manager, caseId)) {
        events.push(...(await this.obligations.cancel(manager, caseId, 'a new placement started', { kind: 'visit', childId })));
        events.push(...(await this.scheduleVisit(manager, row, childId, await this.visitFacts(manager, row, childId, row.opened_on))));
      }
      await this.store.commitChange(manager, row, actor, events);
      return this.view(manager, caseId);
    });
  }

  /**
   * Recording a visit (possibly days after it happened) meets the open visit obligation of each child
   * seen and schedules that child's next one from the date of the visit, not the date it was typed
   * in; siblings not seen still owe theirs. For a child whose later visit is already recorded, the
   * visit is history being filled in: it changes none of that child's obligations.
   */
  async recordVisit(caseId: string, input: RecordVisitDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.lockOpenCase(manager, caseId, { ifMatch, versionRequired: false });
      const allowed = allowedVisitTypes(row.legal_status);
      const attendance = childrenSeenOn(input, await this.childIds(manager, caseId));
      assertNoFieldProblems([
        notFuture('visitedOn', input.visitedOn, this.store.today()),
        notBefore('visitedOn', input.visitedOn, row.opened_on, 'the case opened'),
        !allowed.includes(input.visitType) && { field: 'visitType', message: `visitType for a ${row.legal_status} case must be one of ${allowed.join(', ')}` },
        input.purpose === 'other' && !input.purposeDetail?.trim() && { field: 'purposeDetail', message: "purposeDetail must say what the visit was for when purpose is 'other'" },
        await this.childProblem(manager, caseId, input.childId, 'childId'),
        ...attendance.problems,
      ]);
      const seen = attendance.seen;
      const statutory = countsAsStatutoryVisit(row.legal_status, input.visitType, seen.length > 0);
      const previousVisits: { childId: string; last: string | null }[] = await manager.query(
        `SELECT c.id AS "childId", to_char(max(v.visited_on), 'YYYY-MM-DD') AS last
           FROM unnest($2::uuid[]) AS c(id) LEFT JOIN visits v ON v.case_id = $1 AND v.counts_as_statutory AND c.id = ANY(v.children_seen)
          GROUP BY c.id`,
        [caseId, seen],
      );
      const events: PendingEvent[] = await this.adoptCaseWideVisits(manager, row);
      const visitId = randomUUID();
      await manager.query(
        `INSERT INTO visits (id, case_id, visited_on, visit_type, visitor_id, child_seen, seen_alone, bedroom_seen, purpose, purpose_detail, counts_as_statutory, child_id, children_seen)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [visitId, caseId, input.visitedOn, input.visitType, input.visitorId, seen.length > 0, input.seenAlone, input.bedroomSeen, input.purpose, input.purposeDetail ?? null, statutory, input.childId ?? null, seen],
      );
      const visit: VisitRecordedV1 = {
        caseId,
        visitId,
        visitedOn: input.visitedOn,
        visitType: input.visitType,
        childSeen: seen.length > 0,
        seenAlone: input.seenAlone,
        bedroomSeen: input.bedroomSeen,
        purpose: input.purpose,
        countsAsStatutory: statutory,
        childrenSeen: seen,
      };
      events.push([EventTypes.visitRecorded, visit]);
      const open = (await this.obligations.open(manager, caseId)).filter((o) => o.kind === 'visit');
      for (const childId of seen) {
        const last = previousVisits.find((p) => p.childId === childId)?.last ?? null;
        if (!statutory || (last !== null && input.visitedOn < last)) continue;
        for (const obligation of open.filter((o) => o.childId === childId)) events.push(...(await this.obligations.satisfy(manager, caseId, obligation.id, input.visitedOn)));
        events.push(...(await this.scheduleVisit(manager, row, childId, await this.visitFacts(manager, row, childId, input.visitedOn))));
      }
      await this.store.commitChange(manager, row, actor, events);
      return { visitId, countsAsStatutory: statutory, childrenSeen: seen, ...(await this.view(manager, caseId)) };
    });
  }

  async listVisits(caseId: string) {
    return this.unitOfWork.run(async (manager) => {
      await this.store.load(manager, caseId);
      return manager.query(
        `SELECT id, child_id AS "childId", to_char(visited_on, 'YYYY-MM-DD') AS "visitedOn", visit_type AS "visitType", visitor_id AS "visitorId", child_seen AS "childSeen",
                seen_alone AS "seenAlone", bedroom_seen AS "bedroomSeen", purpose, purpose_detail AS "purposeDetail", counts_as_statutory AS "countsAsStatutory",
                children_seen AS "childrenSeen"
           FROM visits WHERE case_id = $1 ORDER BY visited_on DESC, recorded_at DESC`,
        [caseId],
      );
    });
  }

  /** Closing a case ends every obligation it still has open, its reviews, its legal status and its allocation. */
  async close(caseId: string, input: CloseCaseDto, ifMatch: string | undefined, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.store.load(manager, caseId, true);
      if (row.closed_on) throw new ConflictException(`case ${caseId} is already closed (since ${row.closed_on})`);
      assertVersion({ what: `case ${caseId}`, currentVersion: row.version, ifMatch, required: false });
      assertNoFieldProblems([notFuture('closedOn', input.closedOn, this.store.today()), notBefore('closedOn', input.closedOn, row.opened_on, 'the case opened')]);
      await manager.query('UPDATE cases SET closed_on = $2, closure_reason = $3 WHERE id = $1', [caseId, input.closedOn, input.reason]);
      await manager.query('UPDATE legal_statuses SET end_date = $2 WHERE case_id = $1 AND end_date IS NULL', [caseId, input.closedOn]);
      await manager.query('UPDATE allocations SET end_date = $2 WHERE case_id = $1 AND end_date IS NULL', [caseId, input.closedOn]);
      const events = await this.reviews.cancelSeries(manager, caseId, 'case closed');
      events.push(...(await this.obligations.cancel(manager, caseId, 'case closed')));
      const closed: CaseClosedV1 = { caseId, closedOn: input.closedOn, reason: input.reason };
      await this.store.commitChange(manager, row, actor, [...events, [EventTypes.caseClosed, closed]]);
      return this.view(manager, caseId);
    });
  }

  private async currentStatusStart(manager: EntityManager, caseId: string): Promise<string> {
    const [current] = await manager.query(`SELECT to_char(start_date, 'YYYY-MM-DD') AS start FROM legal_statuses WHERE case_id = $1 AND end_date IS NULL`, [caseId]);
    return current.start;
  }

  private async insertChild(manager: EntityManager, caseId: string, child: NewChildDto, addedOn: string): Promise<string> {
    const childId = randomUUID();
    await manager.query(
      `INSERT INTO children (id, case_id, first_name, last_name, date_of_birth, expected_date_of_birth, sex, identifiers, added_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [childId, caseId, child.firstName, child.lastName, child.dateOfBirth ?? null, child.expectedDateOfBirth ?? null, child.sex, JSON.stringify(child.identifiers ?? []), addedOn],
    );
    return childId;
  }

  private async insertPlacement(manager: EntityManager, caseId: string, placement: PlacementDto): Promise<PendingEvent> {
    const placementId = randomUUID();
    await manager.query(`INSERT INTO placements (id, case_id, child_id, started_on, intended_until_18) VALUES ($1, $2, $3, $4, $5)`, [
      placementId,
      caseId,
      placement.childId ?? null,
      placement.startedOn,
      placement.intendedToLastUntil18,
    ]);
    const started: PlacementStartedV1 = {
      caseId,
      placementId,
      ...(placement.childId ? { childId: placement.childId } : {}),
      startedOn: placement.startedOn,
      intendedToLastUntil18: placement.intendedToLastUntil18,
    };
    return [EventTypes.placementStarted, started];
  }

  private async childProblem(manager: EntityManager, caseId: string, childId: string | undefined, field: string): Promise<FieldProblem | undefined> {
    if (childId === undefined) return undefined;
    const [child] = await manager.query('SELECT 1 FROM children WHERE case_id = $1 AND id = $2', [caseId, childId]);
    return child ? undefined : { field, message: `${field} ${childId} is not a child on case ${caseId}` };
  }

  /** The case's children, in the order the case lists them. */
  private async childIds(manager: EntityManager, caseId: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query('SELECT id FROM children WHERE case_id = $1 ORDER BY last_name, first_name, id', [caseId]);
    return rows.map((r) => r.id);
  }

  /**
   * What a child's next visit is counted from: the child's last statutory visit (or, before any,
   * the day the child joined the case), not before `notBefore`; for a looked-after child, the
   * child's current placement, or a placement recorded for the whole case since the child joined.
   */
  private async visitFacts(manager: EntityManager, row: CaseRow, childId: string, notBefore: string): Promise<VisitScheduleFacts> {
    const [child] = await manager.query(
      `SELECT to_char(COALESCE(c.added_on, $2::date), 'YYYY-MM-DD') AS since,
              (SELECT to_char(max(v.visited_on), 'YYYY-MM-DD') FROM visits v WHERE v.case_id = c.case_id AND v.counts_as_statutory AND c.id = ANY(v.children_seen)) AS last
         FROM children c WHERE c.id = $1`,
      [childId, row.opened_on],
    );
    const countFrom = laterOf(parseLocalDate(child.last ?? child.since), parseLocalDate(notBefore));
    if (row.legal_status !== 'looked-after') return { legalStatus: row.legal_status, countFrom };
    const [placement] = await manager.query(
      `SELECT to_char(p.started_on, 'YYYY-MM-DD') AS started_on, p.intended_until_18,
              (SELECT to_char(max(v.visited_on), 'YYYY-MM-DD') FROM visits v
                WHERE v.case_id = p.case_id AND v.counts_as_statutory AND $2 = ANY(v.children_seen) AND v.visited_on >= p.started_on) AS last_visit
         FROM placements p
        WHERE p.case_id = $1 AND p.started_on >= (SELECT start_date FROM legal_statuses s WHERE s.case_id = p.case_id AND s.end_date IS NULL)
          AND (p.child_id = $2 OR (p.child_id IS NULL AND p.started_on >= $3::date))
        ORDER BY p.started_on DESC, p.recorded_at DESC LIMIT 1`,
      [row.id, childId, child.since],
    );
    if (!placement) return { legalStatus: row.legal_status, countFrom };
    return {
      legalStatus: row.legal_status,
      countFrom,
      placement: {
        startedOn: parseLocalDate(placement.started_on),
        intendedToLastUntil18: placement.intended_until_18,
        ...(placement.last_visit ? { lastVisitInPlacement: parseLocalDate(placement.last_visit) } : {}),
      },
    };
  }

  private async scheduleVisit(manager: EntityManager, row: CaseRow, childId: string, facts: VisitScheduleFacts): Promise<PendingEvent[]> {
    const deadline = nextVisitDeadline(facts, await this.store.rulesFor(manager, row.council_id));
    return [(await this.obligations.schedule(manager, row, { kind: 'visit', due: deadline, childId })).event];
  }

  /**
   * Visit obligations made before visits were owed per child (child_id NULL) are shared out the
   * first time the case's visits change: the first child without one takes it over (same id and due
   * date, announced again with the child), every other such child gets one with the same due date,
   * and any left over end. Done here rather than in the migration so every step is an event.
   */
  private async adoptCaseWideVisits(manager: EntityManager, row: CaseRow): Promise<PendingEvent[]> {
    const visits = (await this.obligations.open(manager, row.id)).filter((o) => o.kind === 'visit');
    const [template, ...surplus] = visits.filter((o) => o.childId === null);
    if (!template) return [];
    const due = { ruleId: template.ruleId, dueDate: template.dueDate, explanation: template.explanation };
    const uncovered = (await this.childIds(manager, row.id)).filter((childId) => !visits.some((o) => o.childId === childId));
    const events: PendingEvent[] = [];
    for (const [i, childId] of uncovered.entries()) {
      if (i === 0) events.push(...(await this.obligations.assignChild(manager, row, template.id, { kind: 'visit', due, childId })));
      else events.push((await this.obligations.schedule(manager, row, { kind: 'visit', due, childId })).event);
    }
    const replaced = uncovered.length === 0 ? [template, ...surplus] : surplus;
    for (const { id } of replaced) events.push(...(await this.obligations.cancel(manager, row.id, 'replaced by per-child visit obligations', { id })));
    return events;
  }

  private children(manager: EntityManager, caseId: string) {
    return manager.query(
      `SELECT id, first_name AS "firstName", last_name AS "lastName", to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
              to_char(expected_date_of_birth, 'YYYY-MM-DD') AS "expectedDateOfBirth", sex, identifiers
         FROM children WHERE case_id = $1 ORDER BY last_name, first_name`,
      [caseId],
    );
  }

  async view(manager: EntityManager, caseId: string) {
    const [row] = await manager.query(CASE_RECORD_SQL, [caseId]);
    return caseRecordView(row, caseId, this.store.today());
  }
}
