import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, EventTypes, VisitRecordedV1 } from '@plo/contracts';
import { UnitOfWork } from '@plo/messaging';
import { assertNoFieldProblems, Clock, notBefore, notFuture } from '@plo/platform';
import { londonDateOf } from '@plo/timescales';
import { CaseChanges } from '../case/case-changes';
import { CaseObligations } from '../case/case-obligations';
import { CaseStore } from '../case/case.store';
import { CaseRecordStore } from '../case-record/case-record.store';
import { caseRecordView } from '../case-record/case-record.view';
import { allowedVisitTypes, childrenSeenOn, countsAsStatutoryVisit } from '../domain/visit-rules';
import { VisitSchedule } from './visit-schedule';
import { RecordVisitDto } from './visits.dto';
import { VisitsStore } from './visits.store';

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
    private readonly obligations: CaseObligations,
    private readonly clock: Clock,
  ) {}

  /**
   * Recording a visit (possibly days after it happened) meets the open visit obligation of each child
   * seen and schedules that child's next one from the date of the visit, not the date it was typed
   * in; siblings not seen still owe theirs. For a child whose later visit is already recorded, the
   * visit is history being filled in: it changes none of that child's obligations.
   */
  async record(caseId: string, input: RecordVisitDto, ifMatch: string | undefined, actor: Actor) {
    return this.caseChanges.change(caseId, actor, { ifMatch, versionRequired: false }, async (change, row) => {
      const allowed = allowedVisitTypes(row.legal_status);
      const attendance = childrenSeenOn(input, await this.cases.childIds(change, caseId));
      assertNoFieldProblems([
        notFuture('visitedOn', input.visitedOn, this.today()),
        notBefore('visitedOn', input.visitedOn, row.opened_on, 'the case opened'),
        !allowed.includes(input.visitType) && {
          field: 'visitType',
          message: `visitType for a ${row.legal_status} case must be one of ${allowed.join(', ')}`,
        },
        input.purpose === 'other' &&
          !input.purposeDetail?.trim() && {
            field: 'purposeDetail',
            message: "purposeDetail must say what the visit was for when purpose is 'other'",
          },
        await this.cases.childProblem(change, caseId, input.childId, 'childId'),
        ...attendance.problems,
      ]);
      const seen = attendance.seen;
      const statutory = countsAsStatutoryVisit(row.legal_status, input.visitType, seen.length > 0);
      const previousVisits = await this.visits.lastStatutoryVisits(change, caseId, seen);
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
      const open = (await this.obligations.open(change, caseId)).filter((o) => o.kind === 'visit');
      for (const childId of seen) {
        const last = previousVisits.find((p) => p.childId === childId)?.last ?? null;
        if (!statutory || (last !== null && input.visitedOn < last)) continue;
        for (const obligation of open.filter((o) => o.childId === childId))
          await this.obligations.satisfy(change, caseId, { id: obligation.id }, input.visitedOn);
        await this.schedule.scheduleNext(change, row, childId, input.visitedOn);
      }
      const record = caseRecordView(await this.records.record(change, caseId), caseId, this.today());
      return { visitId, countsAsStatutory: statutory, childrenSeen: seen, ...record };
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
