import { LocalDate } from '@plo/timescales';

export const SMART_PARTS = ['ownerId', 'dueDate', 'measurableOutcome'] as const;
export type SmartPart = (typeof SMART_PARTS)[number];

export interface PlanActionFacts {
  id: string;
  position: number;
  description: string;
  ownerId: string | null;
  dueDate: string | null;
  measurableOutcome: string | null;
}

export interface ActionNotSmart {
  actionId: string;
  position: number;
  missing: SmartPart[];
}

export interface SmartAssessment {
  /** True when the plan has actions and every one has an owner, a due date and a measurable outcome. */
  smart: boolean;
  actionsNotSmart: ActionNotSmart[];
}

const present = (value: string | null | undefined) => typeof value === 'string' && value.trim() !== '';

export function assessSmart(actions: readonly PlanActionFacts[]): SmartAssessment {
  const actionsNotSmart = actions
    .map((action) => ({ actionId: action.id, position: action.position, missing: SMART_PARTS.filter((part) => !present(action[part])) }))
    .filter((action) => action.missing.length > 0);
  return { smart: actions.length > 0 && actionsNotSmart.length === 0, actionsNotSmart };
}

export interface UnmetStandard {
  code: string;
  detail: string;
}

export interface SignOffFacts {
  today: LocalDate;
  /** The case's open obligations (any due date): overdue ones are found here. */
  openObligations: readonly { id: string; kind: string; dueDate: string }[];
  plan?: { actions: readonly PlanActionFacts[]; reviewDate: string };
  review?: { kind: string; status: 'scheduled' | 'held' | 'cancelled'; dueDate: string; heldOn: string | null };
}

const MISSING_CODES: Record<SmartPart, string> = {
  ownerId: 'action-without-owner',
  dueDate: 'action-without-due-date',
  measurableOutcome: 'action-without-measurable-outcome',
};

/**
 * The standards a manager's sign-off vouches for (the peer review found work signed off that did not
 * meet them): nothing overdue on the case, a plan whose every action is SMART, a review that was
 * held, and held in time. An obligation due today is not yet overdue.
 */
export function unmetStandards(facts: SignOffFacts): UnmetStandard[] {
  const unmet: UnmetStandard[] = [];
  for (const obligation of facts.openObligations) {
    if (obligation.dueDate >= facts.today) continue;
    unmet.push({
      code: obligation.kind === 'visit' ? 'visit-overdue' : 'obligation-overdue',
      detail: `${obligation.kind} ${obligation.id} was due ${obligation.dueDate}`,
    });
  }
  if (facts.plan) {
    if (facts.plan.actions.length === 0) unmet.push({ code: 'plan-without-actions', detail: 'the plan has no actions' });
    for (const action of assessSmart(facts.plan.actions).actionsNotSmart) {
      for (const part of action.missing)
        unmet.push({ code: MISSING_CODES[part], detail: `action ${action.position} (${action.actionId})` });
    }
  }
  if (facts.review) {
    const { status, dueDate, heldOn, kind } = facts.review;
    if (status === 'cancelled') unmet.push({ code: 'review-cancelled', detail: `the ${kind} was cancelled` });
    else if (heldOn === null) unmet.push({ code: 'review-not-held', detail: `the ${kind} due ${dueDate} has no actual date` });
    else if (heldOn > dueDate) unmet.push({ code: 'review-held-late', detail: `the ${kind} was due ${dueDate} and held ${heldOn}` });
  }
  return unmet;
}

export function describeStandard(standard: UnmetStandard): string {
  return `${standard.code}: ${standard.detail}`;
}
