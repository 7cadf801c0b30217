import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  Actor,
  CaseClosedV1,
  CaseOpenedV1,
  ChildClock,
  createEnvelope,
  EventTypes,
  ObligationScheduledV1,
  ProceedingsIssuedV1,
  Topics,
} from '@plo/contracts';
import { OutboxWriter, UnitOfWork } from '@plo/messaging';
import { currentContext } from '@plo/platform';
import { computeDeadline, parseLocalDate, RulePack } from '@plo/timescales';
import { IssueProceedingsDto } from './proceedings.dto';

const SOURCE = 'urn:plo:proceedings';
const RULES = RulePack.standard();

@Injectable()
export class ProceedingsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: OutboxWriter,
  ) {}

  async rememberCase(manager: EntityManager, data: CaseOpenedV1) {
    await manager.query(
      `INSERT INTO known_cases (case_id, council_id, case_reference, team_id, allocated_worker_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (case_id) DO NOTHING`,
      [data.caseId, data.councilId, data.caseReference, data.teamId, data.allocatedWorkerId],
    );
  }

  async forgetClosedCase(manager: EntityManager, data: CaseClosedV1) {
    await manager.query('UPDATE known_cases SET closed_on = $2 WHERE case_id = $1', [data.caseId, data.closedOn]);
  }

  /** Issue starts one 26-week clock per child; the case's completion date is the latest of them. */
  async issue(input: IssueProceedingsDto, actor: Actor) {
    if (input.submittedOn > input.issuedOn) throw new BadRequestException({ statusCode: 400, message: 'validation failed', fields: [{ field: 'submittedOn', messages: ['submittedOn must not be after issuedOn'] }] });
    return this.unitOfWork.run(async (manager) => {
      const [knownCase] = await manager.query('SELECT case_id, council_id, team_id, allocated_worker_id, closed_on FROM known_cases WHERE case_id = $1', [input.caseId]);
      if (!knownCase) throw new NotFoundException(`case ${input.caseId} is not known to the PLO service (yet)`);
      if (knownCase.closed_on) throw new ConflictException(`case ${input.caseId} is closed`);
      const [duplicate] = await manager.query('SELECT id FROM proceedings WHERE court_case_number = $1', [input.courtCaseNumber]);
      if (duplicate) throw new ConflictException(`court case number ${input.courtCaseNumber} is already recorded`);

      const proceedingsId = randomUUID();
      await manager.query(
        'INSERT INTO proceedings (id, case_id, court, court_case_number, issued_on, submitted_on) VALUES ($1, $2, $3, $4, $5, $6)',
        [proceedingsId, input.caseId, input.court, input.courtCaseNumber, input.issuedOn, input.submittedOn],
      );
      const limit = computeDeadline('proceedings-26-week-limit', parseLocalDate(input.issuedOn), RULES);
      const hmctsDisplay = computeDeadline('proceedings-26-week-hmcts-date', parseLocalDate(input.submittedOn), RULES);
      const children: ChildClock[] = [];
      const obligations: ObligationScheduledV1[] = [];
      for (const childId of [...new Set(input.childIds)]) {
        const obligationId = randomUUID();
        await manager.query(
          'INSERT INTO child_clocks (proceedings_id, child_id, obligation_id, completion_date, hmcts_display_date) VALUES ($1, $2, $3, $4, $5)',
          [proceedingsId, childId, obligationId, limit.dueDate, hmctsDisplay.dueDate],
        );
        children.push({ childId, completionDate: limit.dueDate, hmctsDisplayDate: hmctsDisplay.dueDate });
        obligations.push({
          obligationId,
          caseId: input.caseId,
          councilId: knownCase.council_id,
          childId,
          kind: 'proceedings-completion',
          ruleId: limit.ruleId,
          dueDate: limit.dueDate,
          explanation: limit.explanation,
          responsible: { teamId: knownCase.team_id, workerId: knownCase.allocated_worker_id },
        });
      }
      const issued: ProceedingsIssuedV1 = {
        caseId: input.caseId,
        proceedingsId,
        court: input.court,
        courtCaseNumber: input.courtCaseNumber,
        issuedOn: input.issuedOn,
        submittedOn: input.submittedOn,
        children,
        caseCompletionDate: children.map((child) => child.completionDate).sort().at(-1)!,
      };
      const context = currentContext();
      const metadata = { correlationId: context?.correlationId ?? randomUUID(), actor };
      await this.outbox.publish(manager, Topics.proceedingsEvents, [
        createEnvelope(SOURCE, EventTypes.proceedingsIssued, input.caseId, issued, metadata),
        ...obligations.map((obligation) => createEnvelope(SOURCE, EventTypes.obligationScheduled, input.caseId, obligation, metadata)),
      ]);
      return { ...issued, explanation: limit.explanation };
    });
  }
}
