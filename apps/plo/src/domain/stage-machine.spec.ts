import { PROCEEDINGS_STAGES, ProceedingsStage } from '@plo/contracts';
import { checkTransition, isConcluded, nextStages } from './stage-machine';

describe('PLO stage machine', () => {
  it('follows the full PD12A route from issue to final order', () => {
    const route: ProceedingsStage[] = [
      'issued',
      'gatekeeping',
      'case-management-hearing',
      'further-case-management-hearing',
      'issues-resolution-hearing',
      'final-hearing',
      'final-order',
    ];
    for (let i = 1; i < route.length; i++) expect(checkTransition(route[i - 1], route[i])).toEqual({ allowed: true });
  });

  it.each<[ProceedingsStage, ProceedingsStage, string]>([
    ['case-management-hearing', 'issues-resolution-hearing', 'no further CMH needed'],
    ['case-management-hearing', 'final-hearing', 'two-hearing case'],
    ['issues-resolution-hearing', 'final-order', 'issues resolved at the IRH'],
  ])('lets %s go straight to %s (%s)', (from, to) => {
    expect(checkTransition(from, to).allowed).toBe(true);
  });

  it('allows withdrawal from every open stage and nothing after the end', () => {
    for (const stage of PROCEEDINGS_STAGES.filter((s) => !isConcluded(s))) expect(checkTransition(stage, 'withdrawn').allowed).toBe(true);
    expect(nextStages('final-order')).toEqual([]);
    expect(nextStages('withdrawn')).toEqual([]);
  });

  it('refuses skipping gatekeeping, going backwards and repeating a stage, naming the current stage', () => {
    expect(checkTransition('issued', 'case-management-hearing')).toEqual({
      allowed: false,
      reason: "proceedings are at stage 'issued'; 'case-management-hearing' cannot follow it (next may be: gatekeeping, withdrawn)",
    });
    expect(checkTransition('final-hearing', 'issues-resolution-hearing')).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("stage 'final-hearing'"),
    });
    expect(checkTransition('gatekeeping', 'gatekeeping').allowed).toBe(false);
  });

  it('refuses any stage after a final order or withdrawal', () => {
    expect(checkTransition('final-order', 'final-hearing')).toEqual({
      allowed: false,
      reason: "proceedings are at stage 'final-order', which ends them; no further stage can be entered",
    });
    expect(checkTransition('withdrawn', 'final-order').allowed).toBe(false);
  });

  it('every transition target is a known stage, and only final order and withdrawal conclude', () => {
    for (const stage of PROCEEDINGS_STAGES) for (const next of nextStages(stage)) expect(PROCEEDINGS_STAGES).toContain(next);
    expect(PROCEEDINGS_STAGES.filter(isConcluded)).toEqual(['final-order', 'withdrawn']);
  });
});
