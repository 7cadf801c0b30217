import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, CASES_OWNED_CHILD_STATUSES, EventTypes, PlacementStartedV1 } from '@plo/contracts';
import { Change } from '@plo/messaging';
import { assertNoContradictions, Clock, notBefore, notFuture } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { CaseChanges } from '../case/case-changes';
import { CaseStore } from '../case/case.store';
import { CaseRecordStore } from '../case-record/case-record.store';
import { caseRecordView } from '../case-record/case-record.view';
import { ChildStatusChanges } from './child-status-changes';
import { EndChildStatusDto, StartChildStatusDto } from './child-statuses.dto';

/** A worker recording a child's CIN, CP plan or looked-after status, or ending one. */
@Injectable()
export class ChildStatusesService {
  constructor(
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly records: CaseRecordStore,
    private readonly statuses: ChildStatusChanges,
    private readonly clock: Clock,
  ) {}

  /** `source` is 'import' when a council's history is replayed through here. */
  async start(
    caseId: string,
    childId: string,
    input: StartChildStatusDto,
    ifMatch: string | undefined,
    actor: Actor,
    source: 'recorded' | 'import' = 'recorded',
  ) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      await this.assertChild(change, caseId, childId);
      const held = (await this.statuses.history(change, childId)).find((s) => s.endDate === null && s.status === input.status);
      const lookedAfter = input.status === 'looked-after';
      if (held && (!lookedAfter || held.basis === input.basis))
        throw new ConflictException(
          `child ${childId} is already ${input.status}${held.basis ? ` (${held.basis})` : ''} since ${held.startDate}`,
        );
      assertNoContradictions([
        lookedAfter && !input.basis && { field: 'basis', message: 'basis is required for a looked-after child' },
        !lookedAfter && input.basis !== undefined && { field: 'basis', message: 'a basis is given only for a looked-after child' },
        !lookedAfter &&
          input.placement !== undefined && { field: 'placement', message: 'a placement is recorded only for a looked-after child' },
        input.placement?.childId !== undefined &&
          input.placement.childId !== childId && {
            field: 'placement.childId',
            message: `placement.childId must be ${childId} or left out`,
          },
        notFuture('startDate', input.startDate, this.today()),
        notBefore('startDate', input.startDate, held?.startDate ?? input.startDate, `the current ${input.status} status began`),
        notBefore('placement.startedOn', input.placement?.startedOn, input.startDate, 'the child became looked after'),
      ]);
      const outcome = await this.statuses.start(change, row, childId, {
        status: input.status,
        basis: input.basis ?? null,
        startDate: input.startDate,
        source,
      });
      if (input.placement) await this.startPlacement(change, caseId, childId, input.placement);
      await this.statuses.settle(change, row, [childId], input.startDate, `${input.status} started`);
      return { statusId: outcome.statusId, ...(await this.view(change, caseId)) };
    });
  }

  async end(caseId: string, childId: string, statusId: string, input: EndChildStatusDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      await this.assertChild(change, caseId, childId);
      const status = (await this.statuses.history(change, childId)).find((s) => s.id === statusId);
      if (!status) throw new NotFoundException(`child ${childId} has no status ${statusId}`);
      if (status.endDate) throw new ConflictException(`status ${statusId} (${status.status}) already ended on ${status.endDate}`);
      if (!(CASES_OWNED_CHILD_STATUSES as readonly string[]).includes(status.status))
        throw new ConflictException(`${status.status} follows the PLO service: it ends there, not here`);
      assertNoContradictions([
        notFuture('endDate', input.endDate, this.today()),
        notBefore('endDate', input.endDate, status.startDate, `the status began`),
      ]);
      await this.statuses.end(change, row, status, input.endDate, input.reason);
      await this.statuses.settle(change, row, [childId], input.endDate, input.reason);
      return { statusId, ...(await this.view(change, caseId)) };
    });
  }

  private async assertChild(change: Change, caseId: string, childId: string) {
    if (await this.cases.childProblem(change, caseId, childId, 'childId'))
      throw new NotFoundException(`case ${caseId} has no child ${childId}`);
  }

  private async startPlacement(change: Change, caseId: string, childId: string, placement: StartChildStatusDto['placement'] & object) {
    const placementId = randomUUID();
    await this.records.insertPlacement(change, caseId, placementId, { ...placement, childId });
    const started: PlacementStartedV1 = {
      caseId,
      placementId,
      childId,
      startedOn: placement.startedOn,
      intendedToLastUntil18: placement.intendedToLastUntil18,
    };
    change.emit(EventTypes.placementStarted, started);
  }

  private async view(change: Change, caseId: string) {
    return caseRecordView(await this.records.record(change, caseId), caseId, this.today());
  }

  private today() {
    return londonDateOf(this.clock.now());
  }
}
