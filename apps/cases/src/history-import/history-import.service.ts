import { HttpException, Injectable } from '@nestjs/common';
import { Actor } from '@plo/contracts';
import { History, UnitOfWork } from '@plo/messaging';
import { obligationOutcomesOnly } from '@plo/obligations';
import { FieldProblem } from '@plo/platform';
import { IDENTIFIER } from '../case/http';
import { CaseRecordService, InitialStatus } from '../case-record/case-record.service';
import { ChildStatusesService } from '../child-statuses/child-statuses.service';
import { etagOf } from '../domain/concurrency';
import { ReviewsService } from '../reviews/reviews.service';
import { VisitsService } from '../visits/visits.service';
import { FamilyHistory, HistoryFact, readSsdHistory, RowReport } from './ssd-history';
import { SsdTable } from './ssd-tables';

/** The children's identifiers keep the council's own person id, so a record can be traced back to the extract. */
export const SSD_PERSON_ID = 'ssd-person-id';

export interface HistoryImportReport {
  councilId: string;
  families: { read: number; opened: number; alreadyImported: number; failed: number };
  rows: { applied: number; rejected: number; skipped: number };
  byTable: Partial<Record<SsdTable, { applied: number; rejected: number; skipped: number }>>;
  /** Every row not applied, with the fields at fault. */
  problems: RowReport[];
  tableProblems: { table: string; problem: string }[];
  cases: { familyId: string; caseId: string; caseReference: string }[];
}

type ChildIds = Map<string, string>;

/** A refusal of the services, as the row's problems: the fields they named, or the message. Anything else is a fault, not a bad row. */
function problemsOf(error: unknown): FieldProblem[] {
  if (!(error instanceof HttpException)) throw error;
  const body = error.getResponse() as { fields?: { field: string; messages: string[] }[]; message?: string | string[] } | string;
  if (typeof body === 'object' && Array.isArray(body.fields) && body.fields.length)
    return body.fields.flatMap(({ field, messages }) => messages.map((message) => ({ field, message })));
  const message = typeof body === 'string' ? body : Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? error.message);
  return [{ field: 'row', message }];
}

/**
 * Loads a council's history from a Standard Safeguarding Dataset extract. Each family is replayed in
 * one history transaction through the same services as live entries (the same rules and checks), a
 * row at a time in date order, each row in its own savepoint so a bad one is reported and the rest
 * kept. Only each obligation's outcome leaves: what is still owed is scheduled (and alerts if
 * overdue), what the history settled goes out marked historical, so managers are not flooded with
 * drift that was raised and resolved decades of milliseconds apart.
 */
