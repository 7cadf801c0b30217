import { caseVisibilitySql, Principal } from '@plo/platform';

/**
 * Alerts are case data: who may see one is who may see its case (OWASP API1), decided in the
 * database from the case directory. An alert whose case alerting has not heard of yet falls back on
 * the alert's own council, team and worker. Use with `alerts a LEFT JOIN case_directory c`.
 */
export function alertVisibilitySql(principal: Principal, parameters: unknown[]): string {
  // Wrapped in a scalar subquery so the planner cannot read the coalesce()s as one row in thousands:
  // it then walks a team's alerts in page order and stops at the page (0.4 ms) instead of joining
  // and sorting every alert of the team first (43 ms with 3,000 active). Same rows either way.
  const visible = caseVisibilitySql(
    principal,
    {
      councilId: 'coalesce(c.council_id, a.council_id)',
      teamId: 'coalesce(c.team_id, a.team_id)',
      allocatedWorkerId: 'coalesce(c.allocated_worker_id, a.worker_id)',
      // Legal may see a case once any of its children has had legal involvement (PLO's fact).
      inPlo: `c.legal_involved_since IS NOT NULL`,
    },
    parameters,
  );
  return `(SELECT ${visible})`;
}

export const ALERTS_WITH_CASES = 'alerts a LEFT JOIN case_directory c ON c.case_id = a.case_id';

const MANAGERS = ['team-manager', 'service-manager'] as const;

/** Managers of the alert's team (they can see it, so it is in their teams). */
export function isManager(principal: Principal): boolean {
  return principal.roles.some((role) => (MANAGERS as readonly string[]).includes(role));
}
