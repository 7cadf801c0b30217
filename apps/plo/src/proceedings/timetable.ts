import { EntityManager } from 'typeorm';
import { DriftProjectedV1, DriftProjectionClearedV1, EventTypes, ProceedingsStage, TimetableChangedV1, TimetableMilestone, Topics } from '@plo/contracts';
import { parseLocalDate } from '@plo/timescales';
import { ChangeSet } from './change-set';
import { projectDrift } from './domain/timetable-rules';
import { isConcluded } from './domain/stage-machine';
import { PloRules } from './plo-rules';
import { LIVE_HEARING_STATUSES, ProceedingsRecord } from './proceedings.store';

export async function childClocks(
  manager: EntityManager,
  proceedingsId: string,
): Promise<{ child_id: string; completion_date: string; original_completion_date: string; hmcts_display_date: string }[]> {
  return manager.query(
    `SELECT child_id, to_char(completion_date, 'YYYY-MM-DD') AS completion_date, to_char(original_completion_date, 'YYYY-MM-DD') AS original_completion_date,
            to_char(hmcts_display_date, 'YYYY-MM-DD') AS hmcts_display_date
       FROM child_clocks WHERE proceedings_id = $1 ORDER BY child_id`,
    [proceedingsId],
  );
}

export function latestDate(dates: string[]): string {
  return [...dates].sort().at(-1)!;
}

/** The council's whole timetable for the proceedings as it stands (what court systems receive). */
export async function currentTimetable(manager: EntityManager, proceedings: ProceedingsRecord, rules: PloRules): Promise<TimetableChangedV1> {
  const [{ timetable_version: version, stage }] = await manager.query('SELECT timetable_version, stage FROM proceedings WHERE id = $1', [proceedings.id]);
  const hearings = await manager.query(
    `SELECT id, hearing_type, starts_at, to_char(hearing_date, 'YYYY-MM-DD') AS hearing_date, status, listing_status FROM hearings WHERE proceedings_id = $1 ORDER BY starts_at`,
    [proceedings.id],
  );
  const deadlines = await manager.query(
    `SELECT id, kind, rule_id, to_char(due_date, 'YYYY-MM-DD') AS due_date, status, explanation FROM plo_obligations
      WHERE proceedings_id = $1 AND kind <> 'proceedings-completion' AND status <> 'cancelled' ORDER BY due_date, kind`,
    [proceedings.id],
  );
  const clocks = await childClocks(manager, proceedings.id);
  const milestones: TimetableMilestone[] = [
    ...hearings.map((h: any) => ({
      milestoneId: h.id,
      kind: 'hearing' as const,
      title: `${h.hearing_type} hearing (${h.listing_status})`,
      date: h.hearing_date,
      startsAt: h.starts_at.toISOString(),
      status: h.status,
    })),
    ...deadlines.map((o: any) => ({ milestoneId: o.id, kind: 'deadline' as const, title: rules.pack.rule(o.rule_id).title, date: o.due_date, status: o.status, explanation: o.explanation })),
    ...clocks.map((c) => ({
      milestoneId: c.child_id,
      kind: 'child-completion' as const,
      title: c.completion_date === c.original_completion_date ? 'Completion date (26 weeks)' : 'Completion date (extended)',
      date: c.completion_date,
      status: isConcluded(stage) ? 'concluded' : 'open',
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
export async function publishTimetable(change: ChangeSet, proceedings: ProceedingsRecord, rules: PloRules): Promise<void> {
  await change.manager.query('UPDATE proceedings SET timetable_version = timetable_version + 1 WHERE id = $1', [proceedings.id]);
  change.emit(EventTypes.timetableChanged, await currentTimetable(change.manager, proceedings, rules), Topics.courtTimetable);
}

/**
 * Re-projects each child's drift on the current timetable and emits only what changed: a new or
 * different projection, or the end of one (`cause` says why it ended).
 */
export async function evaluateDrift(change: ChangeSet, proceedings: ProceedingsRecord, stage: ProceedingsStage, cause: string): Promise<void> {
  const clocks = await childClocks(change.manager, proceedings.id);
  const [finalHearing] = await change.manager.query(
    `SELECT to_char(hearing_date, 'YYYY-MM-DD') AS hearing_date FROM hearings
      WHERE proceedings_id = $1 AND hearing_type = 'final' AND status = ANY($2) ORDER BY starts_at DESC LIMIT 1`,
    [proceedings.id, LIVE_HEARING_STATUSES],
  );
  const existing = new Map<string, any>(
    (
      await change.manager.query(
        `SELECT child_id, reason, to_char(completion_date, 'YYYY-MM-DD') AS completion_date, to_char(final_hearing_date, 'YYYY-MM-DD') AS final_hearing_date
           FROM drift_projections WHERE proceedings_id = $1`,
        [proceedings.id],
      )
    ).map((row: any) => [row.child_id, row]),
  );
  for (const clock of clocks) {
    const projection = isConcluded(stage)
      ? null
      : projectDrift({
          completionDate: parseLocalDate(clock.completion_date),
          finalHearingDate: finalHearing ? parseLocalDate(finalHearing.hearing_date) : undefined,
          noFinalHearingWarningOn: parseLocalDate(proceedings.noFinalHearingWarningOn),
          warningWeek: proceedings.noFinalHearingWarningWeek,
          today: change.today,
        });
    const before = existing.get(clock.child_id);
    if (!projection) {
      if (!before) continue;
      await change.manager.query('DELETE FROM drift_projections WHERE proceedings_id = $1 AND child_id = $2', [proceedings.id, clock.child_id]);
      const cleared: DriftProjectionClearedV1 = { caseId: proceedings.caseId, proceedingsId: proceedings.id, childId: clock.child_id, clearedOn: change.today, reason: cause };
      change.emit(EventTypes.driftProjectionCleared, cleared);
      continue;
    }
    const finalHearingDate = projection.reason === 'final-hearing-after-completion' ? finalHearing.hearing_date : null;
    const unchanged =
      before && before.reason === projection.reason && before.completion_date === clock.completion_date && before.final_hearing_date === finalHearingDate;
    if (unchanged) continue;
    await change.manager.query(
      `INSERT INTO drift_projections (proceedings_id, child_id, reason, completion_date, final_hearing_date, detected_on) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (proceedings_id, child_id) DO UPDATE SET reason = $3, completion_date = $4, final_hearing_date = $5, detected_on = $6`,
      [proceedings.id, clock.child_id, projection.reason, clock.completion_date, finalHearingDate, change.today],
    );
    const projected: DriftProjectedV1 = {
      caseId: proceedings.caseId,
      proceedingsId: proceedings.id,
      childId: clock.child_id,
      completionDate: clock.completion_date,
      reason: projection.reason,
      ...(finalHearingDate ? { finalHearingDate } : {}),
      detectedOn: change.today,
      explanation: projection.explanation,
    };
    change.emit(EventTypes.driftProjected, projected);
  }
}
