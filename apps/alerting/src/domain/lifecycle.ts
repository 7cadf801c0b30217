import type { AlertResolution } from '@plo/contracts';

export type AlertState = 'open' | 'acknowledged' | 'resolved';

export interface AlertStatus {
  state: AlertState;
}

/** A transition the current state does not allow; the API answers 409 naming the state. */
export class AlertStateConflict extends Error {
  constructor(
    readonly currentState: AlertState,
    action: string,
  ) {
    super(`the alert is ${currentState}; it cannot be ${action}`);
  }
}

export interface Transition {
  from: AlertState;
  to: AlertState;
  transition: 'acknowledged' | 'resolved';
}

/** open → acknowledged: someone has taken responsibility, which also stops escalation. */
export function acknowledge(alert: AlertStatus): Transition {
  if (alert.state !== 'open') throw new AlertStateConflict(alert.state, 'acknowledged');
  return { from: alert.state, to: 'acknowledged', transition: 'acknowledged' };
}

/** open or acknowledged → resolved. A manager must give a reason; automatic resolutions carry their cause. */
export function resolve(alert: AlertStatus, resolution: AlertResolution, reason?: string): Transition {
  if (alert.state === 'resolved') throw new AlertStateConflict(alert.state, 'resolved again');
  if (resolution === 'manager' && !reason?.trim()) throw new RangeError('a manager resolving an alert must give a reason');
  return { from: alert.state, to: 'resolved', transition: 'resolved' };
}

/**
 * Why an automatically resolved alert ended, from what happened to its obligation. A drift alert
 * met after the due date is "met late": the drift happened and stays on record.
 */
export function automaticResolution(
  obligation: { status: 'open' | 'satisfied' | 'cancelled'; dueDate: string; satisfiedOn: string | null },
  alertDueDate: string,
): AlertResolution | undefined {
  if (obligation.status === 'satisfied') {
    return obligation.satisfiedOn !== null && obligation.satisfiedOn > obligation.dueDate ? 'met-late' : 'met';
  }
  if (obligation.status === 'cancelled') return 'ended';
  if (obligation.dueDate !== alertDueDate) return 'rescheduled';
  return undefined;
}
