import { ProceedingsStage } from '@plo/contracts';

/**
 * The PLO (PD12A) route through care proceedings. A stage is entered when its step happens (the CMH
 * stage is entered on the day the CMH is held). The 2023 relaunch aims for two or three hearings,
 * so hearings may be skipped (no further CMH, or straight from the IRH to a final order); nothing
 * goes back, and withdrawal ends proceedings from any open stage.
 */
const NEXT_STAGES: Readonly<Record<ProceedingsStage, readonly ProceedingsStage[]>> = {
  issued: ['gatekeeping', 'withdrawn'],
  gatekeeping: ['case-management-hearing', 'withdrawn'],
  'case-management-hearing': ['further-case-management-hearing', 'issues-resolution-hearing', 'final-hearing', 'final-order', 'withdrawn'],
  'further-case-management-hearing': ['issues-resolution-hearing', 'final-hearing', 'final-order', 'withdrawn'],
  'issues-resolution-hearing': ['final-hearing', 'final-order', 'withdrawn'],
  'final-hearing': ['final-order', 'withdrawn'],
  'final-order': [],
  withdrawn: [],
};

export const CONCLUDING_STAGES: readonly ProceedingsStage[] = ['final-order', 'withdrawn'];

export type TransitionCheck = { allowed: true } | { allowed: false; reason: string };

export function checkTransition(current: ProceedingsStage, next: ProceedingsStage): TransitionCheck {
  const allowed = NEXT_STAGES[current];
  if (allowed.includes(next)) return { allowed: true };
  if (!allowed.length)
    return { allowed: false, reason: `proceedings are at stage '${current}', which ends them; no further stage can be entered` };
  return {
    allowed: false,
    reason: `proceedings are at stage '${current}'; '${next}' cannot follow it (next may be: ${allowed.join(', ')})`,
  };
}

export function nextStages(current: ProceedingsStage): readonly ProceedingsStage[] {
  return NEXT_STAGES[current];
}

export function isConcluded(stage: ProceedingsStage): boolean {
  return CONCLUDING_STAGES.includes(stage);
}