@Injectable()
export class HistoryImportService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly caseRecords: CaseRecordService,
    private readonly childStatuses: ChildStatusesService,
    private readonly visits: VisitsService,
    private readonly reviews: ReviewsService,
  ) {}

  async importSsd(
    councilId: string,
    tables: Record<string, string>,
    caseReferencePrefix: string,
    actor: Actor,
  ): Promise<HistoryImportReport> {
    const history = readSsdHistory(tables);
    const report: HistoryImportReport = {
      councilId,
      families: { read: history.families.length, opened: 0, alreadyImported: 0, failed: 0 },
      rows: { applied: 0, rejected: 0, skipped: 0 },
      byTable: {},
      problems: [...history.rows],
      tableProblems: history.tableProblems,
      cases: [],
    };
    for (const family of history.families) await this.importFamily(councilId, family, caseReferencePrefix, actor, report);
    for (const row of report.problems) this.count(report, row.table, row.outcome);
    return report;
  }

  private async importFamily(councilId: string, family: FamilyHistory, prefix: string, actor: Actor, report: HistoryImportReport) {
    const caseReference = `${prefix}${family.familyId}`;
    const familyRows = [...family.children.map((c) => c.ref), ...family.openingStatuses.map((s) => s.ref), family.allocation.ref];
    if (!IDENTIFIER.test(caseReference) || caseReference.length > 64) {
      report.families.failed += 1;
      for (const ref of familyRows)
        report.problems.push({
          ...ref,
          outcome: 'rejected',
          problems: [{ field: 'fami_family_id', message: `case reference ${caseReference} is not a valid reference` }],
        });
      return;
    }
    await this.unitOfWork.history(obligationOutcomesOnly, async (history) => {
      const opened = await history.step(() =>
        this.caseRecords.openFromHistory(
          {
            councilId,
            caseReference,
            teamId: family.allocation.teamId,
            allocatedWorkerId: family.allocation.workerId,
            openedOn: family.openedOn,
            children: family.children.map((child) => ({
              firstName: child.firstName,
              lastName: child.lastName,
              sex: child.sex,
              ...(child.dateOfBirth ? { dateOfBirth: child.dateOfBirth } : { expectedDateOfBirth: child.expectedDateOfBirth }),
              identifiers: [{ scheme: SSD_PERSON_ID, value: child.personId }],
              // The person id recognises the child across cases; one a person id could not be stays an identifier only.
              ...(IDENTIFIER.test(child.personId) && child.personId.length <= 64 ? { personId: child.personId } : {}),
            })),
          },
          (i): InitialStatus[] =>
            family.openingStatuses
              .filter((s) => s.personId === family.children[i].personId)
              .map((s) => ({ status: s.status, basis: s.basis ?? null })),
          actor,
        ),
      );
      if (!opened.ok) {
        const problems = problemsOf(opened.error);
        const taken = opened.error instanceof HttpException && opened.error.getStatus() === 409;
        if (taken) report.families.alreadyImported += 1;
        else report.families.failed += 1;
        for (const ref of [...familyRows, ...family.facts.map((f) => f.ref)])
          report.problems.push({ ...ref, outcome: taken ? 'skipped' : 'rejected', problems });
        return;
      }
      const record = opened.value;
      const childIds: ChildIds = new Map(
        record.children.map((child) => [child.identifiers.find((i) => i.scheme === SSD_PERSON_ID)!.value, child.id]),
      );
      report.families.opened += 1;
      report.cases.push({ familyId: family.familyId, caseId: record.id, caseReference });
      for (const ref of familyRows) this.count(report, ref.table, 'applied');
      for (const fact of family.facts) {
        const applied = await this.replay(history, record.id, childIds, fact, actor);
        if (applied.ok) this.count(report, fact.ref.table, 'applied');
        else report.problems.push({ ...fact.ref, outcome: 'rejected', problems: problemsOf(applied.error) });
      }
    });
  }

  private replay(history: History, caseId: string, childIds: ChildIds, fact: HistoryFact, actor: Actor) {
    return history.step(async () => {
      switch (fact.type) {
        case 'status-started':
          return this.childStatuses.start(
            caseId,
            childIds.get(fact.personId)!,
            { status: fact.status, basis: fact.basis, startDate: fact.on },
            undefined,
            actor,
            'import',
          );
        case 'status-ended': {
          const childId = childIds.get(fact.personId)!;
          const record = await this.caseRecords.get(caseId);
          const held = record.children
            .find((c) => c.id === childId)!
            .statuses.find((s) => s.status === fact.status && (s.basis ?? undefined) === fact.basis);
          // Ended already: a looked-after basis that changed the same day ends with the change.
          if (!held) return undefined;
          return this.childStatuses.end(
            caseId,
            childId,
            held.id,
            { endDate: fact.on, reason: 'ended (from the council history)' },
            undefined,
            actor,
          );
        }
        case 're-allocated': {
          const record = await this.caseRecords.get(caseId);
          return this.caseRecords.allocate(
            caseId,
            { teamId: fact.teamId, allocatedWorkerId: fact.workerId, allocatedOn: fact.on, reason: 'from the council history' },
            etagOf(record.version),
            actor,
          );
        }
        case 'visit': {
          const childId = childIds.get(fact.personId)!;
          const record = await this.caseRecords.get(caseId);
          return this.visits.record(
            caseId,
            {
              visitedOn: fact.on,
              visitType: 'statutory',
              visitorId: record.allocatedWorkerId,
              childId,
              childSeen: fact.seen,
              ...(fact.seen ? { childrenSeen: [childId] } : {}),
              seenAlone: fact.seenAlone,
              bedroomSeen: fact.bedroomSeen,
              purpose: 'statutory-visit',
            },
            undefined,
            actor,
          );
        }
        case 'placement-started':
          // SSD does not say whether a placement is meant to last until the child is 18: reg 28's first-year cadence, the safe reading.
          return this.caseRecords.startPlacement(
            caseId,
            { startedOn: fact.on, intendedToLastUntil18: false, childId: childIds.get(fact.personId)! },
            undefined,
            actor,
          );
        case 'review-held':
          return this.holdReview(caseId, childIds.get(fact.personId)!, fact, actor);
      }
    });
  }

  /**
   * A held review is the one waiting in the child's series; an initial conference or a child
   * protection series the extract starts is convened from the start of the child's plan held by
   * then (an initial conference before any plan: on the day it was held).
   */
  private async holdReview(caseId: string, childId: string, fact: Extract<HistoryFact, { type: 'review-held' }>, actor: Actor) {
    const waitingReview = () => this.waitingReview(caseId, fact.kind, childId);
    let waiting = await waitingReview();
    if (!waiting) {
      const record = await this.caseRecords.get(caseId);
      const plan = record.children
        .find((c) => c.id === childId)!
        .statusHistory.filter((s) => s.status === 'child-protection-plan' && s.startDate <= fact.on)
        .at(-1);
      const anchorDate = fact.kind === 'icpc' ? (plan?.startDate ?? fact.on) : plan?.startDate;
      if (fact.kind === 'lac-review' || !anchorDate)
        throw new HttpException({ message: `no ${fact.kind} is waiting for this child on ${fact.on}` }, 422);
      await this.reviews.schedule(caseId, { kind: fact.kind, anchorDate, childId }, undefined, actor);
      waiting = (await waitingReview())!;
    }
    const outcome = fact.outcome ?? (fact.kind === 'cp-review' ? 'plan-continues' : 'care-plan-endorsed');
    // The review was just read in this transaction: its version is the one to hold it at.
    const held = await this.reviews.hold(caseId, waiting.id, { heldOn: fact.on, outcome }, etagOf(waiting.version), actor);
    // The SSD extract has no core groups: a series started from an imported ICPC would only drift for
    // meetings that were held but not extracted. The council schedules the next core group itself.
    if (fact.kind === 'icpc') {
      const coreGroup = await this.waitingReview(caseId, 'core-group', childId);
      if (coreGroup)
        await this.reviews.cancel(
          caseId,
          coreGroup.id,
          { reason: 'core groups are not in the SSD extract; schedule the next one from the last held' },
          etagOf(coreGroup.version),
          actor,
        );
    }
    return held;
  }

  private async waitingReview(caseId: string, kind: string, childId: string) {
    return (
      (await this.reviews.list(caseId)) as { id: string; kind: string; childId: string | null; status: string; version: number }[]
    ).find((r) => r.kind === kind && r.childId === childId && r.status === 'scheduled');
  }

  private count(report: HistoryImportReport, table: SsdTable, outcome: 'applied' | 'rejected' | 'skipped') {
    report.rows[outcome] += 1;
    const counts = (report.byTable[table] ??= { applied: 0, rejected: 0, skipped: 0 });
    counts[outcome] += 1;
  }
}
