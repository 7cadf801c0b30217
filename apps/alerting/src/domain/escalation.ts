import type { EscalationRole } from '@plo/contracts';
import { type WorkingDayCalendar, londonDateOf } from '@plo/timescales';
import { DRIFT, PROJECTED_DRIFT, startOfLondonDay } from './alert-schedule';

export const LADDER: readonly EscalationRole[] = ['allocated-worker', 'team-manager', 'service-manager'];

export interface EscalationPolicy {
  /** Working days an alert may stay unacknowledged at each step before it moves to the next. */
  workingDaysPerStep: readonly [toTeamManager: number, toServiceManager: number];
}

/** The people an alert can go to, from the case's current allocation and the team directory. */
export interface Recipients {
  workerId: string;
  teamManagerId: string | null;
  serviceManagerId: string | null;
}

/** Warnings are reminders; drift and projected drift are what managers must see if nobody acts. */
export function escalates(level: string): boolean {
  return level === DRIFT || level === PROJECTED_DRIFT;
}

/**
 * The step of the ladder an alert starts at. Supervision is the manager's duty, not the worker's: a
 * case not supervised within its cadence goes to the team manager first (then up, as any drift).
 */
export function firstStep(kind: string, level: string): number {
  return kind === 'supervision' && escalates(level) ? LADDER.indexOf('team-manager') : 0;
}

export function recipientFor(step: number, recipients: Recipients): string | null {
  switch (LADDER[step]) {
    case 'allocated-worker':
      return recipients.workerId;
    case 'team-manager':
      return recipients.teamManagerId;
    case 'service-manager':
      return recipients.serviceManagerId;
    default:
      throw new RangeError(`no escalation step ${step}`);
  }
}

/**
 * When an alert that reached `step` at `since` moves up if still unacknowledged: at the start of
 * the London day that is N working days after the day it reached the step (so an alert raised on
 * Friday with N = 2 reaches the team manager on Tuesday morning, a bank holiday Monday pushing it to
 * Wednesday). Undefined at the top of the ladder or when a step is configured off (0).
 */
export function nextEscalationAt(step: number, since: Date, policy: EscalationPolicy, calendar: WorkingDayCalendar): Date | undefined {
  if (step >= LADDER.length - 1) return undefined;
  const workingDays = policy.workingDaysPerStep[step];
  if (!workingDays) return undefined;
  return startOfLondonDay(calendar.addWorkingDays(londonDateOf(since), workingDays));
}
