import {
  DriftProjectedV1,
  DriftProjectionClearedV1,
  EventTypes,
  ProceedingsStage,
  TimetableChangedV1,
  TimetableMilestone,
  Topics,
} from '@plo/contracts';
import { Change, Transaction } from '@plo/messaging';
import { londonDateOf, parseLocalDate } from '@plo/timescales';
import { projectDrift } from '../domain/timetable-rules';
import { isConcluded } from '../domain/stage-machine';
import { PloRules } from '../rules/plo-rules';
import { ProceedingsRecord } from './proceedings.store';
import {
  childClocks,
  clearDriftProjection,
  driftProjections,
  liveFinalHearingDate,
  nextTimetableVersion,
  saveDriftProjection,
  timetableDeadlines,
  timetableHead,
  timetableHearings,
} from './timetable.store';

export function latestDate(dates: string[]): string {
  return [...dates].sort().at(-1)!;
}

/** The council's whole timetable for the proceedings as it stands (what court systems receive). */
export async function currentTimetable(tx: Transaction, proceedings: ProceedingsRecord, rules: PloRules): Promise<TimetableChangedV1> {
  const { version, stage } = await timetableHead(tx, proceedings.id);
  const hearings = await timetableHearings(tx, proceedings.id);
  const deadlines = await timetableDeadlines(tx, proceedings.id);
  const clocks = await childClocks(tx, proceedings.id);
  const milestones: TimetableMilestone[] = [
    ...hearings.map((h) => ({
      milestoneId: h.id,
      kind: 'hearing' as const,
      title: `${h.hearing_type} hearing (${h.listing_status})`,
      date: h.hearing_date,
      startsAt: h.starts_at.toISOString(),
      status: h.status,
    })),
    ...deadlines.map((o) => ({
      milestoneId: o.id,
      kind: 'deadline' as const,
      title: rules.pack.rule(o.rule_id).title,
      date: o.due_date,
      status: o.status,
      explanation: o.explanation,
    })),
    ...clocks.map((c) => ({
      milestoneId: c.child_id,
      kind: 'child-completion' as const,
      title: c.completion_date === c.original_completion_date ? 'Completion date (26 weeks)' : 'Completion date (extended)',
      date: c.completion_date,
      status: c.concluded_on || isConcluded(stage) ? 'concluded' : 'open',
    })),
  ];
  return {
    caseId: proceedings.caseId,
    proceedingsId: proceedings.id,
    courtCaseNumber: proceedings.courtCaseNumber,
    version,
    stage,
    caseCompletionDate: latestDate(clocks.map((c) => c.completion_date)),
    milestones,
  };
}

/** Republishes the whole timetable for court systems, with a version that only grows. */
export async function publishTimetable(change: Change, proceedings: ProceedingsRecord, rules: PloRules): Promise<void> {
  await nextTimetableVersion(change, proceedings.id);
  change.emit(EventTypes.timetableChanged, await currentTimetable(change, proceedings, rules), { topic: Topics.courtTimetable });
}

/**
 * Re-projects each child's drift on the current timetable and emits only what changed: a new or
 * different projection, or the end of one (`cause` says why it ended).
 */
export async function evaluateDrift(change: Change, proceedings: ProceedingsRecord, stage: ProceedingsStage, cause: string): Promise<void> {
  const today = londonDateOf(change.now);
  const clocks = await childClocks(change, proceedings.id);
  const finalHearingOn = await liveFinalHearingDate(change, proceedings.id);
  const existing = new Map((await driftProjections(change, proceedings.id)).map((row) => [row.child_id, row]));
  for (const clock of clocks) {
    // A child whose proceedings ended cannot overrun; a sibling still in them can.
    const projection =
      isConcluded(stage) || clock.concluded_on
        ? null
        : projectDrift({
            completionDate: parseLocalDate(clock.completion_date),
            finalHearingDate: finalHearingOn ? parseLocalDate(finalHearingOn) : undefined,
            noFinalHearingWarningOn: parseLocalDate(clock.no_final_hearing_warning_on),
            warningWeek: proceedings.noFinalHearingWarningWeek,
            today,
          });
    const before = existing.get(clock.child_id);
    if (!projection) {
      if (!before) continue;
      await clearDriftProjection(change, proceedings.id, clock.child_id);
      const cleared: DriftProjectionClearedV1 = {
        caseId: proceedings.caseId,
        proceedingsId: proceedings.id,
        childId: clock.child_id,
        clearedOn: today,
        reason: cause,
      };
      change.emit(EventTypes.driftProjectionCleared, cleared);
      continue;
    }
    const finalHearingDate = projection.reason === 'final-hearing-after-completion' ? finalHearingOn! : null;
    const unchanged =
      before &&
      before.reason === projection.reason &&
      before.completion_date === clock.completion_date &&
      before.final_hearing_date === finalHearingDate;
    if (unchanged) continue;
    await saveDriftProjection(
      change,
      proceedings.id,
      { child_id: clock.child_id, reason: projection.reason, completion_date: clock.completion_date, final_hearing_date: finalHearingDate },
      today,
    );
    const projected: DriftProjectedV1 = {
      caseId: proceedings.caseId,
      proceedingsId: proceedings.id,
      childId: clock.child_id,
      completionDate: clock.completion_date,
      reason: projection.reason,
      ...(finalHearingDate ? { finalHearingDate } : {}),
      detectedOn: today,
      explanation: projection.explanation,
    };
    change.emit(EventTypes.driftProjected, projected);
  }
}
