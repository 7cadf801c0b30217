import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, EventTypes, VisitRecordedV1 } from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { obligationOutcomesOnly } from '@plo/obligations';
import { assertNoFieldProblems, Clock, notBefore, notFuture } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { CaseChanges } from '../case/case-changes';
import { CaseStore } from '../case/case.store';
import { CaseRecordStore } from '../case-record/case-record.store';
import { caseRecordView } from '../case-record/case-record.view';
import { ChildStatusesStore } from '../child-statuses/child-statuses.store';
import { isStatutoryFor, visitTypesFor } from '../domain/child-status-rules';
import { allowedVisitTypes, childrenSeenOn, countsAsStatutoryVisit } from '../domain/visit-rules';
import { VisitSchedule } from './visit-schedule';
import { RecordVisitDto } from './visits.dto';
import { VisitsStore } from './visits.store';

/** Thrown inside the change to roll it back: the visit is already recorded. */
class AlreadyRecorded extends Error {
  constructor(readonly visitId: string) {
    super(`visit ${visitId} is already recorded`);
  }
}

/** Statutory and other visits to the children of a case. */
@Injectable()
export class VisitsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseChanges: CaseChanges,
    private readonly cases: CaseStore,
    private readonly records: CaseRecordStore,
    private readonly visits: VisitsStore,
    private readonly schedule: VisitSchedule,
    private readonly statuses: ChildStatusesStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Recording a visit (possibly days after it happened) moves the next visit of each child seen, as
   * computed from all that child's facts: the open one is met on the day of the visit and the next
   * is scheduled; siblings not seen still owe theirs. A visit older than the child's last changes
   * nothing of that child's (history being filled in). The same visit entered twice (same case, day,
   * type and children seen) is one visit: the second answers with it (`existing`) and writes nothing.
   */
  async record(caseId: string, input: RecordVisitDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges
      .change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
        // A visit recorded late is a backfill of history: obligations it creates and settles in passing
        // go out as history, not as drift raised and resolved in the same instant.
        change.rewriteBeforeWrite(obligationOutcomesOnly);
        const attendance = childrenSeenOn(input, await this.cases.childIds(change, caseId));
        const seen = attendance.seen;
        const statuses = await this.statuses.currentOfCase(change, caseId);
        const about = seen.length ? seen : await this.cases.childIds(change, caseId);
        const held = [...new Set(statuses.filter((s) => about.includes(s.childId)).map((s) => s.status))];
        const allowed = held.length ? visitTypesFor(held) : allowedVisitTypes(row.legal_status);
        assertNoFieldProblems([
          notFuture('visitedOn', input.visitedOn, this.today()),
          notBefore('visitedOn', input.visitedOn, row.opened_on, 'the case opened'),
          !allowed.includes(input.visitType) && {
            field: 'visitType',
            message: `visitType for ${held.length ? `children who are ${held.join(', ')}` : `a ${row.legal_status} case`} must be one of ${allowed.join(', ')}`,
          },
          input.purpose === 'other' &&
            !input.purposeDetail?.trim() && {
              field: 'purposeDetail',
              message: "purposeDetail must say what the visit was for when purpose is 'other'",
            },
          await this.cases.childProblem(change, caseId, input.childId, 'childId'),
          ...attendance.problems,
        ]);
        const existing = await this.visits.sameVisit(change, caseId, input.visitedOn, input.visitType, seen);
        if (existing) throw new AlreadyRecorded(existing);
        const statutory =
          seen.some((childId) =>
            isStatutoryFor(
              statuses.filter((s) => s.childId === childId).map((s) => s.status),
              input.visitType,
            ),
          ) ||
          (held.length === 0 && countsAsStatutoryVisit(row.legal_status, input.visitType, seen.length > 0));
        await this.schedule.adoptCaseWideVisits(change, row);
        const visitId = randomUUID();
        await this.visits.insert(change, {
          id: visitId,
          caseId,
          visitedOn: input.visitedOn,
          visitType: input.visitType,
          visitorId: input.visitorId,
          seenAlone: input.seenAlone,
          bedroomSeen: input.bedroomSeen,
          purpose: input.purpose,
          purposeDetail: input.purposeDetail ?? null,
          countsAsStatutory: statutory,
          childId: input.childId ?? null,
          childrenSeen: seen,
        });
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
        change.emit(EventTypes.visitRecorded, visit);
        for (const childId of seen) await this.schedule.reconcile(change, row, childId, 'a visit was recorded', input.visitedOn);
        const record = caseRecordView(await this.records.record(change, caseId), caseId, this.today());
        return { visitId, countsAsStatutory: statutory, childrenSeen: seen, existing: false, ...record };
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof AlreadyRecorded)) throw error;
        // Nothing was written: the transaction that found it rolled back.
        return this.unitOfWork.transaction(async (tx) => {
          const visit = await this.visits.find(tx, caseId, error.visitId);
          const record = caseRecordView(await this.records.record(tx, caseId), caseId, this.today());
          return {
            visitId: error.visitId,
            countsAsStatutory: visit.countsAsStatutory,
            childrenSeen: visit.childrenSeen,
            existing: true,
            ...record,
          };
        });
      });
  }

  async list(caseId: string) {
    return this.unitOfWork.transaction(async (tx) => {
      await this.cases.load(tx, caseId);
      return this.visits.list(tx, caseId);
    });
  }

  private today() {
    return londonDateOf(this.clock.now());
  }
}
