import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  Actor,
  CaseClosedV1,
  CaseOpenedV1,
  createEnvelope,
  EventEnvelope,
  EventTypes,
  LegalStatus,
  ObligationCancelledV1,
  ObligationSatisfiedV1,
  ObligationScheduledV1,
  Topics,
  VisitRecordedV1,
} from '@plo/contracts';
import { OutboxWriter, UnitOfWork } from '@plo/messaging';
import { currentContext, returningRows } from '@plo/platform';
import { CloseCaseDto, OpenCaseDto, RecordVisitDto } from './cases.dto';
import { RulePack } from '@plo/timescales';
import { nextVisitDeadline } from './visit-schedule';

const SOURCE = 'urn:plo:cases';
// Per-council local rules arrive with the council settings; until then every council gets the defaults.
const RULES = RulePack.standard();

interface CaseRow {
  id: string;
  council_id: string;
  case_reference: string;
  team_id: string;
  allocated_worker_id: string;
  team_manager_id: string | null;
  legal_status: LegalStatus;
  opened_on: string;
  closed_on: string | null;
  closure_reason: string | null;
  version: number;
}

@Injectable()
export class CasesService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: OutboxWriter,
  ) {}

  async open(input: OpenCaseDto, actor: Actor) {
    const caseId = randomUUID();
    return this.unitOfWork.run(async (manager) => {
      const [existing] = await manager.query('SELECT id FROM cases WHERE council_id = $1 AND case_reference = $2', [input.councilId, input.caseReference]);
      if (existing) throw new ConflictException(`case reference ${input.caseReference} is already used in council ${input.councilId}`);
      await manager.query(
        `INSERT INTO cases (id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_status, opened_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [caseId, input.councilId, input.caseReference, input.teamId, input.allocatedWorkerId, input.teamManagerId ?? null, input.legalStatus, input.openedOn],
      );
      for (const child of input.children) {
        await manager.query(
          `INSERT INTO children (id, case_id, first_name, last_name, date_of_birth, expected_date_of_birth, sex) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [randomUUID(), caseId, child.firstName, child.lastName, child.dateOfBirth ?? null, child.expectedDateOfBirth ?? null, child.sex],
        );
      }
      const opened: CaseOpenedV1 = {
        caseId,
        councilId: input.councilId,
        caseReference: input.caseReference,
        teamId: input.teamId,
        allocatedWorkerId: input.allocatedWorkerId,
        ...(input.teamManagerId ? { teamManagerId: input.teamManagerId } : {}),
        legalStatus: input.legalStatus,
        openedOn: input.openedOn,
      };
      const row = await this.load(manager, caseId);
      const firstVisit = await this.scheduleVisit(manager, row, input.openedOn);
      await this.emit(manager, caseId, actor, [
        [EventTypes.caseOpened, opened],
        [EventTypes.obligationScheduled, firstVisit],
      ]);
      return this.view(manager, caseId);
    });
  }

  async get(caseId: string) {
    return this.unitOfWork.run((manager) => this.view(manager, caseId));
  }

  /**
   * Recording a visit (possibly days after it happened) meets the open visit obligation and
   * schedules the next one from the date of the visit, not the date it was typed in.
   */
  async recordVisit(caseId: string, input: RecordVisitDto, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.load(manager, caseId, true);
      if (row.closed_on) throw new ConflictException(`case ${caseId} is closed`);
      const visitId = randomUUID();
      await manager.query(
        `INSERT INTO visits (id, case_id, visited_on, visit_type, visitor_id, child_seen, seen_alone, bedroom_seen, purpose, purpose_detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [visitId, caseId, input.visitedOn, input.visitType, input.visitorId, input.childSeen, input.seenAlone, input.bedroomSeen, input.purpose, input.purposeDetail ?? null],
      );
      const visit: VisitRecordedV1 = {
        caseId,
        visitId,
        visitedOn: input.visitedOn,
        visitType: input.visitType,
        childSeen: input.childSeen,
        seenAlone: input.seenAlone,
        bedroomSeen: input.bedroomSeen,
        purpose: input.purpose,
      };
      const events: [string, object][] = [[EventTypes.visitRecorded, visit]];
      const satisfied = await returningRows<{ id: string }>(
        manager,
        `UPDATE obligations SET status = 'satisfied', satisfied_on = $2 WHERE case_id = $1 AND kind = 'visit' AND status = 'open' RETURNING id`,
        [caseId, input.visitedOn],
      );
      for (const { id } of satisfied) {
        events.push([EventTypes.obligationSatisfied, { obligationId: id, caseId, satisfiedOn: input.visitedOn } satisfies ObligationSatisfiedV1]);
      }
      events.push([EventTypes.obligationScheduled, await this.scheduleVisit(manager, row, input.visitedOn)]);
      await manager.query('UPDATE cases SET version = version + 1 WHERE id = $1', [caseId]);
      await this.emit(manager, caseId, actor, events);
      return { visitId, ...(await this.view(manager, caseId)) };
    });
  }

  /** Closing a case ends every obligation it still has open. */
  async close(caseId: string, input: CloseCaseDto, actor: Actor) {
    return this.unitOfWork.run(async (manager) => {
      const row = await this.load(manager, caseId, true);
      if (row.closed_on) throw new ConflictException(`case ${caseId} is already closed`);
      await manager.query('UPDATE cases SET closed_on = $2, closure_reason = $3, version = version + 1 WHERE id = $1', [caseId, input.closedOn, input.reason]);
      const cancelled = await returningRows<{ id: string }>(manager, `UPDATE obligations SET status = 'cancelled' WHERE case_id = $1 AND status = 'open' RETURNING id`, [caseId]);
      const closed: CaseClosedV1 = { caseId, closedOn: input.closedOn, reason: input.reason };
      await this.emit(manager, caseId, actor, [
        ...cancelled.map(({ id }): [string, object] => [EventTypes.obligationCancelled, { obligationId: id, caseId, reason: 'case closed' } satisfies ObligationCancelledV1]),
        [EventTypes.caseClosed, closed],
      ]);
      return this.view(manager, caseId);
    });
  }

  private async scheduleVisit(manager: EntityManager, row: CaseRow, from: string): Promise<ObligationScheduledV1> {
    const deadline = nextVisitDeadline(row.legal_status, from, RULES);
    const obligationId = randomUUID();
    await manager.query(
      `INSERT INTO obligations (id, case_id, kind, rule_id, due_date, explanation, status) VALUES ($1, $2, 'visit', $3, $4, $5, 'open')`,
      [obligationId, row.id, deadline.ruleId, deadline.dueDate, deadline.explanation],
    );
    return {
      obligationId,
      caseId: row.id,
      councilId: row.council_id,
      kind: 'visit',
      ruleId: deadline.ruleId,
      dueDate: deadline.dueDate,
      explanation: deadline.explanation,
      responsible: { teamId: row.team_id, workerId: row.allocated_worker_id },
    };
  }

  private async emit(manager: EntityManager, caseId: string, actor: Actor, events: [string, object][]) {
    const context = currentContext();
    const metadata = { correlationId: context?.correlationId ?? randomUUID(), causationId: context?.causationId, actor };
    const envelopes: EventEnvelope[] = events.map(([type, data]) => createEnvelope(SOURCE, type, caseId, data, metadata));
    await this.outbox.publish(manager, Topics.caseEvents, envelopes);
  }

  private async load(manager: EntityManager, caseId: string, forUpdate = false): Promise<CaseRow> {
    const [row]: CaseRow[] = await manager.query(
      `SELECT id, council_id, case_reference, team_id, allocated_worker_id, team_manager_id, legal_status,
              to_char(opened_on, 'YYYY-MM-DD') AS opened_on, to_char(closed_on, 'YYYY-MM-DD') AS closed_on, closure_reason, version
         FROM cases WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [caseId],
    );
    if (!row) throw new NotFoundException(`case ${caseId} does not exist`);
    return row;
  }

  private async view(manager: EntityManager, caseId: string) {
    const row = await this.load(manager, caseId);
    const children = await manager.query(
      `SELECT id, first_name AS "firstName", last_name AS "lastName", to_char(date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth",
              to_char(expected_date_of_birth, 'YYYY-MM-DD') AS "expectedDateOfBirth", sex FROM children WHERE case_id = $1 ORDER BY last_name, first_name`,
      [caseId],
    );
    const obligations = await manager.query(
      `SELECT id, kind, rule_id AS "ruleId", to_char(due_date, 'YYYY-MM-DD') AS "dueDate", explanation, status,
              to_char(satisfied_on, 'YYYY-MM-DD') AS "satisfiedOn" FROM obligations WHERE case_id = $1 ORDER BY due_date, created_at`,
      [caseId],
    );
    return {
      id: row.id,
      councilId: row.council_id,
      caseReference: row.case_reference,
      teamId: row.team_id,
      allocatedWorkerId: row.allocated_worker_id,
      teamManagerId: row.team_manager_id,
      legalStatus: row.legal_status,
      openedOn: row.opened_on,
      closedOn: row.closed_on,
      closureReason: row.closure_reason,
      version: row.version,
      children,
      obligations,
    };
  }
}
