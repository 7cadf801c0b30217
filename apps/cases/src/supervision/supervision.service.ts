import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, EventTypes, SupervisionActionDoneV1, SupervisionRecordedV1 } from '@plo/contracts';
import { Transaction, UnitOfWork } from '@plo/messaging';
import { assertNoContradictions, assertNoFieldProblems, Clock, FieldProblem, notBefore, notFuture } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { CaseChanges, UNDER_THE_CASE } from '../case/case-changes';
import { CaseStore } from '../case/case.store';
import { assessSmart } from '../domain/standards';
import { RecordSupervisionDto, SupervisionActionDoneDto, SupervisionActionDto } from './supervision.dto';
import { SupervisionSchedule } from './supervision-schedule';
import { NewSupervisionAction, SupervisionStore } from './supervision.store';
import { SupervisionView } from './supervision.views';

/**
 * Supervision on the record: who supervised whom, on which children, what was decided and what is to
 * be done, by whom, by when and how anyone will know (the SMART checks plans have). Each session meets
 * the case's supervision obligation and schedules the next.
 */
@Injectable()
export class SupervisionService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly supervisions: SupervisionStore,
    private readonly schedule: SupervisionSchedule,
    private readonly clock: Clock,
  ) {}

  async record(caseId: string, input: RecordSupervisionDto, actor: Actor): Promise<SupervisionView> {
    assertNoFieldProblems([notFuture('heldOn', input.heldOn, this.today())]);
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change, row) => {
      const ofCase = await this.cases.childIds(change, caseId);
      assertNoFieldProblems([
        ...input.childIds.map(
          (id, i) => !ofCase.includes(id) && { field: `childIds.${i}`, message: `childIds.${i} ${id} is not a child on case ${caseId}` },
        ),
        notBefore('heldOn', input.heldOn, row.opened_on, 'the case opened'),
      ]);
      assertNoContradictions(notSmart(input.actions));
      const supervisionId = randomUUID();
      const actions: NewSupervisionAction[] = input.actions.map((a, i) => ({
        id: randomUUID(),
        position: i + 1,
        description: a.description,
        ownerId: a.ownerId!,
        dueDate: a.dueDate!,
        measurableOutcome: a.measurableOutcome!,
      }));
      const workerId = input.workerId ?? row.allocated_worker_id;
      await this.supervisions.insert(
        change,
        {
          id: supervisionId,
          caseId,
          heldOn: input.heldOn,
          supervisorId: input.supervisorId,
          workerId,
          childIds: input.childIds,
          decisions: input.decisions,
          recordedBy: actor.id,
        },
        actions,
      );
      const recorded: SupervisionRecordedV1 = {
        caseId,
        supervisionId,
        heldOn: input.heldOn,
        supervisorId: input.supervisorId,
        workerId,
        childIds: input.childIds,
        decisionCount: input.decisions.length,
        actionIds: actions.map((a) => a.id),
      };
      change.emit(EventTypes.supervisionRecorded, recorded);
      await this.schedule.reconcile(change, row, 'supervision recorded', input.heldOn);
      return this.view(change, caseId, supervisionId);
    });
  }

  async actionDone(caseId: string, supervisionId: string, actionId: string, input: SupervisionActionDoneDto, actor: Actor) {
    assertNoFieldProblems([notFuture('doneOn', input.doneOn, this.today())]);
    return this.caseChanges.change(caseId, actor, UNDER_THE_CASE, async (change) => {
      const supervision = await this.view(change, caseId, supervisionId);
      const action = supervision.actions.find((a) => a.id === actionId);
      if (!action) throw new NotFoundException(`supervision ${supervisionId} has no action ${actionId}`);
      assertNoFieldProblems([notBefore('doneOn', input.doneOn, supervision.heldOn, 'the supervision that agreed it')]);
      if (await this.supervisions.markDone(change, supervisionId, actionId, input.doneOn)) {
        const done: SupervisionActionDoneV1 = { caseId, supervisionId, actionId, doneOn: input.doneOn, recordedBy: actor.id };
        change.emit(EventTypes.supervisionActionDone, done);
      }
      return this.view(change, caseId, supervisionId);
    });
  }

  async list(caseId: string): Promise<SupervisionView[]> {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.views(tx, caseId);
    });
  }

  async get(caseId: string, supervisionId: string): Promise<SupervisionView> {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.view(tx, caseId, supervisionId);
    });
  }

  private async view(tx: Transaction, caseId: string, supervisionId: string): Promise<SupervisionView> {
    const [supervision] = await this.views(tx, caseId, supervisionId);
    if (!supervision) throw new NotFoundException(`case ${caseId} has no supervision ${supervisionId}`);
    return supervision;
  }

  private async views(tx: Transaction, caseId: string, supervisionId?: string): Promise<SupervisionView[]> {
    const rows = await this.supervisions.find(tx, caseId, supervisionId);
    const actions = await this.supervisions.actions(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      ...r,
      actions: actions.filter((a) => a.supervisionId === r.id).map(({ supervisionId: _, ...a }) => a),
    }));
  }

  private today() {
    return londonDateOf(this.clock.now());
  }
}

/** Each missing owner, due date or measurable outcome, named as the request has it (actions.0.measurableOutcome). */
function notSmart(actions: readonly SupervisionActionDto[]): FieldProblem[] {
  const facts = actions.map((a, i) => ({
    id: String(i),
    position: i + 1,
    description: a.description,
    ownerId: a.ownerId ?? null,
    dueDate: a.dueDate ?? null,
    measurableOutcome: a.measurableOutcome ?? null,
  }));
  return assessSmart(facts).actionsNotSmart.flatMap((action) =>
    action.missing.map((part) => {
      const field = `actions.${action.position - 1}.${part}`;
      return { field, message: `${field} is missing: an action agreed in supervision must be SMART (owner, due date, measurable outcome)` };
    }),
  );
}
